package dev.nabla.provider.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * A fresh storage holds zeros that are created only when something reads them: it reads as zeros,
 * accumulates into zeros, counts as one live handle before and after its zeros exist, and its zeros
 * are created once however many threads read it first.
 */
class LazyZerosTest {
    private final TensorflowBackend backend = (TensorflowBackend) new TensorflowBackendProvider().create();
    private final Kernels k = backend.kernels();

    @Test
    void freshStorageReadsAsZerosAndCountsAsOneHandle() {
        long before = backend.liveHandles();
        long created = backend.handlesCreated();
        Storage s = k.allocate(DType.INT64, 3);
        assertEquals(before + 1, backend.liveHandles());
        assertArrayEquals(new long[3], (long[]) k.toArray(s));
        assertEquals(before + 1, backend.liveHandles(), "materialising keeps the count");
        assertEquals(created + 2, backend.handlesCreated(), "placeholder, then the zero tensor");
        s.release();
        assertEquals(before, backend.liveHandles());
        Storage never = k.allocate(DType.FLOAT32, 4);
        never.release();
        assertEquals(before, backend.liveHandles(), "an unread storage is released without a tensor");
    }

    @Test
    void kernelsReadingOrAccumulatingIntoAFreshOutputSeeZeros() {
        long before = backend.liveHandles();
        Storage src = k.fromArray(new float[] {1f, 2f});
        Storage out = k.allocate(DType.FLOAT32, 6);
        k.stridedWrite(src, Shape.of(2), out, 1, new long[] {2}, true);
        assertArrayEquals(new float[] {0f, 1f, 0f, 2f, 0f, 0f}, (float[]) k.toArray(out));
        Storage acc = k.allocate(DType.FLOAT32, 2);
        k.binary(BinaryOp.ADD, acc, Shape.of(2), src, Shape.of(2), acc, Shape.of(2));
        assertArrayEquals(new float[] {1f, 2f}, (float[]) k.toArray(acc));
        Storage copied = k.allocate(DType.FLOAT32, 2);
        k.copy(k.allocate(DType.FLOAT32, 2), copied);
        assertArrayEquals(new float[2], (float[]) k.toArray(copied));
        for (Storage s : List.of(src, out, acc, copied)) {
            s.release();
        }
        assertEquals(before + 1, backend.liveHandles(), "only the unreleased copy source is left");
    }

    @Test
    void threadsReadingAFreshStorageAtOnceCreateOneLiveTensor() throws Exception {
        long before = backend.liveHandles();
        int threads = 6;
        CyclicBarrier start = new CyclicBarrier(threads);
        for (int round = 0; round < 100; round++) {
            Storage s = k.allocate(DType.FLOAT64, 8);
            List<Thread> workers = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        assertArrayEquals(new double[8], (double[]) k.toArray(s));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            assertEquals(List.of(), failures);
            assertEquals(before + 1, backend.liveHandles(), "round " + round);
            s.release();
            assertEquals(before, backend.liveHandles(), "round " + round);
        }
    }
}
