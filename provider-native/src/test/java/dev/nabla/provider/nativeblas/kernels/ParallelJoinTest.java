package dev.nabla.provider.nativeblas.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * When the caller's own part of a split range fails, {@link Parallel#forRange} still waits for the
 * other parts before it rethrows: they write into storages the caller may release right after.
 */
class ParallelJoinTest {
    @Test
    void theOtherPartsHaveFinishedWhenTheCallersPartThrows() {
        try (Parallel parallel = new Parallel(4)) {
            AtomicInteger finished = new AtomicInteger();
            assertThrows(AssertionError.class, () -> parallel.forRange(4 * Parallel.GRAIN, (from, to) -> {
                if (from == 0) {
                    throw new AssertionError("the caller's part fails");
                }
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                finished.incrementAndGet();
            }));
            assertEquals(3, finished.get(), "parts still running when forRange returned");
        }
    }

    @Test
    void aRuntimeExceptionOfTheCallersPartStillReachesTheCaller() {
        try (Parallel parallel = new Parallel(4)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> parallel.forRange(4 * Parallel.GRAIN, (from, to) -> {
                        if (from == 0) {
                            throw new IllegalStateException("part 0");
                        }
                    }));
            assertEquals("part 0", e.getMessage());
        }
    }
}
