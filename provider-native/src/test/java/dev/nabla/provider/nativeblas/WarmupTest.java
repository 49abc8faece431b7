package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.provider.nativeblas.blas.BlasLocator;
import dev.nabla.provider.nativeblas.blas.OpenBlas;
import org.junit.jupiter.api.Test;

/**
 * The background JIT warm-up: it runs its steps to the end on its own backend (a failing op would end
 * it early, which {@link Warmup#run} reports), starts once per JVM, can be turned off, and leaves the
 * user's backends — their memory in particular — untouched.
 */
class WarmupTest {
    private static OpenBlas blas() {
        OpenBlas blas = BlasLocator.standard().locate().blas();
        assertNotNull(blas, "a BLAS library is needed for the native backend's tests");
        return blas;
    }

    @Test
    void everyStepRunsWithoutFailing() {
        assertEquals(3, Warmup.run(blas(), 1, 3), "a step that throws ends the warm-up early");
        assertEquals(2, Warmup.run(blas(), 2, 2));
    }

    @Test
    void startsOncePerJvmAndLeavesTheUsersBackendAlone() throws InterruptedException {
        NativeBackendProvider provider = NativeBackendProvider.using(BlasLocator.standard(), new ThreadSetting(2, "test"));
        try (NativeBackend backend = provider.create()) {
            Thread first = Warmup.startOnce(blas(), 2);
            if (Warmup.requested()) {
                assertNotNull(first);
                assertEquals(Warmup.THREAD_NAME, first.getName());
                assertTrue(first.isDaemon());
                assertSame(first, Warmup.startOnce(blas(), 2), "a second backend does not warm up again");
            }
            assertEquals(0, backend.liveBytes(), "the warm-up allocates from its own pool, not the backend's");
            if (first != null) {
                first.join(120_000);
                assertFalse(first.isAlive(), "the warm-up ends");
            }
            assertEquals(0, backend.liveBytes());
        }
    }

    @Test
    void theSystemPropertyTurnsItOff() {
        String before = System.getProperty(Warmup.PROPERTY);
        try {
            System.setProperty(Warmup.PROPERTY, "false");
            assertFalse(Warmup.requested());
            System.setProperty(Warmup.PROPERTY, " FALSE ");
            assertFalse(Warmup.requested());
            System.setProperty(Warmup.PROPERTY, "true");
            assertTrue(Warmup.requested());
            System.clearProperty(Warmup.PROPERTY);
            assertTrue(Warmup.requested(), "on by default");
        } finally {
            if (before == null) {
                System.clearProperty(Warmup.PROPERTY);
            } else {
                System.setProperty(Warmup.PROPERTY, before);
            }
        }
    }
}
