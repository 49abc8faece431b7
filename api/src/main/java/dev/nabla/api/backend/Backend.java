package dev.nabla.api.backend;

import dev.nabla.api.types.Device;
import java.util.Optional;

/**
 * A compute backend for one device: its {@link Kernels} and, optionally, fused kernels.
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
     * A fused kernel of the given kind, if this backend offers one; the tensor layer composes the
     * function from primitives when it is absent.
     */
    default <T extends FusedKernel> Optional<T> fused(Class<T> kind) {
        return Optional.empty();
    }
}
