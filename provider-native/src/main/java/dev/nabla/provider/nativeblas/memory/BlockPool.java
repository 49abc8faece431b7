package dev.nabla.provider.nativeblas.memory;

import dev.nabla.api.types.DType;
import dev.nabla.api.types.Device;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A thread-safe pool of off-heap blocks in size classes, the host memory of the native backend.
 *
 * <p>A request of {@code b} bytes is served from the smallest class holding it: 64 bytes, then four
 * classes per power of two ({@code 2^e · (1 + q/4)}, q = 1…4), so at most a quarter is wasted.
 * {@link NativeStorage#release()} puts the block back — blocks up to 64 KiB first into a cache of the
 * releasing thread (up to 2 MiB per size class), without a lock, others (and overflow) on their class's
 * shared free list — and
 * the next request of that class takes it: a pop, far below a microsecond, instead of a {@code malloc} and
 * a {@code free} per op. A block, new or reused, reads as zeros, as {@link dev.nabla.api.backend.Kernels#allocate}
 * asks: {@link NativeStorage} zeroes it on first use unless a kernel overwrites it whole (new blocks come
 * from {@link UnzeroedMemory}, not zeroed twice).
 *
 * <p>Ownership: blocks up to {@value #SLAB_LIMIT} bytes are allocated from one shared {@link Arena}
 * owned by the pool and live until {@link #close()}; larger blocks each get their own shared arena, so
 * that once the free large blocks exceed {@code retainLimit} bytes the surplus is returned to the
 * system at once. Nothing here waits for the garbage collector. After {@link #close()} every segment
 * the pool handed out is invalid: a stray access throws {@link IllegalStateException}, it cannot
 * crash the JVM.
 *
 * <p><b>Threads.</b> Only platform threads get a cache of their own. A platform thread's cache stays
 * registered while the thread lives; caches of ended threads are retired (their blocks handed back to
 * the shared free lists, their counters folded into shared totals) when the number of registered caches
 * has doubled since the last sweep, and by {@link #liveBytes()}, {@link #reusedBlocks()} and
 * {@link #threadCaches()} — so a fresh platform thread per request strands at most as many caches as
 * there are live threads, and a sweep costs amortized O(1) per thread. Virtual threads — possibly
 * millions, each living for one request — never get a cache: they share a fixed set of
 * {@linkplain #stripes() striped caches} (a few per core, picked by thread id), each taken with a
 * try-lock that never waits (a busy stripe sends the request to the shared list), so nothing is left
 * behind when a virtual thread ends and the pool's memory is bounded by the peak of live bytes, not by
 * the number of threads that ever ran.
 */
public final class BlockPool implements DeviceMemory {
    /** Blocks up to this many bytes share the pool's arena; larger ones get their own. */
    public static final long SLAB_LIMIT = 1L << 20;
    private static final int MIN_SHIFT = 6;
    private static final int CLASSES = (62 - MIN_SHIFT) * 4 + 1;
    /** The block size of the largest class, 2^62 bytes: no request can be larger. */
    static final long MAX_BLOCK_BYTES = 1L << 62;
    /** Classes up to this one (64 KiB blocks) are also cached per thread, without a lock. */
    private static final int LOCAL_MAX_CLASS = sizeClass(64 << 10);
    /**
     * Bytes of free blocks of one class a thread's cache holds (at least {@value #LOCAL_MIN_DEPTH} blocks);
     * beyond it a released block goes to the shared list. A scope of a training step or of a loop of
     * small ops releases thousands of small blocks at once, and takes them back one by one in the next:
     * all of them should stay on the thread's own stack.
     */
    private static final long LOCAL_CLASS_BYTES = 2L << 20;
    /** The smallest per-class depth of a thread's cache. */
    private static final int LOCAL_MIN_DEPTH = 32;
    /** Per class, how many blocks a thread's cache holds at most. */
    private static final int[] LOCAL_DEPTH = new int[LOCAL_MAX_CLASS + 1];

    static {
        for (int c = 0; c <= LOCAL_MAX_CLASS; c++) {
            LOCAL_DEPTH[c] = (int) Math.max(LOCAL_MIN_DEPTH, LOCAL_CLASS_BYTES / classBytes(c));
        }
    }

    private final Arena slab = Arena.ofShared();
    private final long retainLimit;
    private final FreeList[] free = new FreeList[CLASSES];
    private final Set<Arena> largeArenas = ConcurrentHashMap.newKeySet();
    /** Every live thread's cache (and counters), for {@link #liveBytes()} and {@link #reusedBlocks()}. */
    private final Queue<LocalCache> caches = new ConcurrentLinkedQueue<>();
    /** Guards the retiring of dead threads' caches and the sums over all caches. */
    private final ReentrantLock retireLock = new ReentrantLock();
    /** The counters of retired caches (threads that have ended). */
    private final AtomicLong retiredNet = new AtomicLong();
    private final AtomicLong retiredReused = new AtomicLong();
    /** Caches registered (an estimate kept without walking the queue), and how many the last sweep left. */
    private final java.util.concurrent.atomic.AtomicInteger registered = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int afterSweep;
    private final ThreadLocal<LocalCache> local = ThreadLocal.withInitial(() -> {
        LocalCache c = new LocalCache();
        caches.add(c);
        if (registered.incrementAndGet() > 2 * Math.max(32, afterSweep)) {
            retireDeadThreads(false);
        }
        return c;
    });
    /** The caches virtual threads share, picked by thread id; a power of two of them. */
    private final LocalCache[] stripes;
    /** Counters of allocations and releases that went to no cache (a virtual thread whose stripe was busy). */
    private final AtomicLong sharedNet = new AtomicLong();
    private final AtomicLong sharedReused = new AtomicLong();
    private final AtomicLong freeLargeBytes = new AtomicLong();
    /** Arenas of large blocks whose closing a native call held up: {arena, bytes}. */
    private final Queue<Object[]> closeLater = new ConcurrentLinkedQueue<>();
    /** Bytes of blocks obtained from the system and not given back. */
    private final AtomicLong reserved = new AtomicLong();
    private volatile boolean closed;

    /**
     * A thread's own stacks of free small blocks, one per class: no lock, no contention. A stack starts
     * small and doubles up to its class's {@link #LOCAL_DEPTH}.
     */
    private static final class LocalCache {
        /** The owning platform thread; null for a stripe shared by virtual threads. */
        final Thread thread;
        final Block[][] stacks = new Block[LOCAL_MAX_CLASS + 1][LOCAL_MIN_DEPTH];
        final int[] counts = new int[LOCAL_MAX_CLASS + 1];
        /**
         * Bytes this thread allocated minus bytes it released, and blocks it reused: written only by
         * the owning thread, with opaque stores (plain moves, no atomic read-modify-write per op), and
         * summed over all threads by {@link #liveBytes()} and {@link #reusedBlocks()}.
         */
        @SuppressWarnings("unused") // through NET and REUSED
        long net;
        @SuppressWarnings("unused")
        long reused;

        void addNet(long bytes) {
            NET.setOpaque(this, (long) NET.getOpaque(this) + bytes);
        }

        void addReused() {
            REUSED.setOpaque(this, (long) REUSED.getOpaque(this) + 1);
        }

        /** A stripe's lock: 0 free, 1 held. Unused by a thread's own cache. */
        @SuppressWarnings("unused") // through LOCK
        volatile int lock;

        LocalCache(Thread thread) {
            this.thread = thread;
        }

        LocalCache() {
            this(Thread.currentThread());
        }

        boolean tryLock() {
            return lock == 0 && LOCK.compareAndSet(this, 0, 1);
        }

        void unlock() {
            LOCK.setRelease(this, 0);
        }
    }

    private static final VarHandle NET;
    private static final VarHandle REUSED;
    private static final VarHandle LOCK;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCK = l.findVarHandle(LocalCache.class, "lock", int.class);
            NET = l.findVarHandle(LocalCache.class, "net", long.class);
            REUSED = l.findVarHandle(LocalCache.class, "reused", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The free blocks of one size class, guarded by its own lock. */
    private static final class FreeList {
        final ArrayDeque<Block> blocks = new ArrayDeque<>();
    }

    /** One block of a size class; its memory is the whole class size. */
    static final class Block {
        final MemorySegment memory;
        final Arena own;
        final int sizeClass;
        /** The slice handed out last (segments are immutable: the next request of that size reuses it). */
        private MemorySegment slice;

        Block(MemorySegment memory, Arena own, int sizeClass) {
            this.memory = memory;
            this.own = own;
            this.sizeClass = sizeClass;
            this.slice = memory;
        }

        /** The first {@code bytes} bytes; called by the one thread that holds the block. */
        MemorySegment slice(long bytes) {
            MemorySegment s = slice;
            if (s.byteSize() != bytes) {
                s = memory.asSlice(0, bytes);
                slice = s;
            }
            return s;
        }
    }

    /**
     * A pool.
     *
     * @param retainLimit how many bytes of free large blocks (over {@value #SLAB_LIMIT} bytes) to keep
     *                    for reuse; beyond it released large blocks are freed at once
     */
    public BlockPool(long retainLimit) {
        this.retainLimit = retainLimit;
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new FreeList();
        }
        int n = Integer.highestOneBit(Math.clamp(4L * Runtime.getRuntime().availableProcessors(), 4, 64));
        stripes = new LocalCache[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new LocalCache(null);
        }
    }

    /** How many striped caches virtual threads share. */
    public int stripes() {
        return stripes.length;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public NativeStorage allocate(DType dtype, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("native backend: allocate: negative size " + size);
        }
        if (closed) {
            throw new IllegalStateException("native backend: allocate after the backend was closed");
        }
        if (size == 0) {
            return new NativeStorage(dtype, 0, MemorySegment.NULL, null, this, false);
        }
        if (size > MAX_BLOCK_BYTES / dtype.byteSize()) {
            throw new OutOfMemoryError("native backend: cannot allocate " + size + " elements of " + dtype
                    + ": more than the largest block of " + MAX_BLOCK_BYTES + " bytes");
        }
        long bytes = size * dtype.byteSize();
        int c = sizeClass(bytes);
        Thread me = Thread.currentThread();
        Block block;
        if (!me.isVirtual()) {
            LocalCache cache = local.get();
            block = take(cache, c);
            if (block != null) {
                cache.addReused();
            }
            cache.addNet(bytes);
        } else {
            LocalCache stripe = stripe(me);
            if (stripe.tryLock()) {
                try {
                    block = take(stripe, c);
                    if (block != null) {
                        stripe.addReused();
                    }
                    stripe.addNet(bytes);
                } finally {
                    stripe.unlock();
                }
            } else {
                block = take(null, c);
                if (block != null) {
                    sharedReused.incrementAndGet();
                }
                sharedNet.addAndGet(bytes);
            }
        }
        if (block == null) {   // fresh memory is not zeroed either (UnzeroedMemory): both are zeroed lazily
            block = newBlock(c);
        }
        return new NativeStorage(dtype, size, block.slice(bytes), block, this, true);
    }

    private LocalCache stripe(Thread virtual) {
        long id = virtual.threadId();
        return stripes[(int) (id ^ (id >>> 16)) & (stripes.length - 1)];
    }

    /** A block of class {@code c} from {@code cache} (null: none), else from the shared list, else null. */
    private Block take(LocalCache cache, int c) {
        if (cache != null && c <= LOCAL_MAX_CLASS) {
            int n = cache.counts[c];
            if (n > 0) {
                cache.counts[c] = n - 1;
                Block b = cache.stacks[c][n - 1];
                cache.stacks[c][n - 1] = null;
                return b;
            }
        }
        FreeList list = free[c];
        Block b;
        synchronized (list) {
            b = list.blocks.pollFirst();
        }
        if (b != null && b.own != null) {
            freeLargeBytes.addAndGet(-b.memory.byteSize());
        }
        return b;
    }

    private Block newBlock(int c) {
        long classBytes = classBytes(c);
        reserved.addAndGet(classBytes);
        if (classBytes <= SLAB_LIMIT) {
            return new Block(UnzeroedMemory.allocate(classBytes, 64, slab), null, c);
        }
        Arena own = Arena.ofShared();
        try {
            MemorySegment memory = UnzeroedMemory.allocate(classBytes, 64, own);
            largeArenas.add(own);
            return new Block(memory, own, c);
        } catch (RuntimeException | OutOfMemoryError e) {
            own.close();
            throw e;
        }
    }

    /** Returns a released storage's block; called once per block by {@link NativeStorage#release()}. */
    void free(Block block, int c, long bytes) {
        if (block == null) {
            return;
        }
        Thread me = Thread.currentThread();
        if (!me.isVirtual()) {
            LocalCache cache = local.get();
            cache.addNet(-bytes);
            if (closed || (c <= LOCAL_MAX_CLASS && push(cache, block, c))) {
                return;
            }
        } else {
            LocalCache stripe = stripe(me);
            if (stripe.tryLock()) {
                boolean kept;
                try {
                    stripe.addNet(-bytes);
                    kept = closed || (c <= LOCAL_MAX_CLASS && push(stripe, block, c));
                } finally {
                    stripe.unlock();
                }
                if (kept) {
                    return;
                }
            } else {
                sharedNet.addAndGet(-bytes);
                if (closed) {
                    return;
                }
            }
        }
        freeShared(block, c);
    }

    /** Pushes {@code block} onto {@code cache}'s stack of class {@code c} if it has room. */
    private static boolean push(LocalCache cache, Block block, int c) {
        {
            int n = cache.counts[c];
            Block[] stack = cache.stacks[c];
            if (n == stack.length && n < LOCAL_DEPTH[c]) {
                stack = java.util.Arrays.copyOf(stack, Math.min(2 * n, LOCAL_DEPTH[c]));
                cache.stacks[c] = stack;
            }
            if (n < stack.length) {
                stack[n] = block;
                cache.counts[c] = n + 1;
                return true;
            }
        }
        return false;
    }

    /**
     * Closes a large block's arena and gives its memory back. A native call (a BLAS product) still
     * reading the block of a storage released under it holds the arena open: then the arena waits in
     * {@link #closeLater} and the next large release tries again.
     */
    private void closeLarge(Arena own, long size) {
        try {
            own.close();
            reserved.addAndGet(-size);
        } catch (IllegalStateException heldByANativeCall) {
            closeLater.add(new Object[] {own, size});
            return;
        }
        for (int i = closeLater.size(); i > 0; i--) {
            Object[] waiting = closeLater.poll();
            if (waiting == null) {
                break;
            }
            try {
                ((Arena) waiting[0]).close();
                reserved.addAndGet(-(long) waiting[1]);
            } catch (IllegalStateException stillHeld) {
                closeLater.add(waiting);
            }
        }
    }

    /** Puts a block on its class's shared list, or gives a large one back beyond the retain limit. */
    private void freeShared(Block block, int c) {
        if (block.own != null) {
            long size = block.memory.byteSize();
            if (freeLargeBytes.addAndGet(size) > retainLimit) {
                freeLargeBytes.addAndGet(-size);
                // close() may have closed it meanwhile: whoever removes the arena from the set closes it
                if (largeArenas.remove(block.own)) {
                    closeLarge(block.own, size);
                }
                return;
            }
        }
        FreeList list = free[c];
        synchronized (list) {
            list.blocks.addFirst(block);
        }
    }

    /**
     * The size class of a request of {@code bytes > 0}.
     *
     * @throws OutOfMemoryError if {@code bytes} exceeds the largest class, {@link #MAX_BLOCK_BYTES}
     */
    static int sizeClass(long bytes) {
        if (bytes > MAX_BLOCK_BYTES) {
            throw new OutOfMemoryError("native backend: cannot allocate a block of " + bytes
                    + " bytes: the largest block is " + MAX_BLOCK_BYTES + " bytes");
        }
        if (bytes <= (1L << MIN_SHIFT)) {
            return 0;
        }
        int e = 63 - Long.numberOfLeadingZeros(bytes - 1); // 2^e < bytes <= 2^(e+1)
        long unit = 1L << (e - 2);
        long q = (bytes - (1L << e) + unit - 1) / unit; // 1..4
        return (e - MIN_SHIFT) * 4 + (int) q;
    }

    /** The block size of class {@code c}. */
    static long classBytes(int c) {
        if (c == 0) {
            return 1L << MIN_SHIFT;
        }
        int e = (c - 1) / 4 + MIN_SHIFT;
        long q = (c - 1) % 4 + 1;
        return (1L << e) + q * (1L << (e - 2));
    }

    /**
     * Retires the caches of threads that have ended: their counters go to the shared totals and the
     * caches are unregistered under {@link #retireLock} (a walk of the registered caches, nothing more),
     * then their blocks go to the shared free lists (dropped if the pool is closed) outside the lock.
     * Unless {@code wait}, returns at once if another thread holds the lock. A thread's cache is only
     * ever written by that thread, so once it has ended (which happens-before {@link Thread#isAlive()}
     * returning false) its contents are final and visible here.
     */
    private void retireDeadThreads(boolean wait) {
        if (!wait) {
            if (!retireLock.tryLock()) {
                return;
            }
        } else {
            retireLock.lock();
        }
        java.util.List<LocalCache> dead = new java.util.ArrayList<>();
        try {
            int alive = 0;
            for (Iterator<LocalCache> it = caches.iterator(); it.hasNext(); ) {
                LocalCache c = it.next();
                if (c.thread.isAlive()) {
                    alive++;
                    continue;
                }
                it.remove();
                retiredNet.addAndGet((long) NET.getOpaque(c));
                retiredReused.addAndGet((long) REUSED.getOpaque(c));
                dead.add(c);
            }
            registered.addAndGet(-dead.size());
            afterSweep = alive;
        } finally {
            retireLock.unlock();
        }
        for (LocalCache c : dead) {
            for (int k = 0; k <= LOCAL_MAX_CLASS; k++) {
                int n = c.counts[k];
                if (n == 0) {
                    continue;
                }
                Block[] stack = c.stacks[k];
                if (!closed) {
                    FreeList list = free[k];
                    synchronized (list) {
                        for (int i = 0; i < n; i++) {
                            list.blocks.addFirst(stack[i]);
                        }
                    }
                }
                c.counts[k] = 0;
                c.stacks[k] = null;
            }
        }
    }

    @Override
    public long liveBytes() {
        retireDeadThreads(true);
        retireLock.lock();
        try {
            long sum = retiredNet.get() + sharedNet.get();
            for (LocalCache c : caches) {
                sum += (long) NET.getOpaque(c);
            }
            for (LocalCache c : stripes) {
                sum += (long) NET.getVolatile(c);
            }
            return sum;
        } finally {
            retireLock.unlock();
        }
    }

    /** How many allocations were served by reusing a released block. */
    public long reusedBlocks() {
        retireDeadThreads(true);
        retireLock.lock();
        try {
            long sum = retiredReused.get() + sharedReused.get();
            for (LocalCache c : caches) {
                sum += (long) REUSED.getOpaque(c);
            }
            for (LocalCache c : stripes) {
                sum += (long) REUSED.getVolatile(c);
            }
            return sum;
        } finally {
            retireLock.unlock();
        }
    }

    /**
     * How many thread caches are registered: one per thread that has used the pool and not yet been
     * found ended (for tests and diagnostics).
     */
    public int threadCaches() {
        retireDeadThreads(true);
        return caches.size();
    }

    /**
     * Bytes of blocks obtained from the system and not given back: live blocks, free blocks in the shared
     * lists and in threads' caches. What the pool adds to the process's resident memory, at most.
     */
    public long reservedBytes() {
        return reserved.get();
    }

    /** Bytes of released large blocks kept for reuse. */
    public long retainedLargeBytes() {
        return freeLargeBytes.get();
    }

    /** True once {@link #close()} has run. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (FreeList list : free) {
            synchronized (list) {
                list.blocks.clear();
            }
        }
        for (Arena a : largeArenas) {
            if (largeArenas.remove(a)) { // a concurrent free() may be closing it
                closeLarge(a, 0); // the pool is closing: its byte counts no longer matter
            }
        }
        for (Object[] waiting; (waiting = closeLater.poll()) != null; ) {
            try {
                ((Arena) waiting[0]).close();
            } catch (IllegalStateException stillHeld) {
                // a native call still runs on it; its memory goes when the process ends
            }
        }
        slab.close();
    }
}
