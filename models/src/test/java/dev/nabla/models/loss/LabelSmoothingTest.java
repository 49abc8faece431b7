package dev.nabla.models.loss;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-entropy with label smoothing against its closed forms: the loss {@code −Σ_c q_c log p_c} with
 * {@code q = (1 − ε)·onehot(t) + ε/C} written as float64 loops, its gradient {@code (p − q)/N} for the mean,
 * and {@code log C} for uniform logits whatever ε.
 */
class LabelSmoothingTest {
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    private static double[] rnd(int n, long seed) {
        Generator g = new Generator(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * g.nextGaussian();
        }
        return v;
    }

    @Test
    void valueAndGradientAreTheClosedForms() {
        int n = 5;
        int c = 7;
        double eps = 0.1;
        int ignore = 3;
        long[] t = {2, 3, 0, 6, 3};        // two ignored rows
        double[] x = rnd(n * c, 11);
        double sum = 0;
        int counted = 0;
        double[][] p = new double[n][c];
        double[] each = new double[n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c; k++) {
                max = Math.max(max, x[i * c + k]);
            }
            double z = 0;
            for (int k = 0; k < c; k++) {
                z += Math.exp(x[i * c + k] - max);
            }
            for (int k = 0; k < c; k++) {
                p[i][k] = Math.exp(x[i * c + k] - max) / z;
            }
            if (t[i] == ignore) {
                continue;
            }
            for (int k = 0; k < c; k++) {
                double q = (k == t[i] ? 1 - eps : 0) + eps / c;
                each[i] -= q * Math.log(p[i][k]);
            }
            sum += each[i];
            counted++;
        }
        try (Scope s = Scope.open()) {
            Tensor logits = f.of(x, n, c).to(DType.FLOAT64).requiresGrad(true);
            Tensor targets = f.of(t, n);
            Tensor mean = Losses.crossEntropy(logits, targets, ignore, eps, Reduction.MEAN);
            assertEquals(sum / counted, mean.item(), 1e-12);
            assertEquals(sum, Losses.crossEntropy(logits, targets, ignore, eps, Reduction.SUM).item(), 1e-12);
            double[] none = Losses.crossEntropy(logits, targets, ignore, eps, Reduction.NONE).toDoubleArray();
            for (int i = 0; i < n; i++) {
                assertEquals(each[i], none[i], 1e-12, "row " + i);
            }
            double[] g = Autograd.grad(mean, List.of(logits)).get(0).toDoubleArray();
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < c; k++) {
                    double q = (k == t[i] ? 1 - eps : 0) + eps / c;
                    double want = t[i] == ignore ? 0 : (p[i][k] - q) / counted;
                    assertEquals(want, g[i * c + k], 1e-12, "d/dx[" + i + "," + k + "]");
                }
            }
        }
    }

    @Test
    void uniformLogitsCostLogCWhateverTheSmoothing() {
        try (Scope s = Scope.open()) {
            Tensor logits = f.zeros(dev.nabla.api.types.Shape.of(4, 9), DType.FLOAT64);
            Tensor targets = f.of(new long[] {0, 8, 4, 1}, 4);
            for (double eps : new double[] {0, 0.1, 0.5, 1}) {
                assertEquals(Math.log(9), Losses.crossEntropy(logits, targets, -100, eps, Reduction.MEAN).item(), 1e-14,
                        "eps " + eps);
            }
        }
    }

    @Test
    void zeroSmoothingIsPlainCrossEntropyAndOneIsTheUniformTarget() {
        double[] x = rnd(3 * 4, 5);
        try (Scope s = Scope.open()) {
            Tensor logits = f.of(x, 3, 4).to(DType.FLOAT64);
            Tensor targets = f.of(new long[] {1, 0, 3}, 3);
            assertEquals(Losses.crossEntropy(logits, targets, -100, Reduction.MEAN).item(),
                    Losses.crossEntropy(logits, targets, -100, 0.0, Reduction.MEAN).item(), 0);
            double uniform = logits.logSoftmax(1).mean(1, false).neg().mean().item();
            assertEquals(uniform, Losses.crossEntropy(logits, targets, -100, 1.0, Reduction.MEAN).item(), 1e-14);
        }
    }

    @Test
    void smoothingOutsideZeroToOneIsRefusedByValue() {
        try (Scope s = Scope.open()) {
            Tensor logits = f.zeros(dev.nabla.api.types.Shape.of(2, 3), DType.FLOAT64);
            Tensor targets = f.of(new long[] {0, 1}, 2);
            String m = assertThrows(IllegalArgumentException.class,
                    () -> Losses.crossEntropy(logits, targets, -100, 1.5, Reduction.MEAN)).getMessage();
            assertTrue(m.contains("label smoothing") && m.contains("1.5"), m);
        }
    }
}
