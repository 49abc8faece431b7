package dev.nabla.provider.reference;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.FusedKernels;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.types.Device;
import dev.nabla.provider.reference.kernels.ReferenceKernels;
import dev.nabla.provider.reference.kernels.ReferenceLogSoftmax;

/**
 * The pure-Java reference backend: heap-array storage on the {@linkplain Device#CPU CPU} and plain-loop
 * kernels, written to be obviously correct rather than fast. It also offers the fused
 * {@link LogSoftmaxKernel}.
 *
 * <p>Usually obtained through {@link ReferenceBackendProvider}; it is stateless, so any number of
 * instances may coexist.
 */
public final class ReferenceBackend implements Backend {
    /** The backend's name, {@value}. */
    public static final String NAME = "reference";

    private final Kernels kernels = new ReferenceKernels();
    private final FusedKernels fused = FusedKernels.builder()
            .add(LogSoftmaxKernel.class, new ReferenceLogSoftmax())
            .build();

    /** Creates the backend. */
    public ReferenceBackend() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public Kernels kernels() {
        return kernels;
    }

    @Override
    public FusedKernels fusedKernels() {
        return fused;
    }

    @Override
    public String toString() {
        return "ReferenceBackend[" + NAME + ", " + device() + "]";
    }
}
