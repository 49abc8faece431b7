package dev.nabla.provider.reference;

import dev.nabla.tck.ForwardingKernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.NablaException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Deterministic memory (every storage a scope's work allocates is released when it closes, over
 * thousands of ops including backward passes), thread confinement of scopes, and backend discovery
 * through the real {@link java.util.ServiceLoader}.
 */
class MemoryAndSelectionTest {

    /** Kernels that remember every storage they hand out. */
    private static final class Tracking extends ForwardingKernels {
        final List<Storage> handedOut = new ArrayList<>();

        Tracking(Kernels k) {
            super(k);
        }

        @Override
        public synchronized Storage allocate(DType dtype, long size) {
            Storage s = super.allocate(dtype, size);
            handedOut.add(s);
            return s;
        }

        @Override
        public synchronized Storage fromArray(Object array) {
            Storage s = super.fromArray(array);
            handedOut.add(s);
            return s;
        }

        synchronized long live() {
            return handedOut.stream().filter(s -> !s.isReleased()).count();
        }
    }

    @Test
    void thousandsOfOpsInScopesLeaveOnlyParametersAndTheirGradients() {
        Tracking[] kernels = new Tracking[1];
        Backend backend = ForwardingKernels.backend("tracking", new ReferenceBackendProvider().create(), k -> kernels[0] = new Tracking(k));
        TensorFactory f = TensorFactory.on(backend);
        Generator gen = new Generator(5);
        Tensor w;
        Tensor b;
        try (Scope init = Scope.open()) {
            w = f.randn(gen, 8, 4).toParameter();
            b = f.zeros(4).toParameter();
        }
        assertEquals(2, kernels[0].live(), "the initial values were released with their scope");
        // 500 steps of about 20 ops each (forward, backward, shape ops): about 10,000 ops
        for (int step = 0; step < 500; step++) {
            try (Scope s = Scope.open()) {
                Tensor x = f.randn(gen, 16, 8);
                Tensor loss = x.matmul(w).add(b).tanh().logSoftmax(1).mean().neg();
                loss.backward();
                Tensor v = x.slice(0, 0, 8).reshape(4, 2, 8).permute(2, 0, 1).sum(new int[] {0, 2}, true);
                Tensor cat = Tensor.concat(List.of(v, v.exp(), v.square()), 0);
                assertEquals(12, cat.numel(), "[3, 4, 1]");
                assertTrue(s.size() > 20, "the scope owns the step's tensors: " + s.size());
            }
        }
        // after the loop: the two parameters and their two gradient buffers, nothing else
        assertEquals(4, kernels[0].live(), "storages still live after all scopes closed");
        w.close();
        b.close();
        assertEquals(0, kernels[0].live(), "closing the parameters releases them and their gradients");
    }

    @Test
    void scopesOnDifferentThreadsDoNotInterfere() throws Exception {
        TensorFactory f = TensorFactory.on(new ReferenceBackendProvider().create());
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
                return kept.toDoubleArray();
            };
            List<Future<double[]>> results = pool.invokeAll(List.of(work, work));
            for (Future<double[]> r : results) {
                double[] g = r.get();
                for (double v : g) {
                    assertEquals(400.0, v, 0.0, "200 accumulated gradients of w² at w = 1");
                }
            }
        } finally {
            pool.shutdown();
        }
        Scope s = Scope.open();
        Future<?> other = Executors.newSingleThreadExecutor().submit(s::close);
        Exception e = assertThrows(Exception.class, other::get);
        assertTrue(e.getCause() instanceof IllegalStateException && e.getCause().getMessage().contains("thread"),
                String.valueOf(e.getCause()));
        s.close();
    }

    @Test
    void serviceLoaderFindsTheReferenceProvider() {
        List<BackendProvider> found = Backends.providers();
        assertTrue(found.stream().anyMatch(p -> p.name().equals("reference") && p.availability().available()),
                Backends.describe(found));
        assertEquals("reference", Nabla.backend().name());
        assertSame(Nabla.backend(), Nabla.backend("reference"), "one backend instance per JVM");
        NablaException e = assertThrows(NablaException.class, () -> Nabla.backend("quantum"));
        assertTrue(e.getMessage().contains("'quantum'") && e.getMessage().contains("reference (priority 0, available"),
                e.getMessage());
        assertFalse(Nabla.zeros(2).isReleased());
    }
}
