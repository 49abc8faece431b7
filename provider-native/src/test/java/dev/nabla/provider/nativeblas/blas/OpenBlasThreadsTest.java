package dev.nabla.provider.nativeblas.blas;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Small products run on one OpenBLAS thread, large ones on the configured maximum, as read back from the
 * library itself ({@code openblas_get_num_threads}); products of both kinds from several Java threads at
 * once still compute the right numbers.
 */
class OpenBlasThreadsTest {
    private static OpenBlas blas;

    @BeforeAll
    static void load() {
        blas = BlasLocator.standard().locate().library().orElseThrow();
    }

    @AfterAll
    static void restore() {
        blas.setNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void theThresholdIs128Cubed() {
        assertEquals(1, OpenBlas.threadsFor(128L * 128 * 128, 4));
        assertEquals(4, OpenBlas.threadsFor(128L * 128 * 128 + 1, 4));
        assertEquals(1, OpenBlas.threadsFor(1, 1));
        assertThrows(IllegalArgumentException.class, () -> blas.setNumThreads(0));
    }

    @Test
    void theLibrarysThreadCountFollowsTheProductsSize() {
        blas.setNumThreads(2);
        assertEquals(2, blas.libraryThreads());
        try (Arena arena = Arena.ofConfined()) {
            product(arena, 8, 8, 8, new Random(1));
            assertEquals(1, blas.libraryThreads(), "an 8x8x8 product runs on one thread");
            product(arena, 256, 256, 256, new Random(2));
            assertEquals(2, blas.libraryThreads(), "a 256^3 product may use both");
            product(arena, 128, 128, 128, new Random(3));
            assertEquals(1, blas.libraryThreads());
        }
    }

    @Test
    void concurrentSmallAndLargeProductsAreRight() throws Exception {
        blas.setNumThreads(2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                jobs.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    try (Arena arena = Arena.ofConfined()) {
                        for (int i = 0; i < 30; i++) {
                            int size = (i + seed) % 3 == 0 ? 200 : 12;
                            product(arena, size, size + 3, size - 1, r);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> j : jobs) {
                j.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** One float32 product m×k times k×n checked against a double loop. */
    private static void product(Arena arena, int m, int n, int k, Random r) {
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextFloat() - 0.5f;
        }
        MemorySegment sa = arena.allocateFrom(ValueLayout.JAVA_FLOAT, a);
        MemorySegment sb = arena.allocateFrom(ValueLayout.JAVA_FLOAT, b);
        MemorySegment sc = arena.allocate(ValueLayout.JAVA_FLOAT, (long) m * n);
        blas.sgemm(false, false, m, n, k, sa, k, sb, n, sc, n);
        for (int i = 0; i < m; i += Math.max(1, m / 7)) {
            for (int j = 0; j < n; j += Math.max(1, n / 5)) {
                double want = 0;
                for (int p = 0; p < k; p++) {
                    want += (double) a[i * k + p] * b[p * n + j];
                }
                assertEquals(want, sc.getAtIndex(ValueLayout.JAVA_FLOAT, (long) i * n + j), 1e-4 * Math.sqrt(k),
                        "c[" + i + "][" + j + "] of " + m + "x" + n + "x" + k);
            }
        }
    }
}
