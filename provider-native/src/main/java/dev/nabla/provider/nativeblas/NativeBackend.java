package dev.nabla.provider.nativeblas;

import dev.nabla.api.backend.AdamKernel;
import dev.nabla.api.backend.AttentionKernel;
import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.BatchNormKernel;
import dev.nabla.api.backend.Conv2dKernel;
import dev.nabla.api.backend.FusedKernels;
import dev.nabla.api.backend.GruCellKernel;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.LayerNormKernel;
import dev.nabla.api.backend.LeakyReluKernel;
import dev.nabla.api.backend.LinearKernel;
import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.backend.LstmCellKernel;
import dev.nabla.api.backend.ReluGradKernel;
import dev.nabla.api.backend.StridedAttentionKernel;
import dev.nabla.api.types.Device;
import dev.nabla.provider.nativeblas.kernels.Gemm;
import dev.nabla.provider.nativeblas.kernels.NativeAdam;
import dev.nabla.provider.nativeblas.kernels.NativeAttention;
import dev.nabla.provider.nativeblas.kernels.NativeBatchNorm;
import dev.nabla.provider.nativeblas.kernels.NativeConv2d;
import dev.nabla.provider.nativeblas.kernels.NativeKernels;
import dev.nabla.provider.nativeblas.kernels.NativeGruCell;
import dev.nabla.provider.nativeblas.kernels.NativeLayerNorm;
import dev.nabla.provider.nativeblas.kernels.NativeLeakyRelu;
import dev.nabla.provider.nativeblas.kernels.NativeLinear;
import dev.nabla.provider.nativeblas.kernels.NativeLogSoftmax;
import dev.nabla.provider.nativeblas.kernels.NativeLstmCell;
import dev.nabla.provider.nativeblas.kernels.NativeReluGrad;
import dev.nabla.provider.nativeblas.kernels.Parallel;
import dev.nabla.provider.nativeblas.kernels.VectorSupport;
import dev.nabla.provider.nativeblas.memory.BlockPool;
import dev.nabla.provider.nativeblas.memory.DeviceMemory;

/**
 * The native CPU backend: tensors in off-heap memory from a {@link BlockPool}, matrix products by
 * OpenBLAS through FFM, every other kernel in Java over memory segments, and the fused
 * {@link LogSoftmaxKernel}, {@link LstmCellKernel}, {@link GruCellKernel}, {@link AttentionKernel} and
 * {@link StridedAttentionKernel} (one kernel: the dense operands are one layout of the strided), and the others
 * of {@link FusedKernels} below (layer norm, rectifier gradient, Adam, {@link LinearKernel}, {@link Conv2dKernel},
 * {@link BatchNormKernel}, {@link LeakyReluKernel}).
 *
 * <p>It is assembled from three per-device parts — {@link DeviceMemory}, {@link Gemm} and the
 * {@link Parallel} splitter — so a CUDA device can later supply its own memory and GEMM (cuBLAS)
 * behind the same interfaces. {@link #close()} frees all of the backend's native memory and stops its
 * threads; storages still alive then fail on use, they do not crash.
 */
public final class NativeBackend implements Backend, AutoCloseable {
    /** The backend's name, {@value}. */
    public static final String NAME = "native";
    /** Bytes of released large blocks the pool keeps for reuse. */
    static final long RETAIN_LIMIT = 512L << 20;

    private final DeviceMemory memory;
    private final Parallel parallel;
    private final Kernels kernels;
    private final FusedKernels fused;
    private final String description;

    /**
     * A backend over {@code memory}, multiplying with {@code gemm} and splitting large kernels over
     * {@code threads} threads; made by {@link NativeBackendProvider#create()}.
     */
    NativeBackend(DeviceMemory memory, Gemm gemm, int threads, String description) {
        this.memory = memory;
        this.parallel = new Parallel(threads);
        NativeKernels k = new NativeKernels(memory, gemm, parallel);
        this.kernels = k;
        NativeAttention attention = new NativeAttention(gemm, parallel, k.vector());
        this.fused = FusedKernels.builder()
                .add(LogSoftmaxKernel.class, new NativeLogSoftmax(parallel, k.vector()))
                .add(LstmCellKernel.class, new NativeLstmCell(parallel, k.vector()))
                .add(GruCellKernel.class, new NativeGruCell(parallel, k.vector()))
                .add(AttentionKernel.class, attention)
                .add(StridedAttentionKernel.class, attention)
                .add(LayerNormKernel.class, new NativeLayerNorm(parallel, k.vector()))
                .add(ReluGradKernel.class, new NativeReluGrad(parallel, k.vector()))
                .add(AdamKernel.class, new NativeAdam(parallel))
                .add(LinearKernel.class, new NativeLinear(gemm))
                .add(Conv2dKernel.class, new NativeConv2d(memory, gemm, parallel))
                .add(BatchNormKernel.class, new NativeBatchNorm(parallel))
                .add(LeakyReluKernel.class, new NativeLeakyRelu(parallel, k.vector()))
                .build();
        this.description = description + ", " + VectorSupport.describe(k.vector());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Device device() {
        return memory.device();
    }

    @Override
    public Kernels kernels() {
        return kernels;
    }

    @Override
    public FusedKernels fusedKernels() {
        return fused;
    }

    /** Bytes held by storages of this backend that have not been released. */
    public long liveBytes() {
        return memory.liveBytes();
    }

    /**
     * Bytes the backend's memory pool holds from the system: live storages plus free blocks kept for
     * reuse. Bounded by the peak of live bytes, whatever the threads (see {@code BlockPool}).
     */
    public long reservedBytes() {
        return memory instanceof dev.nabla.provider.nativeblas.memory.BlockPool p ? p.reservedBytes() : -1;
    }

    /** The memory storages come from. */
    DeviceMemory memory() {
        return memory;
    }

    /** The number of threads large kernels are split over. */
    public int threads() {
        return parallel.threads();
    }

    /** Frees the backend's native memory and stops its worker threads. */
    @Override
    public void close() {
        parallel.close();
        memory.close();
    }

    @Override
    public String toString() {
        return "NativeBackend[" + device() + ", " + description + "]";
    }
}
