package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.BlockPool;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Blocks cached by a thread that has ended go back to the pool: 50 short-lived threads each allocate
 * and release blocks (which land in their own caches) and end; afterwards the pool holds no cache per
 * dead thread, the main thread is served those very blocks instead of new memory, and the byte and
 * reuse counters still count the dead threads' work.
 */
class DeadThreadCacheTest {
    @Test
    void blocksCachedByEndedThreadsAreReusedAndTheirCachesDropped() throws Exception {
        int threads = 50;
        int perThread = 16;
        long elements = 1000; // 4000-byte blocks: cached per thread
        try (BlockPool pool = new BlockPool(1L << 30)) {
            CountDownLatch allHolding = new CountDownLatch(threads);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    List<NativeStorage> held = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        held.add(pool.allocate(DType.FLOAT32, elements));
                    }
                    allHolding.countDown(); // all 800 blocks exist at once: none can be another's
                    try {
                        allHolding.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    held.forEach(NativeStorage::release);
                    pool.allocate(DType.FLOAT32, elements).release(); // a reuse from its own cache
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            assertEquals(0, pool.liveBytes(), "every byte the dead threads allocated was released");
            assertTrue(pool.threadCaches() <= 1, "caches registered after the threads ended: " + pool.threadCaches());
            long reusedBefore = pool.reusedBlocks();
            assertTrue(reusedBefore >= threads, "the dead threads' reuses still count: " + reusedBefore);
            List<NativeStorage> main = new ArrayList<>();
            for (int i = 0; i < threads * perThread; i++) {
                main.add(pool.allocate(DType.FLOAT32, elements));
            }
            long reused = pool.reusedBlocks() - reusedBefore;
            assertEquals(threads * perThread, reused,
                    "blocks of the dead threads served to the main thread: " + reused + " of " + threads * perThread);
            assertEquals(threads * perThread * elements * 4, pool.liveBytes());
            main.forEach(NativeStorage::release);
            assertEquals(0, pool.liveBytes());
            assertTrue(pool.threadCaches() <= 2, "only live threads keep a cache: " + pool.threadCaches());
        }
    }
}
