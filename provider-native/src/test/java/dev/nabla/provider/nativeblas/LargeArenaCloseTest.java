package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.BlockPool;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Releasing large blocks while the pool closes: a large block's own arena is closed exactly once,
 * by whichever of {@code release} (beyond the retain limit) and {@code close} takes it out of the
 * pool's set, so a release racing with close never fails with "already closed".
 */
class LargeArenaCloseTest {
    @Test
    void releasesRacingWithCloseCloseEachLargeArenaOnce() throws Exception {
        int threads = 4;
        AtomicInteger failures = new AtomicInteger();
        for (int round = 0; round < 100; round++) {
            BlockPool pool = new BlockPool(0); // retain nothing: every large release closes its arena
            List<NativeStorage> blocks = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                blocks.add(pool.allocate(DType.BOOL, BlockPool.SLAB_LIMIT + 1));
            }
            CyclicBarrier start = new CyclicBarrier(threads + 1);
            List<Thread> releasers = new ArrayList<>();
            for (NativeStorage b : blocks) {
                releasers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        b.release();
                    } catch (Exception | Error e) {
                        failures.incrementAndGet();
                    }
                }));
            }
            start.await();
            pool.close();
            for (Thread t : releasers) {
                t.join();
            }
        }
        assertEquals(0, failures.get(), "releases that failed while the pool closed");
    }
}
