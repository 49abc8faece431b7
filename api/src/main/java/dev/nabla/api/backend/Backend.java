package dev.nabla.api.backend;

import dev.nabla.api.types.Device;
import java.util.Optional;

/**
 * A compute backend for one device: its {@link Kernels} and, optionally, fused kernels offered
 * through one {@link FusedKernels} registry.
 *
 * <p>A backend is created by a {@code dev.nabla.api.spi.BackendProvider} found with
 * {@link java.util.ServiceLoader}. Tensors remember the backend that holds their storage; an
 * operation on tensors of two different backends is an error.
 */
public interface Backend {
    /** The provider's name, e.g. {@code "reference"} or {@code "native"}. */
    String name();

    /** The device this backend's storages live on. */
    Device device();

    /** The primitive kernels. */
    Kernels kernels();

    /**
     * The fused kernels this backend offers (none by default). A backend overrides this, not
     * {@link #fused(Class)}; the conformance kit checks every kind listed here against its composed form.
     *
     * @return the registry, built once
     */
    default FusedKernels fusedKernels() {
        return FusedKernels.none();
    }

    /**
     * A fused kernel of the given kind, if this backend offers one (looked up in {@link #fusedKernels()});
     * the tensor layer composes the function from primitives when it is absent.
     *
     * @param kind the kernel interface
     * @param <T>  the kind
     * @return the kernel, or empty
     */
    default <T extends FusedKernel> Optional<T> fused(Class<T> kind) {
        return fusedKernels().get(kind);
    }
}
