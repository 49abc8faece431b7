package dev.nabla.provider.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Threads share the eager context but each keeps its own reusable ops and status: two threads running
 * backward passes at once get the right gradients, and every handle is released afterwards.
 */
class ConcurrencyTest {
    @Test
    void twoThreadsAccumulateGradientsIndependently() throws Exception {
        TensorflowBackend backend = (TensorflowBackend) new TensorflowBackendProvider().create();
        TensorFactory f = TensorFactory.on(backend);
        long before = backend.liveHandles();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<double[]> work = () -> {
                Tensor kept;
                try (Scope s = Scope.open()) {
                    Tensor w = f.ones(3).requiresGrad(true);
                    for (int i = 0; i < 200; i++) {
                        w.mul(w).sum().backward();
                    }
                    kept = s.keep(w.grad().mul(1.0));
                }
                double[] g = kept.toDoubleArray();
                kept.close();
                return g;
            };
            List<Future<double[]>> results = pool.invokeAll(List.of(work, work, work, work));
            for (Future<double[]> r : results) {
                for (double v : r.get()) {
                    assertEquals(400.0, v, 0.0, "200 accumulated gradients of w² at w = 1");
                }
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(before, backend.liveHandles(), "handles of all threads released");
    }
}
