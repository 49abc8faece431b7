package dev.nabla.models.loss;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each loss against an independent float64 computation written as loops, and its gradient against
 * central finite differences of the loss itself.
 */
class LossesTest {
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    private static double[] rnd(int n, long seed, double scale) {
        Generator g = new Generator(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = g.nextGaussian() * scale;
        }
        return v;
    }

    /** Autodiff gradient of {@code loss(x)} at {@code x0} against central differences. */
    private void checkGradient(double[] x0, int[] dims, Function<Tensor, Tensor> loss) {
        try (Scope s = Scope.open()) {
            Tensor x = f.of(x0, dims).requiresGrad(true);
            double[] g = Autograd.grad(loss.apply(x), List.of(x)).get(0).toDoubleArray();
            double h = 1e-6;
            for (int i = 0; i < x0.length; i++) {
                double[] p = x0.clone();
                double[] m = x0.clone();
                p[i] += h;
                m[i] -= h;
                double fd = (loss.apply(f.of(p, dims)).item() - loss.apply(f.of(m, dims)).item()) / (2 * h);
                assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)), "d loss / d x[" + i + "]");
            }
        }
    }

    @Test
    void mseValueReductionsAndGradient() {
        double[] a = rnd(6, 1, 1);
        double[] b = rnd(6, 2, 1);
        try (Scope s = Scope.open()) {
            double sum = 0;
            double[] each = new double[6];
            for (int i = 0; i < 6; i++) {
                each[i] = (a[i] - b[i]) * (a[i] - b[i]);
                sum += each[i];
            }
            Tensor ta = f.of(a, 2, 3);
            Tensor tb = f.of(b, 2, 3);
            assertEquals(sum / 6, Losses.mse(ta, tb).item(), 1e-15);
            assertEquals(sum, Losses.mse(ta, tb, Reduction.SUM).item(), 1e-14);
            assertArrayEquals(each, Losses.mse(ta, tb, Reduction.NONE).toDoubleArray(), 1e-15);
            assertThrows(dev.nabla.api.types.ShapeException.class, () -> Losses.mse(ta, f.of(b, 6)));
        }
        checkGradient(a, new int[] {2, 3}, x -> Losses.mse(x, f.of(b, 2, 3)));
    }

    @Test
    void bceWithLogitsIsStableAndMatchesTheNaiveFormWhereThatIsAccurate() {
        double[] x = {-3, -0.5, 0, 0.7, 2.5, 4};
        double[] y = {0, 1, 0.5, 1, 0, 0.25};
        try (Scope s = Scope.open()) {
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                double sig = 1 / (1 + Math.exp(-x[i]));
                sum += -(y[i] * Math.log(sig) + (1 - y[i]) * Math.log(1 - sig));
            }
            assertEquals(sum / x.length, Losses.binaryCrossEntropyWithLogits(f.of(x, 6), f.of(y, 6)).item(), 1e-12);
            // |x| = 200: the naive form gives log(0) = -inf; the stable form gives the exact answer
            double[] big = Losses.binaryCrossEntropyWithLogits(f.of(new double[] {200, -200}, 2),
                    f.of(new double[] {0, 0}, 2), Reduction.NONE).toDoubleArray();
            assertEquals(200, big[0], 1e-12);
            assertEquals(0, big[1], 1e-12);
        }
        checkGradient(x, new int[] {6}, t -> Losses.binaryCrossEntropyWithLogits(t, f.of(y, 6), Reduction.SUM));
    }

    @Test
    void crossEntropyWithIgnoreIndexAndReductions() {
        int n = 5, c = 4;
        double[] x = rnd(n * c, 3, 2);
        long[] t = {2, -100, 0, 3, -100};
        double[] per = new double[n];
        double sum = 0;
        int counted = 0;
        for (int i = 0; i < n; i++) {
            if (t[i] == -100) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, x[i * c + j]);
            }
            double z = 0;
            for (int j = 0; j < c; j++) {
                z += Math.exp(x[i * c + j] - max);
            }
            per[i] = max + Math.log(z) - x[i * c + (int) t[i]];
            sum += per[i];
            counted++;
        }
        try (Scope s = Scope.open()) {
            Tensor logits = f.of(x, n, c);
            Tensor targets = f.of(t, n);
            assertEquals(sum / counted, Losses.crossEntropy(logits, targets, -100, Reduction.MEAN).item(), 1e-12);
            assertEquals(sum, Losses.crossEntropy(logits, targets, -100, Reduction.SUM).item(), 1e-12);
            assertArrayEquals(per, Losses.crossEntropy(logits, targets, -100, Reduction.NONE).toDoubleArray(), 1e-12);
            Tensor int32 = f.of(new int[] {2, 1, 0, 3, 1}, n);
            Tensor int64 = f.of(new long[] {2, 1, 0, 3, 1}, n);
            assertEquals(Losses.crossEntropy(logits, int64).item(), Losses.crossEntropy(logits, int32).item(),
                    "int32 targets pick the same classes as int64 ones");
            assertArrayEquals(Losses.crossEntropy(logits, int64, -100, Reduction.NONE).toDoubleArray(),
                    Losses.crossEntropy(logits, int32, -100, Reduction.NONE).toDoubleArray());
            var ex = assertThrows(IndexOutOfBoundsException.class,
                    () -> Losses.crossEntropy(logits, f.of(new long[] {0, 1, 4, 0, 0}, n)));
            assertTrue(ex.getMessage().contains("target 4 at position 2 is outside [0, 4)"), ex.getMessage());
            assertTrue(Double.isNaN(Losses.crossEntropy(f.of(x, n, c), f.of(new long[] {7, 7, 7, 7, 7}, n), 7,
                    Reduction.MEAN).item()), "a mean over nothing is NaN, as in PyTorch");
        }
        checkGradient(x, new int[] {n, c}, l -> Losses.crossEntropy(l, f.of(t, n), -100, Reduction.MEAN));
    }

    @Test
    void gaussianLogProbWithLogVarAndLogStd() {
        int n = 3, d = 2;
        double[] x = rnd(n * d, 4, 1);
        double[] mu = rnd(n * d, 5, 1);
        double[] lv = rnd(n * d, 6, 0.5);
        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                int k = i * d + j;
                double var = Math.exp(lv[k]);
                want[i] += -0.5 * Math.log(2 * Math.PI * var) - (x[k] - mu[k]) * (x[k] - mu[k]) / (2 * var);
            }
        }
        try (Scope s = Scope.open()) {
            assertArrayEquals(want, Losses.gaussianLogProb(f.of(x, n, d), f.of(mu, n, d), f.of(lv, n, d))
                    .toDoubleArray(), 1e-12);
            double[] logStd = new double[lv.length];
            for (int i = 0; i < lv.length; i++) {
                logStd[i] = lv[i] / 2;
            }
            assertArrayEquals(want, Losses.gaussianLogProbLogStd(f.of(x, n, d), f.of(mu, n, d), f.of(logStd, n, d))
                    .toDoubleArray(), 1e-12);
            double mean = -(want[0] + want[1] + want[2]) / 3;
            assertEquals(mean, Losses.gaussianNll(f.of(x, n, d), f.of(mu, n, d), f.of(lv, n, d), Reduction.MEAN)
                    .item(), 1e-12);
        }
        checkGradient(lv, new int[] {n, d}, l -> Losses.gaussianLogProb(f.of(x, n, d), f.of(mu, n, d), l).sum());
        checkGradient(mu, new int[] {n, d}, m -> Losses.gaussianLogProb(f.of(x, n, d), m, f.of(lv, n, d)).sum());
    }

    @Test
    void klBetweenDiagonalGaussiansInClosedForm() {
        int n = 2, d = 3;
        double[] m1 = rnd(n * d, 7, 1);
        double[] l1 = rnd(n * d, 8, 0.5);
        double[] m2 = rnd(n * d, 9, 1);
        double[] l2 = rnd(n * d, 10, 0.5);
        double[] want = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                int k = i * d + j;
                double s1 = Math.sqrt(Math.exp(l1[k]));
                double s2 = Math.sqrt(Math.exp(l2[k]));
                want[i] += Math.log(s2 / s1) + (s1 * s1 + (m1[k] - m2[k]) * (m1[k] - m2[k])) / (2 * s2 * s2) - 0.5;
            }
        }
        try (Scope s = Scope.open()) {
            assertArrayEquals(want, Losses.klDiagonalGaussians(f.of(m1, n, d), f.of(l1, n, d), f.of(m2, n, d),
                    f.of(l2, n, d)).toDoubleArray(), 1e-12);
            double[] self = Losses.klDiagonalGaussians(f.of(m1, n, d), f.of(l1, n, d), f.of(m1, n, d),
                    f.of(l1, n, d)).toDoubleArray();
            assertArrayEquals(new double[] {0, 0}, self, 1e-15, "KL(p ‖ p) = 0");
        }
        checkGradient(m1, new int[] {n, d}, m -> Losses.klDiagonalGaussians(m, f.of(l1, n, d), f.of(m2, n, d),
                f.of(l2, n, d)).sum());
        checkGradient(l1, new int[] {n, d}, l -> Losses.klDiagonalGaussians(f.of(m1, n, d), l, f.of(m2, n, d),
                f.of(l2, n, d)).sum());
    }
}
