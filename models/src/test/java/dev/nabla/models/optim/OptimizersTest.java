package dev.nabla.models.optim;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every update rule against an independent float64 reference written as plain loops (PyTorch's
 * formulas), over several steps with changing gradients, a changing learning rate and weight decay.
 */
class OptimizersTest {
    private static final int N = 7;
    private static final int STEPS = 6;
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    /** A reference rule: updates {@code p} in place given gradient {@code g}, the 1-based step and the rate. */
    interface Rule {
        void step(double[] p, double[] g, int t, double lr);
    }

    private static double[][] grads() {
        Generator r = new Generator(99);
        double[][] g = new double[STEPS][N];
        for (double[] row : g) {
            for (int i = 0; i < N; i++) {
                row[i] = r.nextGaussian() * (i + 1) * 0.3;
            }
        }
        return g;
    }

    private static double[] init() {
        Generator r = new Generator(5);
        double[] p = new double[N];
        for (int i = 0; i < N; i++) {
            p[i] = r.nextGaussian();
        }
        return p;
    }

    private static double lrAt(int t) {
        return 0.1 / t;  // changes every step, as a schedule would
    }

    private void check(Function<Map<String, Tensor>, Optimizer> make, Rule ref) {
        check(f, make, ref);
    }

    private static void check(TensorFactory f, Function<Map<String, Tensor>, Optimizer> make, Rule ref) {
        double[][] gs = grads();
        double[] expected = init();
        Tensor p;
        try (Scope s = Scope.open()) {
            p = f.of(init(), N).toParameter();
        }
        Map<String, Tensor> params = Map.of("w", p);
        try (Optimizer opt = make.apply(params)) {
            for (int t = 1; t <= STEPS; t++) {
                try (Scope s = Scope.open()) {
                    opt.zeroGrad();
                    p.mul(f.of(gs[t - 1], N)).sum().backward();  // d/dp Σ p·G = G
                    opt.learningRate(lrAt(t));
                    opt.step();
                }
                ref.step(expected, gs[t - 1], t, lrAt(t));
                double[] got = p.toDoubleArray();
                for (int i = 0; i < N; i++) {
                    assertEquals(expected[i], got[i], 1e-12 * Math.max(1, Math.abs(expected[i])),
                            opt.name() + " step " + t + " element " + i);
                }
            }
            assertEquals(STEPS, opt.steps());
        } finally {
            p.close();
        }
    }

    @Test
    void sgdPlain() {
        check(ps -> new SGD(ps, 0.1), (p, g, t, lr) -> {
            for (int i = 0; i < N; i++) {
                p[i] -= lr * g[i];
            }
        });
    }

    @Test
    void sgdMomentumWithWeightDecay() {
        double[] b = new double[N];
        check(ps -> new SGD(ps, 0.1, 0.9, 0.01, false), (p, g, t, lr) -> {
            for (int i = 0; i < N; i++) {
                double gi = g[i] + 0.01 * p[i];
                b[i] = t == 1 ? gi : 0.9 * b[i] + gi;
                p[i] -= lr * b[i];
            }
        });
    }

    @Test
    void sgdNesterov() {
        double[] b = new double[N];
        check(ps -> new SGD(ps, 0.1, 0.8, 0, true), (p, g, t, lr) -> {
            for (int i = 0; i < N; i++) {
                b[i] = t == 1 ? g[i] : 0.8 * b[i] + g[i];
                p[i] -= lr * (g[i] + 0.8 * b[i]);
            }
        });
    }

    @Test
    void adam() {
        check(ps -> new Adam(ps, 0.1), adamTorch(0.9, 0.999, 1e-8, 0, false));
    }

    @Test
    void adamWithL2() {
        check(ps -> new Adam(ps, 0.1, 0.8, 0.99, 1e-6, 0.05), adamTorch(0.8, 0.99, 1e-6, 0.05, false));
    }

    @Test
    void adamW() {
        check(ps -> new AdamW(ps, 0.1, 0.9, 0.95, 1e-8, 0.1), adamTorch(0.9, 0.95, 1e-8, 0.1, true));
    }

