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
 * <p>A block reused from the pool still holds its previous contents; it is zeroed lazily, on the first
 * {@link #segment()}, unless a kernel that writes every element asks for it with {@link #overwrite()}
 * first — then the zeroing, a pass over memory the kernel is about to write anyway, is skipped.
 * Either way nothing can read the old contents: every read goes through {@link #segment()}.
 *
 * <p>{@link #release()} returns the block to the {@link BlockPool} it came from at once (never
 * through the garbage collector); it is idempotent and thread-safe, so a block is returned exactly
 * once. A released storage fails with {@link ReleasedTensorException} in {@link #of(Storage)}, which
 * every kernel calls before touching memory.
 */
public final class NativeStorage implements Storage {
    private static final VarHandle RELEASED;
    private static final VarHandle DIRTY;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(NativeStorage.class, "released", int.class);
            DIRTY = MethodHandles.lookup().findVarHandle(NativeStorage.class, "dirty", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DType dtype;
    private final long size;
    private final MemorySegment segment;
    private final BlockPool.Block block;
    /** The block's size class and this storage's bytes, kept here so that a release reads no other object. */
    private final int sizeClass;
    private final long bytes;
    private final BlockPool pool;
    @SuppressWarnings("unused") // written through RELEASED
    private volatile int released;
    private volatile boolean dirty;

    NativeStorage(DType dtype, long size, MemorySegment segment, BlockPool.Block block, BlockPool pool,
                  boolean dirty) {
        this.dtype = dtype;
        this.size = size;
        this.segment = segment;
        this.block = block;
        this.sizeClass = block == null ? -1 : block.sizeClass;
        this.bytes = segment.byteSize();
        this.pool = pool;
        this.dirty = dirty;
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

    /**
     * The off-heap memory, exactly {@code size() · dtype().byteSize()} bytes, for reading or writing:
     * zero-filled first if it has never been written since allocation.
     */
    public MemorySegment segment() {
        if (dirty) {
            zero();
        }
        return segment;
    }

    /**
     * The off-heap memory for a kernel that writes every element before anything reads it (the output
     * of {@code binary}, {@code matmul}, …): skips the zero-filling {@link #segment()} would do. A
     * kernel fetches its inputs' segments first, so an output aliasing an input is still zeroed.
     */
    public MemorySegment overwrite() {
        if (dirty) {
            // a release store, not a volatile one: no fence per op; a reader that sees false through
            // the volatile read in segment() also sees everything written before it
            DIRTY.setRelease(this, false);
        }
        return segment;
    }

    private synchronized void zero() {
        if (dirty) {
            segment.fill((byte) 0);
            dirty = false;
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

    /** Size in bytes. */
    public long byteSize() {
        return bytes;
    }

    @Override
    public void release() {
        if (RELEASED.compareAndSet(this, 0, 1)) {
            pool.free(block, sizeClass, bytes);
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
