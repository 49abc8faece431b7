package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.ShapeException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayersTest {
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    private static double[] randomValues(int n, long seed) {
        Generator g = new Generator(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = g.nextGaussian() * 2 + 0.5;
        }
        return v;
    }

    private Tensor f32(double[] v, int... dims) {
        float[] x = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = (float) v[i];
        }
        return f.of(x, dims);
    }

    @Test
    void layerNormMatchesLoopsOverTheLastTwoAxes() {
        int b = 3, r = 2, c = 4;
        double[] x = randomValues(b * r * c, 1);
        try (LayerNorm ln = new LayerNorm(f, new int[] {r, c}, 1e-5, true); Scope s = Scope.open()) {
            // non-trivial γ, β so the affine part is checked too
            ln.namedParameters().get("weight").assign(f32(randomValues(r * c, 2), r, c));
            ln.namedParameters().get("bias").assign(f32(randomValues(r * c, 3), r, c));
            double[] gamma = ln.namedParameters().get("weight").toDoubleArray();
            double[] beta = ln.namedParameters().get("bias").toDoubleArray();
            double[] got = ln.forward(f32(x, b, r, c)).toDoubleArray();
            int m = r * c;
            for (int i = 0; i < b; i++) {
                double mu = 0;
                for (int j = 0; j < m; j++) {
                    mu += (float) x[i * m + j];
                }
                mu /= m;
                double var = 0;
                for (int j = 0; j < m; j++) {
                    var += ((float) x[i * m + j] - mu) * ((float) x[i * m + j] - mu);
                }
                var /= m;
                for (int j = 0; j < m; j++) {
                    double want = ((float) x[i * m + j] - mu) / Math.sqrt(var + 1e-5) * gamma[j] + beta[j];
                    assertEquals(want, got[i * m + j], 1e-5, "element " + i + "," + j);
                }
            }
            var ex = assertThrows(ShapeException.class, () -> ln.forward(f.zeros(3, 4, 2)));
            assertTrue(ex.getMessage().contains("must end in [2, 4]"), ex.getMessage());
        }
    }

    @Test
    void batchNormUsesBatchStatisticsInTrainingAndRunningOnesInEval() {
        int n = 5, c = 3, l = 2;
        double[] x1 = randomValues(n * c * l, 4);
        double[] x2 = randomValues(n * c * l, 5);
        double[] rm = {0, 0, 0};
        double[] rv = {1, 1, 1};
        try (BatchNorm bn = new BatchNorm(f, c, 1e-5, 0.1, true); Scope s = Scope.open()) {
            for (double[] x : List.of(x1, x2)) {
                double[] got = bn.forward(f32(x, n, c, l)).toDoubleArray();
                for (int ch = 0; ch < c; ch++) {
                    double mu = 0;
                    int cnt = n * l;
                    for (int i = 0; i < n; i++) {
                        for (int k = 0; k < l; k++) {
                            mu += (float) x[(i * c + ch) * l + k];
                        }
                    }
                    mu /= cnt;
                    double ss = 0;
                    for (int i = 0; i < n; i++) {
                        for (int k = 0; k < l; k++) {
                            double d = (float) x[(i * c + ch) * l + k] - mu;
                            ss += d * d;
                        }
                    }
                    double biased = ss / cnt;
                    for (int i = 0; i < n; i++) {
                        for (int k = 0; k < l; k++) {
                            int at = (i * c + ch) * l + k;
                            assertEquals(((float) x[at] - mu) / Math.sqrt(biased + 1e-5), got[at], 1e-5);
                        }
                    }
                    rm[ch] = 0.9 * rm[ch] + 0.1 * mu;
                    rv[ch] = 0.9 * rv[ch] + 0.1 * ss / (cnt - 1);   // unbiased, as PyTorch
                }
            }
            assertArrayEquals(rm, bn.runningMean().toDoubleArray(), 1e-6);
            assertArrayEquals(rv, bn.runningVar().toDoubleArray(), 1e-6);
            assertEquals(List.of("running_mean", "running_var"), List.copyOf(bn.namedBuffers().keySet()));
            assertTrue(bn.state().containsKey("running_var"));

            bn.eval();
            double[] got = bn.forward(f32(x1, n, c, l)).toDoubleArray();
            for (int at = 0; at < got.length; at++) {
                int ch = (at / l) % c;
                assertEquals(((float) x1[at] - rm[ch]) / Math.sqrt(rv[ch] + 1e-5), got[at], 1e-5);
            }
            assertArrayEquals(rm, bn.runningMean().toDoubleArray(), 1e-6, "eval leaves the running statistics alone");
        }
    }

    @Test
    void dropoutIsInvertedSeededAndIdentityInEval() {
        try (Dropout d = new Dropout(0.25, new Generator(11)); Scope s = Scope.open()) {
            Tensor x = f.ones(10_000);
            double[] y = d.forward(x).toDoubleArray();
            int zeros = 0;
            for (double v : y) {
                if (v == 0) {
                    zeros++;
                } else {
                    assertEquals(1 / 0.75, v, 1e-6);
                }
            }
            assertEquals(0.25, zeros / 10_000.0, 0.02);   // 4.6 standard deviations is 0.02
            double[] again = new Dropout(0.25, new Generator(11)).forward(x).toDoubleArray();
            assertArrayEquals(y, again, "the same seed gives the same mask");
            assertNotEquals(java.util.Arrays.toString(y), java.util.Arrays.toString(d.forward(x).toDoubleArray()));
            d.eval();
            assertArrayEquals(x.toDoubleArray(), d.forward(x).toDoubleArray());
            assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, new Generator(1)));
        }
    }

    @Test
    void embeddingLooksUpRowsAndRoutesGradientsBack() {
        try (Embedding e = new Embedding(f, new Generator(3), 5, 2); Scope s = Scope.open()) {
            double[] w = e.weight().toDoubleArray();
            Tensor idx = f.of(new long[] {4, 0, 4, 1}, 2, 2);
            Tensor y = e.forward(idx);
            assertArrayEquals(new int[] {2, 2, 2}, y.shape().dims());
            assertArrayEquals(new double[] {w[8], w[9], w[0], w[1], w[8], w[9], w[2], w[3]}, y.toDoubleArray(), 0);
            y.sum().backward();
            assertArrayEquals(new double[] {1, 1, 1, 1, 0, 0, 0, 0, 2, 2}, e.weight().grad().toDoubleArray(), 0);
            assertArrayEquals(new double[] {w[2], w[3]}, e.forward(f.of(new int[] {1}, 1)).toDoubleArray(), 0,
                    "int32 indices work too");
            var ex = assertThrows(IndexOutOfBoundsException.class, () -> e.forward(f.of(new long[] {2, 5}, 2)));
            assertTrue(ex.getMessage().contains("index 5 at flat position 1 is outside [0, 5)"), ex.getMessage());
            assertThrows(DTypeException.class, () -> e.forward(f.zeros(2)));
        }
    }

    @Test
    void trainAndEvalPropagateToChildren() {
        try (Sequential s = new Sequential(new Linear(f, new Generator(1), 2, 2), new Dropout(0.5, new Generator(2)))) {
            assertTrue(s.isTraining());
            s.eval();
            assertTrue(!((Dropout) s.layers().get(1)).isTraining());
            s.train(true);
            assertTrue(((Dropout) s.layers().get(1)).isTraining());
        }
    }
}
