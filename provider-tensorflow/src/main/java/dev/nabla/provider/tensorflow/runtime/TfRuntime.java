package dev.nabla.provider.tensorflow.runtime;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_ContextOptionsSetDevicePlacementPolicy;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DeleteContextOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DeleteTensorHandle;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewContext;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewContextOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleCopySharingTensor;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_TensorHandleCopyToDevice;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetStatus;

import dev.nabla.api.types.DType;
import dev.nabla.api.types.Device;
import java.util.concurrent.atomic.AtomicLong;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TFE_Context;
import org.tensorflow.internal.c_api.TFE_ContextOptions;
import org.tensorflow.internal.c_api.TFE_TensorHandle;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * One TensorFlow eager context and the bookkeeping of every tensor handle the provider owns.
 *
 * <p><b>Why the eager C API rather than {@code EagerSession}/{@code Ops}.</b> TensorFlow Java's
 * high-level eager API attaches each operation's output handles to a weak pointer scope of its
 * {@code EagerSession}; they are freed when the session closes or when the garbage collector finds
 * the Java wrapper unreachable, and there is no public way to release one handle. Nabla's memory
 * model needs exactly that (a {@code Storage.release()} frees its tensor now), so the kernels call
 * the same eager entry points ({@code TFE_NewOp}, {@code TFE_Execute}, {@code TFE_DeleteTensorHandle})
 * through TensorFlow Java's exported {@code org.tensorflow.internal.c_api} bindings and own every
 * handle themselves. Every handle created is counted ({@link #liveHandles()}), so tests can prove
 * that none leak.
 *
 * <p><b>Devices.</b> When TensorFlow sees a GPU (the {@code -Pgpu} build with CUDA present), data
 * tensors are copied to {@code /device:GPU:0} when created and ops run there by TensorFlow's default
 * placement (the context's placement policy is {@code SILENT}, so small host constants such as axes
 * are copied as needed). Otherwise everything lives on the CPU.
 */
public final class TfRuntime {
    /** The device name of the first GPU, as TensorFlow spells it. */
    public static final String GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0";

    private static final int DEVICE_PLACEMENT_SILENT = 2;

    private final TFE_Context context;
    private final String gpuDevice;
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong liveBytes = new AtomicLong();
    private final ThreadLocal<EagerOp.PerThread> perThread = ThreadLocal.withInitial(EagerOp.PerThread::new);

    private TfRuntime(TFE_Context context, String gpuDevice) {
        this.context = context;
        this.gpuDevice = gpuDevice;
    }

    /**
     * Loads TensorFlow (if not yet loaded), creates an eager context and looks for a GPU.
     *
     * @param useGpu whether to place tensors on a GPU when TensorFlow sees one
     * @throws org.tensorflow.exceptions.TensorFlowException if the context cannot be created
     */
    public static TfRuntime create(boolean useGpu) {
        TF_Status status = TF_NewStatus();
        TFE_ContextOptions options = TFE_NewContextOptions();
        try {
            TFE_ContextOptionsSetDevicePlacementPolicy(options, DEVICE_PLACEMENT_SILENT);
            TFE_Context ctx = TFE_NewContext(options, status);
            status.throwExceptionIfNotOK();
            TfRuntime runtime = new TfRuntime(ctx, useGpu ? probeGpu(ctx) : null);
            return runtime;
        } finally {
            TFE_DeleteContextOptions(options);
            TF_DeleteStatus(status);
        }
    }

    /** {@link #GPU0} if a one-element tensor can be copied there, else null. */
    private static String probeGpu(TFE_Context ctx) {
        TF_Status status = TF_NewStatus();
        TFE_TensorHandle probe = HostTransfer.upload(DType.FLOAT32, new long[] {1}, new float[] {0f});
        try {
            TFE_TensorHandle onGpu = TFE_TensorHandleCopyToDevice(probe, ctx, GPU0, status);
            if (TF_GetCode(status) != 0 || onGpu == null || onGpu.isNull()) {
                return null;
            }
            TFE_DeleteTensorHandle(onGpu);
            return GPU0;
        } finally {
            TFE_DeleteTensorHandle(probe);
            TF_DeleteStatus(status);
        }
    }

    /** The calling thread's reusable eager-op state for this context. */
    EagerOp.PerThread perThread() {
        return perThread.get();
    }

    /**
     * Deletes the calling thread's cached idle ops and status (a thread that will run no more
     * kernels may call it; otherwise they live, bounded, as long as the thread).
     */
    public void releaseThreadState() {
        EagerOp.releaseThreadState(perThread.get());
        perThread.remove();
    }

    /** The eager context. */
    public TFE_Context context() {
        return context;
    }

    /** The device data tensors live on: {@link Device#CPU}, or {@code cuda:0} when a GPU is used. */
    public Device device() {
        return gpuDevice == null ? Device.CPU : new Device("cuda", 0);
    }

    /** True when tensors are placed on a GPU. */
    public boolean onGpu() {
        return gpuDevice != null;
    }

    /** The TensorFlow version loaded, e.g. {@code "2.18.0"}. */
    public static String tensorflowVersion() {
        return TensorFlow.version();
    }

    /**
     * Counts a fresh host handle as live and, when a GPU is used, moves it there (deleting the host
     * copy). Returns the handle to use.
     */
    public TFE_TensorHandle trackHost(TFE_TensorHandle host) {
        if (gpuDevice == null) {
            return track(host);
        }
        TF_Status status = perThread().status;
        try {
            TFE_TensorHandle onGpu = TFE_TensorHandleCopyToDevice(host, context, gpuDevice, status);
            check(status);
            return track(onGpu);
        } finally {
            TFE_DeleteTensorHandle(host);
        }
    }

    /**
     * Throws TensorFlow's exception if {@code status} holds an error, first setting it back to OK: a
     * thread's status is reused, and some entry points (e.g. {@code TFE_TensorHandleCopySharingTensor})
     * only write it on failure, so a stale error must not outlive the call that raised it.
     */
    static void check(TF_Status status) {
        if (TF_GetCode(status) != 0) {
            try {
                status.throwExceptionIfNotOK();
            } finally {
                TF_SetStatus(status, 0, "");
            }
        }
    }

    /** A new, counted handle sharing the (immutable) tensor of {@code handle}. */
    public TFE_TensorHandle share(TFE_TensorHandle handle) {
        TF_Status status = perThread().status;
        TFE_TensorHandle copy = TFE_TensorHandleCopySharingTensor(handle, status);
        check(status);
        return track(copy);
    }

    /** {@link HostTransfer#upload}, through the calling thread's reusable status (uncounted). */
    public TFE_TensorHandle upload(DType dtype, long[] dims, Object array) {
        return HostTransfer.upload(dtype, dims, array, perThread().status);
    }

    /** {@link HostTransfer#filled}, through the calling thread's reusable status (uncounted). */
    public TFE_TensorHandle filled(DType dtype, long[] dims, double value) {
        return HostTransfer.filled(dtype, dims, value, perThread().status);
    }

    /** {@link HostTransfer#download}, through the calling thread's reusable status. */
    public Object download(TFE_TensorHandle handle, DType dtype, long size) {
        return HostTransfer.download(handle, dtype, size, perThread().status);
    }

    /**
     * Stands for "zeros, not yet materialised" in a storage that holds no TensorFlow tensor yet (see
     * {@code TfStorage#zeros}). It is never passed to TensorFlow; it is counted like a handle (by
     * {@link #trackUnmaterialised()} and {@link #delete}) so that {@link #liveHandles()} means the
     * same whether or not a storage's zeros have been created.
     */
    public static final TFE_TensorHandle UNMATERIALISED = new TFE_TensorHandle();

    /** Counts {@link #UNMATERIALISED} held by a new storage as live, and returns it. */
    public TFE_TensorHandle trackUnmaterialised() {
        created.incrementAndGet();
        return UNMATERIALISED;
    }

    /** Counts a handle the provider now owns (an op output, an upload, a shared copy) as live. */
    public TFE_TensorHandle track(TFE_TensorHandle handle) {
        created.incrementAndGet();
        return handle;
    }

    /**
     * Deletes a handle counted by {@link #track} ({@link #UNMATERIALISED} is only uncounted). Null is
     * ignored.
     */
    public void delete(TFE_TensorHandle handle) {
        if (handle == null) {
            return;
        }
        if (handle != UNMATERIALISED) {
            TFE_DeleteTensorHandle(handle);
        }
        deleted.incrementAndGet();
    }

    /** Adjusts the byte count of tensor data held by live storages. */
    public void addStorageBytes(long delta) {
        liveBytes.addAndGet(delta);
    }

    /** Tensor handles created by this runtime and not yet deleted (storages and kernel temporaries). */
    public long liveHandles() {
        return created.get() - deleted.get();
    }

    /** Bytes of tensor data held by live storages (by their dtype and size). */
    public long liveStorageBytes() {
        return liveBytes.get();
    }

    /** Tensor handles created over the runtime's life. */
    public long handlesCreated() {
        return created.get();
    }
}