    /** The native backend offers a fused Adam step (AdamKernel): Adam, Adam with L2 and AdamW go through it. */
    @Test
    void theAdamFamilyThroughTheNativeBackendsFusedStep() {
        TensorFactory nat = TensorFactory.on(dev.nabla.api.Nabla.backend("native"));
        org.junit.jupiter.api.Assertions.assertTrue(nat.backend().fused(dev.nabla.api.backend.AdamKernel.class).isPresent());
        check(nat, ps -> new Adam(ps, 0.1), adamTorch(0.9, 0.999, 1e-8, 0, false));
        check(nat, ps -> new Adam(ps, 0.1, 0.8, 0.99, 1e-6, 0.05), adamTorch(0.8, 0.99, 1e-6, 0.05, false));
        check(nat, ps -> new AdamW(ps, 0.1, 0.9, 0.95, 1e-8, 0.1), adamTorch(0.9, 0.95, 1e-8, 0.1, true));
    }

    /** PyTorch's exact form: {@code θ -= lr/bc1 · m / (sqrt(v)/sqrt(bc2) + ε)}. */
    private static Rule adamTorch(double b1, double b2, double eps, double wd, boolean decoupled) {
        double[] m = new double[N];
        double[] v = new double[N];
        return (p, g, t, lr) -> {
            double bc1 = 1 - Math.pow(b1, t);
            double bc2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < N; i++) {
                double gi = g[i];
                if (decoupled) {
                    p[i] *= 1 - lr * wd;
                } else {
                    gi += wd * p[i];
                }
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                p[i] -= lr / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + eps);
            }
        };
    }

    private static Rule rmsRule(double alpha, double eps, double wd, double mu, boolean centered) {
        double[] sq = new double[N];
        double[] a = new double[N];
        double[] b = new double[N];
        return (p, g, t, lr) -> {
            for (int i = 0; i < N; i++) {
                double gi = g[i] + wd * p[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
                double avg;
                if (centered) {
                    a[i] = alpha * a[i] + (1 - alpha) * gi;
                    avg = Math.sqrt(sq[i] - a[i] * a[i]) + eps;
                } else {
                    avg = Math.sqrt(sq[i]) + eps;
                }
                if (mu > 0) {
                    b[i] = mu * b[i] + gi / avg;
                    p[i] -= lr * b[i];
                } else {
                    p[i] -= lr * gi / avg;
                }
            }
        };
    }

    @Test
    void rmsprop() {
        check(ps -> new RMSProp(ps, 0.1), rmsRule(0.99, 1e-8, 0, 0, false));
    }

    @Test
    void rmspropCenteredWithMomentumAndDecay() {
        check(ps -> new RMSProp(ps, 0.1, 0.9, 1e-6, 0.01, 0.5, true), rmsRule(0.9, 1e-6, 0.01, 0.5, true));
    }

    /** DESIGN: optimizers update in place through kernels, with no allocation per step. */
    @Test
    void stepsAllocateNothingOnTheBackend() {
        CountingKernels[] counter = new CountingKernels[1];
        Backend counting = CountingKernels.backend(counter);
        TensorFactory cf = TensorFactory.on(counting);
        List<Function<Map<String, Tensor>, Optimizer>> makers = List.of(
                ps -> new SGD(ps, 0.1, 0.9, 0.01, true),
                ps -> new Adam(ps, 0.01, 0.9, 0.999, 1e-8, 0.01),
                ps -> new AdamW(ps, 0.01),
                ps -> new RMSProp(ps, 0.01, 0.9, 1e-8, 0.01, 0.9, true));
        for (var make : makers) {
            Map<String, Tensor> params = new LinkedHashMap<>();
            try (Scope s = Scope.open()) {
                params.put("a", cf.randn(new Generator(1), 4, 3).toParameter());
                params.put("b", cf.randn(new Generator(2), 3).toParameter());
            }
            try (Optimizer opt = make.apply(params)) {
                try (Scope s = Scope.open()) {   // gradients exist from here on
                    params.get("a").square().sum().add(params.get("b").sum()).backward();
                }
                long before = counter[0].allocations.get();
                for (int i = 0; i < 5; i++) {
                    opt.learningRate(0.01 / (i + 1));
                    opt.step();
                }
                assertEquals(before, counter[0].allocations.get(),
                        opt.name() + ": steps allocated " + (counter[0].allocations.get() - before) + " storages");
                assertTrue(before > 0, "the counter counts");
            } finally {
                params.values().forEach(Tensor::close);
            }
        }
    }

    @Test
    void stateRoundTripsByNameAndResumesIdentically() {
        double[][] gs = grads();
        Tensor p1;
        Tensor p2;
        try (Scope s = Scope.open()) {
            p1 = f.of(init(), N).toParameter();
            p2 = f.of(init(), N).toParameter();
        }
        try (Adam a = new Adam(Map.of("w", p1), 0.05); Adam b = new Adam(Map.of("w", p2), 0.05)) {
            assertEquals(List.of("w.exp_avg", "w.exp_avg_sq"), List.copyOf(a.state().keySet()));
            for (int t = 0; t < 3; t++) {
                stepWith(a, p1, gs[t]);
            }
            b.loadState(a.state(), a.steps());
            p2.assign(p1);
            for (int t = 3; t < STEPS; t++) {
                stepWith(a, p1, gs[t]);
                stepWith(b, p2, gs[t]);
            }
            assertArrayEquals(p1.toDoubleArray(), p2.toDoubleArray());
            var ex = assertThrows(IllegalArgumentException.class, () -> b.loadState(Map.of(), 1));
            assertTrue(ex.getMessage().contains("'w.exp_avg' missing"), ex.getMessage());
        } finally {
            p1.close();
            p2.close();
        }
    }

    @Test
    void loadStateRejectsStateItDoesNotKeep() {
        Tensor p1;
        Tensor p2;
        try (Scope s = Scope.open()) {
            p1 = f.of(init(), N).toParameter();
            p2 = f.of(init(), N).toParameter();
        }
        try (SGD momentum = new SGD(Map.of("w", p1), 0.1, 0.9, 0, false); SGD plain = new SGD(Map.of("w", p2), 0.1)) {
            stepWith(momentum, p1, grads()[0]);
            assertEquals(List.of("w.momentum_buffer"), List.copyOf(momentum.state().keySet()));
            var ex = assertThrows(IllegalArgumentException.class, () -> plain.loadState(momentum.state(), momentum.steps()));
            assertTrue(ex.getMessage().contains("unexpected optimizer state 'w.momentum_buffer'"), ex.getMessage());
            assertEquals(0, plain.steps(), "nothing restored");
        } finally {
            p1.close();
            p2.close();
        }
    }

    private void stepWith(Optimizer o, Tensor p, double[] g) {
        try (Scope s = Scope.open()) {
            o.zeroGrad();
            p.mul(f.of(g, N)).sum().backward();
            o.step();
        }
    }

    @Test
    void factoryBuildsByNameAndRefusesUnknownSettings() {
        Tensor p;
        try (Scope s = Scope.open()) {
            p = f.of(init(), N).toParameter();
        }
        try {
            for (String n : Optimizers.NAMES) {
                try (Optimizer o = Optimizers.create(n, Map.of("w", p), Map.of("lr", 0.01))) {
                    assertEquals(n, o.name());
                    assertEquals(0.01, o.hyperParameters().get("lr"));
                }
            }
            var ex = assertThrows(IllegalArgumentException.class,
                    () -> Optimizers.create("adam", Map.of("w", p), Map.of("lr", 0.1, "momentum", 0.9)));
            assertTrue(ex.getMessage().contains("unknown setting 'momentum'") && ex.getMessage().contains("beta1"),
                    ex.getMessage());
            ex = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adagrad", Map.of("w", p), Map.of()));
            assertTrue(ex.getMessage().contains("valid: [adam, adamw, sgd, rmsprop]"), ex.getMessage());
        } finally {
            p.close();
        }
    }
}
