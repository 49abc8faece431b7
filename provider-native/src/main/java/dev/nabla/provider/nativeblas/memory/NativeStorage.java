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
 *
 * <p><b>Releases that race with kernels.</b> Another thread may release a storage (close its scope)
 * while a kernel is using it. A kernel {@linkplain #pin pins} the storage it writes: a pinned storage
 * that is released goes back to the pool only when the last pin is dropped, so a write can never land
 * in a block that already belongs to another storage. The storages a kernel only reads are not pinned —
 * a pin is an atomic update of a line every reader of a shared parameter would fight over — but
 * {@linkplain #verify verified} once the kernel is done: if one was released meanwhile its block may
 * have been reused under the kernel, so the result is discarded with a {@link ReleasedTensorException}.
 * Either way a released storage never yields a value.
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
    /** Bit 0: released; the bits above: twice the number of pins. Changed by compare-and-set only. */
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
        if ((n.released & 1) != 0) {
            throw n.releasedError("native backend", null);
        }
        return n;
    }

    /**
     * As {@link #of(Storage)}, and pinned: released meanwhile, its block is not reused before
     * {@link #unpin()}. For the storage a kernel writes.
     */
    public static NativeStorage pin(Storage storage) {
        NativeStorage n = of(storage);
        for (int s = n.released; ; s = n.released) {
            if ((s & 1) != 0) {
                throw n.releasedError("native backend", null);
            }
            if (RELEASED.compareAndSet(n, s, s + 2)) {
                return n;
            }
        }
    }

    /** Drops a pin of {@link #pin}; the last pin of a released storage returns its block. */
    public void unpin() {
        int s = (int) RELEASED.getAndAdd(this, -2) - 2;
        if (s == 1) {
            pool.free(block, sizeClass, bytes);
        }
    }

    /**
     * Checks, after {@code kernel} ran, that none of the storages it read was released meanwhile (a
     * released block may have been reused, and the kernel may have read someone else's values).
     *
     * @throws ReleasedTensorException naming the kernel and the storage if one was
     */
    public static void verify(String kernel, NativeStorage a) {
        VarHandle.acquireFence(); // the kernel's reads of memory happen before the flag is read
        if ((a.released & 1) != 0) {
            throw a.releasedError(kernel, null);
        }
    }

    /** As {@link #verify(String, NativeStorage)} for two storages. */
    public static void verify(String kernel, NativeStorage a, NativeStorage b) {
        VarHandle.acquireFence();
        if ((a.released & 1) != 0) {
            throw a.releasedError(kernel, null);
        }
        if ((b.released & 1) != 0) {
            throw b.releasedError(kernel, null);
        }
    }

    /** As {@link #verify(String, NativeStorage)} for three storages. */
    public static void verify(String kernel, NativeStorage a, NativeStorage b, NativeStorage c) {
        verify(kernel, a, b);
        if ((c.released & 1) != 0) {
            throw c.releasedError(kernel, null);
        }
    }

    /**
     * What a kernel that failed with {@code e} should throw: a {@link ReleasedTensorException} (with
     * {@code e} as its cause) if one of {@code storages} was released meanwhile — a block given back to
     * the system fails with {@link IllegalStateException} — else {@code e} itself.
     */
    public static RuntimeException failure(String kernel, RuntimeException e, NativeStorage... storages) {
        VarHandle.acquireFence();
        for (NativeStorage s : storages) {
            if (s != null && (s.released & 1) != 0 && !(e instanceof ReleasedTensorException)) {
                return s.releasedError(kernel, e);
            }
        }
        return e;
    }

    private ReleasedTensorException releasedError(String where, Throwable cause) {
        ReleasedTensorException e = new ReleasedTensorException(where + ": " + dtype + " storage of " + size
                + " elements used after release: its tensor was released (its scope closed or it was closed, on"
                + " this or another thread); keep() it to use it after its scope");
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
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
        for (int s = released; (s & 1) == 0; s = released) {
            if (RELEASED.compareAndSet(this, s, s | 1)) {
                if (s == 0) { // not pinned: return the block now; else the last unpin() does
                    pool.free(block, sizeClass, bytes);
                }
                return;
            }
        }
    }

    @Override
    public boolean isReleased() {
        return (released & 1) != 0;
    }

    @Override
    public String toString() {
        return "NativeStorage[" + dtype + " x " + size + (isReleased() ? ", released]" : "]");
    }
}
