package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Initializers: bounds and moments against their formulas on large draws, orthogonality exactly. */
class InitTest {
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    private static double[] moments(Tensor t) {
        double[] v = t.toDoubleArray();
        double mean = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double x : v) {
            mean += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        mean /= v.length;
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
        }
        return new double[] {mean, var / v.length, min, max};
    }

    @Test
    void glorotUniformHasItsBoundAndVariance() {
        try (Scope s = Scope.open()) {
            double[] m = moments(Init.glorotUniform(f, new Generator(1), 200, 100));
            double a = Math.sqrt(6.0 / 300);
            assertTrue(m[2] >= -a && m[3] <= a && m[3] > 0.99 * a, "in [-a, a] and reaching it");
            assertEquals(0, m[0], 0.01 * a);
            assertEquals(a * a / 3, m[1], 0.02 * a * a / 3);   // var of U(-a, a); 20000 draws
        }
    }

    @Test
    void glorotAndHeNormalHaveTheirVariance() {
        try (Scope s = Scope.open()) {
            double[] g = moments(Init.glorotNormal(f, new Generator(2), 200, 100));
            assertEquals(2.0 / 300, g[1], 0.03 * 2.0 / 300);
            double[] h = moments(Init.heNormal(f, new Generator(3), 200, 100));
            assertEquals(2.0 / 200, h[1], 0.03 * 2.0 / 200);
            assertEquals(0, h[0], 0.003);
            double[] hu = moments(Init.heUniform(f, new Generator(4), 200, 100));
            double a = Math.sqrt(6.0 / 200);
            assertTrue(hu[2] >= -a && hu[3] <= a);
            assertEquals(2.0 / 200, hu[1], 0.03 * 2.0 / 200);   // a²/3 = 2/fanIn
        }
    }

    @Test
    void orthogonalRowsWhenWideAndGainScales() {
        try (Scope s = Scope.open()) {
            Tensor q = Init.orthogonal(f, new Generator(5), 3, 7, 2.0).to(DType.FLOAT64);
            double[] qqt = q.matmul(q.transpose(0, 1)).toDoubleArray();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(i == j ? 4.0 : 0.0, qqt[i * 3 + j], 1e-5);
                }
            }
            Tensor sq = Init.orthogonal(f, new Generator(6), 5, 5, 1.0).to(DType.FLOAT64);
            double[] qtq = sq.transpose(0, 1).matmul(sq).toDoubleArray();
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(i == j ? 1.0 : 0.0, qtq[i * 5 + j], 1e-5);
                }
            }
        }
    }

    @Test
    void zerosAndConstant() {
        try (Scope s = Scope.open()) {
            double[] z = Init.zeros(f, 2, 3).toDoubleArray();
            double[] c = Init.constant(f, 0.25, 4).toDoubleArray();
            assertEquals(6, z.length);
            for (double v : z) {
                assertEquals(0.0, v);
            }
            for (double v : c) {
                assertEquals(0.25, v);
            }
        }
    }

    @Test
    void sameSeedSameWeights() {
        try (Scope s = Scope.open()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    Init.heNormal(f, new Generator(9), 4, 4).toFloatArray(),
                    Init.heNormal(f, new Generator(9), 4, 4).toFloatArray());
        }
    }
}
