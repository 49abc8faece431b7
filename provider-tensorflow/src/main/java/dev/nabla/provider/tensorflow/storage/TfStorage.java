package dev.nabla.provider.tensorflow.storage;

import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ReleasedTensorException;
import dev.nabla.provider.tensorflow.runtime.HostTransfer;
import dev.nabla.provider.tensorflow.runtime.TfRuntime;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.tensorflow.internal.c_api.TFE_TensorHandle;

/**
 * A {@link Storage} that is a mutable holder of one TensorFlow eager tensor handle.
 *
 * <p>TensorFlow tensors are immutable values; a kernel that writes into a storage computes a new
 * tensor and {@linkplain #replace replaces} the held handle, deleting the old one at once. That is
 * how in-place updates (optimizer steps, gradient accumulation) work without leaking the previous
 * value. The handle's TensorFlow shape is remembered ({@link #dims()}) so kernels reshape only when a
 * logical shape differs from it.
 *
 * <p>A storage made by {@link #zeros} (every {@code allocate}) holds no tensor until it is read: its
 * zeros are created by the first {@link #handle()}, and a kernel that only writes its output replaces
 * the placeholder without ever creating them.
 *
 * <p>{@link #release()} deletes the handle immediately (TensorFlow frees the buffer when no other
 * handle shares it); it is idempotent and thread-safe, and never waits for the garbage collector.
 * Deleting a TensorFlow handle twice corrupts native memory, so every handle leaves this storage
 * through one atomic swap of the held handle: the thread whose swap takes it out deletes it, and no
 * other thread can. A {@link #replace} that races with {@link #release()} deletes the new handle
 * itself, so it neither leaks nor is deleted twice.
 */
public final class TfStorage implements Storage {
    private static final VarHandle RELEASED;
    private static final VarHandle HANDLE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            RELEASED = lookup.findVarHandle(TfStorage.class, "released", int.class);
            HANDLE = lookup.findVarHandle(TfStorage.class, "handle", TFE_TensorHandle.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final TfRuntime runtime;
    private final DType dtype;
    private final long size;
    /** Written only through {@link #HANDLE}'s atomic swaps. */
    private volatile TFE_TensorHandle handle;
    private volatile long[] dims;
    /** 0 while live, 1 once released; set by one compare-and-set. */
    private volatile int released;

    /**
     * Wraps a handle the runtime already {@linkplain TfRuntime#track tracks}; the storage owns it from
     * now on.
     *
     * @param runtime the runtime that created the handle
     * @param dtype   the element type of the handle
     * @param size    the number of elements
     * @param handle  the handle
     * @param dims    its TensorFlow shape (the product must be {@code size})
     */
    public TfStorage(TfRuntime runtime, DType dtype, long size, TFE_TensorHandle handle, long[] dims) {
        this.runtime = runtime;
        this.dtype = dtype;
        this.size = size;
        this.handle = handle;
        this.dims = dims;
        runtime.addStorageBytes(bytes());
    }

    /**
     * A new storage of {@code size} zeros of {@code dtype} whose tensor is created only when it is
     * first read ({@link #handle()}): most storages are op outputs whose kernel {@linkplain #replace
     * replaces} the tensor without reading it, so their zeros would be built only to be deleted.
     * Until then it holds {@link TfRuntime#UNMATERIALISED}, counted as a live handle, with TensorFlow
     * shape {@code [size]}.
     *
     * @throws IllegalArgumentException if the byte size overflows a {@code long}
     */
    public static TfStorage zeros(TfRuntime runtime, DType dtype, long size) {
        HostTransfer.byteSize(dtype, size); // reject impossible sizes before counting anything
        return new TfStorage(runtime, dtype, size, runtime.trackUnmaterialised(), new long[] {size});
    }

    /**
     * The TensorFlow storage behind {@code storage}, checked to be live.
     *
     * @throws IllegalArgumentException if it belongs to another backend
     * @throws ReleasedTensorException if it has been released
     */
    public static TfStorage of(Storage storage) {
        if (!(storage instanceof TfStorage t)) {
            throw new IllegalArgumentException("tensorflow backend: storage of class "
                    + (storage == null ? "null" : storage.getClass().getName()) + " belongs to another backend");
        }
        if (t.released != 0) {
            throw new ReleasedTensorException("tensorflow backend: " + t.dtype + " storage of " + t.size
                    + " elements used after release");
        }
        return t;
    }

    /**
     * The held handle; valid until the next {@link #replace} or {@link #release}. A storage still
     * holding unmaterialised zeros creates its zero tensor now.
     */
    public TFE_TensorHandle handle() {
        TFE_TensorHandle h = handle;
        return h == TfRuntime.UNMATERIALISED ? materialise() : h;
    }

    /**
     * Creates the zero tensor and installs it in place of {@link TfRuntime#UNMATERIALISED}, unless a
     * concurrent {@link #replace}, {@link #release} or other materialisation got there first (then the
     * new tensor is deleted and the current handle returned). A {@code release()} that comes after the
     * swap takes the zeros out like any handle, so they neither leak nor are deleted twice.
     */
    private TFE_TensorHandle materialise() {
        long[] zeroDims = {size};
        TFE_TensorHandle zeros = runtime.trackHost(runtime.filled(dtype, zeroDims, 0.0));
        if (HANDLE.compareAndSet(this, TfRuntime.UNMATERIALISED, zeros)) {
            runtime.delete(TfRuntime.UNMATERIALISED); // uncounts the placeholder
            return zeros;
        }
        runtime.delete(zeros);
        return handle;
    }

    /** The TensorFlow shape of the held handle (not a copy; do not modify). */
    public long[] dims() {
        return dims;
    }

    /**
     * Makes {@code next} (a tracked handle of this storage's dtype and size, with TensorFlow shape
     * {@code nextDims}) the held tensor and deletes the previous one. If the storage is released
     * meanwhile (by another thread), {@code next} is deleted instead of being kept.
     */
    public void replace(TFE_TensorHandle next, long[] nextDims) {
        TFE_TensorHandle old = (TFE_TensorHandle) HANDLE.getAndSet(this, next);
        dims = nextDims;
        if (old != next) {
            runtime.delete(old); // null if a concurrent release took it; delete ignores null
        }
        if (released != 0) {
            // release() set the flag before its swap; whichever swap comes last takes next out
            runtime.delete((TFE_TensorHandle) HANDLE.getAndSet(this, null));
        }
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long size() {
        return size;
    }

    /** Bytes of tensor data this storage holds. */
    public long bytes() {
        return HostTransfer.byteSize(dtype, size);
    }

    @Override
    public void release() {
        if (!RELEASED.compareAndSet(this, 0, 1)) {
            return;
        }
        runtime.delete((TFE_TensorHandle) HANDLE.getAndSet(this, null));
        runtime.addStorageBytes(-bytes());
    }

    @Override
    public boolean isReleased() {
        return released != 0;
    }

    @Override
    public String toString() {
        return "TfStorage[" + dtype + " x " + size + " " + Arrays.toString(dims) + (isReleased() ? ", released]" : "]");
    }
}
