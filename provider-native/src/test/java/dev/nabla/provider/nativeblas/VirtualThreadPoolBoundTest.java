package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.BlockPool;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/**
 * The pool stays bounded when every request runs on a fresh virtual thread (the JDK 21+ server style):
 * 30,000 requests, 32 at a time, each allocating and releasing a working set of small blocks. The memory
 * the pool takes from the system must stay within a small multiple of what 32 requests hold at once, and
 * no cache may be left behind per ended thread.
 */
class VirtualThreadPoolBoundTest {
    private static final long[] SIZES = {16, 64, 256, 1000, 4000, 16_000}; // float32 elements: 64 B … 64 KB
    private static final int BLOCKS_PER_SIZE = 8;

    @Test
    void freshVirtualThreadsPerRequestKeepThePoolBounded() throws Exception {
        int requests = 30_000;
        int concurrent = 32;
        long workingSet = 0;
        for (long n : SIZES) {
            workingSet += BLOCKS_PER_SIZE * n * 4;
        }
        try (BlockPool pool = new BlockPool(64L << 20)) {
            Semaphore slots = new Semaphore(concurrent);
            long t0 = System.nanoTime();
            try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int r = 0; r < requests; r++) {
                    slots.acquire();
                    ex.submit(() -> {
                        try {
                            List<NativeStorage> held = new ArrayList<>();
                            for (long n : SIZES) {
                                for (int i = 0; i < BLOCKS_PER_SIZE; i++) {
                                    held.add(pool.allocate(DType.FLOAT32, n));
                                }
                            }
                            held.forEach(NativeStorage::release);
                        } finally {
                            slots.release();
                        }
                    });
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long bound = 4L * concurrent * workingSet;
            String summary = String.format("%d requests in %.2f s; working set %d KiB; reserved %d KiB (bound %d KiB);"
                            + " thread caches %d", requests, seconds, workingSet >> 10, pool.reservedBytes() >> 10,
                    bound >> 10, pool.threadCaches());
            System.out.println("pool[" + summary + "]");
            assertEquals(0, pool.liveBytes(), summary);
            assertTrue(pool.reservedBytes() <= bound, "the pool grew beyond its bound: " + summary);
            assertTrue(pool.threadCaches() <= 2, "caches left behind by ended threads: " + summary);
        }
    }
}
