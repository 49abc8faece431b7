package dev.nabla.provider.tensorflow;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.FusedKernels;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.types.Device;
import dev.nabla.provider.tensorflow.kernels.TfKernels;
import dev.nabla.provider.tensorflow.kernels.TfLogSoftmax;
import dev.nabla.provider.tensorflow.runtime.TfRuntime;

/**
 * The TensorFlow backend: every kernel runs as a TensorFlow eager op, storages hold TensorFlow tensor
 * handles (on the GPU when TensorFlow sees one, else on the CPU), and the fused
 * {@link LogSoftmaxKernel} is TensorFlow's {@code LogSoftmax}. Gradients come from Nabla's own
 * autodiff, composed from these kernels, so models train on it.
 *
 * <p>Obtained through {@link TensorflowBackendProvider}. All backends of one JVM share one eager
 * context.
 */
public final class TensorflowBackend implements Backend {
    /** The backend's name, {@value}. */
    public static final String NAME = "tensorflow";

    private final TfRuntime runtime;
    private final TfKernels kernels;
    private final FusedKernels fused;

    TensorflowBackend(TfRuntime runtime) {
        this.runtime = runtime;
        this.kernels = new TfKernels(runtime);
        this.fused = FusedKernels.builder().add(LogSoftmaxKernel.class, new TfLogSoftmax(runtime, kernels)).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Device device() {
        return runtime.device();
    }

    @Override
    public Kernels kernels() {
        return kernels;
    }

    @Override
    public FusedKernels fusedKernels() {
        return fused;
    }

    /**
     * Tensor handles the provider holds right now: every storage's tensor plus any kernel temporaries
     * (zero between kernels). A leak shows here as a count that does not return to its baseline.
     *
     * @return the number of live TensorFlow tensor handles
     */
    public long liveHandles() {
        return runtime.liveHandles();
    }

    /**
     * Tensor handles created over the backend's life (storages, op outputs and temporaries); with
     * {@link #liveHandles()} it shows how much work a run did and that all of it was released.
     *
     * @return the number of handles ever created by the shared eager runtime
     */
    public long handlesCreated() {
        return runtime.handlesCreated();
    }

    /**
     * Bytes of tensor data held by live storages.
     *
     * @return the sum of {@code size × element size} over live storages
     */
    public long liveStorageBytes() {
        return runtime.liveStorageBytes();
    }

    @Override
    public String toString() {
        return "TensorflowBackend[" + NAME + ", " + device() + "]";
    }
}
