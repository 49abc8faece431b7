package dev.nabla.provider.nativeblas.memory;

import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ReleasedTensorException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@link Storage} over an off-heap {@link MemorySegment} of exactly {@code size · dtype.byteSize()}
 * bytes, row-major, bool stored as one byte 0 or 1.
 *
 * <p>{@link #release()} returns the block to the {@link BlockPool} it came from at once (never
 * through the garbage collector); it is idempotent and thread-safe, so a block is returned exactly
 * once. A released storage fails with {@link ReleasedTensorException} in {@link #of(Storage)}, which
 * every kernel calls before touching memory.
 */
public final class NativeStorage implements Storage {
    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(NativeStorage.class, "released", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DType dtype;
    private final long size;
    private final MemorySegment segment;
    private final BlockPool.Block block;
    private final BlockPool pool;
    @SuppressWarnings("unused") // written through RELEASED
    private volatile int released;

    NativeStorage(DType dtype, long size, MemorySegment segment, BlockPool.Block block, BlockPool pool) {
        this.dtype = dtype;
        this.size = size;
        this.segment = segment;
        this.block = block;
        this.pool = pool;
    }

    /**
     * The native storage behind {@code storage}, checked to be live.
     *
     * @throws IllegalArgumentException if the storage belongs to another backend
     * @throws ReleasedTensorException if it has been released
     */
    public static NativeStorage of(Storage storage) {
        if (!(storage instanceof NativeStorage n)) {
            throw new IllegalArgumentException("native backend: storage of class "
                    + (storage == null ? "null" : storage.getClass().getName()) + " belongs to another backend");
        }
        if (n.released != 0) {
            throw new ReleasedTensorException("native backend: " + n.dtype + " storage of " + n.size
                    + " elements used after release");
        }
        return n;
    }

    /** The off-heap memory: exactly {@code size() · dtype().byteSize()} bytes. */
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public long size() {
        return size;
    }

    /** Size in bytes. */
    public long byteSize() {
        return segment.byteSize();
    }

    @Override
    public void release() {
        if (RELEASED.compareAndSet(this, 0, 1)) {
            pool.free(block, segment.byteSize());
        }
    }

    @Override
    public boolean isReleased() {
        return released != 0;
    }

    @Override
    public String toString() {
        return "NativeStorage[" + dtype + " x " + size + (isReleased() ? ", released]" : "]");
    }
}
