package dev.nabla.provider.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * Releasing a storage deletes its TensorFlow handle exactly once, however many threads release it at
 * the same moment: a second {@code TFE_DeleteTensorHandle} of one handle would corrupt native memory.
 * The provider counts deletions, so a double delete shows as the live count dropping by more than one
 * per storage.
 */
class ConcurrentReleaseTest {
    private final TensorflowBackend backend = (TensorflowBackend) new TensorflowBackendProvider().create();

    @Test
    void manyThreadsReleasingOneStorageDeleteItsHandleOnce() throws Exception {
        Kernels k = backend.kernels();
        int threads = 8;
        int rounds = 300;
        CyclicBarrier start = new CyclicBarrier(threads);
        long before = backend.liveHandles();
        long beforeBytes = backend.liveStorageBytes();
        for (int round = 0; round < rounds; round++) {
            Storage s = k.allocate(DType.FLOAT32, 16);
            assertEquals(before + 1, backend.liveHandles(), "round " + round + ": one handle allocated");
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    s.release();
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            assertTrue(s.isReleased());
            assertEquals(before, backend.liveHandles(), "round " + round + ": the handle was deleted exactly once");
            assertEquals(beforeBytes, backend.liveStorageBytes(), "round " + round + ": bytes subtracted once");
        }
    }

    @Test
    void replaceRacingWithReleaseNeitherLeaksNorDeletesTwice() throws Exception {
        Kernels k = backend.kernels();
        long before = backend.liveHandles();
        CyclicBarrier start = new CyclicBarrier(2);
        for (int round = 0; round < 300; round++) {
            Storage src = k.allocate(DType.FLOAT32, 16);
            Storage out = k.allocate(DType.FLOAT32, 16);
            Thread writer = Thread.ofPlatform().start(() -> {
                await(start);
                try {
                    k.fill(out, 1.0); // replaces out's handle
                } catch (RuntimeException released) {
                    // the release came first: the kernel refuses a released storage
                }
            });
            Thread releaser = Thread.ofPlatform().start(() -> {
                await(start);
                out.release();
            });
            writer.join();
            releaser.join();
            src.release();
            assertEquals(before, backend.liveHandles(), "round " + round + ": every handle deleted once");
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
