package dev.nabla.models.image;

import dev.nabla.api.tensor.Generator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The Fréchet distance against closed forms on Gaussians — diagonal covariances
 * ({@code Σ (√a − √b)²}), general 2×2 ones ({@code Tr √M = sqrt(tr M + 2 sqrt(det M))} for a 2×2
 * {@code M} with non-negative eigenvalues) — and the feature statistics against a direct computation.
 */
class FrechetDistanceTest {
    @Test
    void diagonalGaussians() {
        double[] m1 = {0.5, -1, 2, 0};
        double[] m2 = {1.5, 0, 2, -3};
        double[] a = {1, 4, 0.25, 2};
        double[] b = {9, 1, 0.25, 0.5};
        double expect = 1 + 1 + 0 + 9;
        for (int i = 0; i < 4; i++) {
            expect += Math.pow(Math.sqrt(a[i]) - Math.sqrt(b[i]), 2);
        }
        assertEquals(expect, FrechetDistance.between(m1, diag(a), m2, diag(b)), 1e-10);
    }

    private static double[] diag(double[] v) {
        double[] m = new double[v.length * v.length];
        for (int i = 0; i < v.length; i++) {
            m[i * v.length + i] = v[i];
        }
        return m;
    }

    @Test
    void generalTwoByTwoGaussians() {
        double[] s1 = {2.0, 0.8, 0.8, 1.0};
        double[] s2 = {0.5, -0.3, -0.3, 1.5};
        double[] p = {s1[0] * s2[0] + s1[1] * s2[2], s1[0] * s2[1] + s1[1] * s2[3],
            s1[2] * s2[0] + s1[3] * s2[2], s1[2] * s2[1] + s1[3] * s2[3]};
        double traceRoot = Math.sqrt(p[0] + p[3] + 2 * Math.sqrt(p[0] * p[3] - p[1] * p[2]));
        double expect = 0.25 + 4 + (s1[0] + s1[3]) + (s2[0] + s2[3]) - 2 * traceRoot;
        assertEquals(expect, FrechetDistance.between(new double[] {0, 0}, s1, new double[] {0.5, 2}, s2), 1e-10);
        assertEquals(0, FrechetDistance.between(new double[] {1, 2}, s1, new double[] {1, 2}, s1), 1e-10, "to itself");
    }

    @Test
    void aSingularCovarianceIsFine() {
        double[] s1 = {1, 1, 1, 1};   // rank 1
        double[] s2 = {1, 0, 0, 0};
        // Σ1^{1/2} = Σ1/√2, M = Σ1 Σ2 Σ1 / 2 = [[.5,.5],[.5,.5]], Tr √M = 1
        assertEquals(2 + 1 - 2, FrechetDistance.between(new double[2], s1, new double[2], s2), 1e-9);
    }

    @Test
    void featureStatisticsAreTheMeanAndTheUnbiasedCovariance() {
        Generator g = new Generator(3);
        int n = 7;
        int d = 3;
        float[] rows = new float[n * d];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) g.nextGaussian();
        }
        FeatureStatistics s = FeatureStatistics.of(rows, n, d);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += rows[i * d + j] / (double) n;
            }
        }
        double[] cov = new double[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                for (int i = 0; i < n; i++) {
                    cov[a * d + b] += (rows[i * d + a] - mean[a]) * (rows[i * d + b] - mean[b]) / (n - 1);
                }
            }
        }
        assertArrayEquals(mean, s.mean(), 1e-12);
        assertArrayEquals(cov, s.covariance(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> FeatureStatistics.of(new float[3], 1, 3));
    }

    @Test
    void samplesOfTwoGaussiansApproachTheirClosedFormDistance() {
        Generator g = new Generator(8);
        int n = 200_000;
        float[] a = new float[2 * n];
        float[] b = new float[2 * n];
        for (int i = 0; i < n; i++) {
            a[2 * i] = (float) g.nextGaussian();
            a[2 * i + 1] = (float) (2 * g.nextGaussian());
            b[2 * i] = (float) (1 + 3 * g.nextGaussian());
            b[2 * i + 1] = (float) g.nextGaussian();
        }
        double expect = 1 + Math.pow(1 - 3, 2) + Math.pow(2 - 1, 2);
        assertEquals(expect, FrechetDistance.between(FeatureStatistics.of(a, n, 2), FeatureStatistics.of(b, n, 2)), 0.1);
    }

    @Test
    void interpolationsRunFromOneCodeToTheOther() {
        float[] a = {1, 0};
        float[] b = {0, 2};
        float[] line = Interpolation.linear(a, b, 3);
        assertArrayEquals(new float[] {1, 0, 0.5f, 1, 0, 2}, line, 1e-7f);
        float[] arc = Interpolation.slerp(new float[] {1, 0}, new float[] {0, 1}, 3);
        assertEquals(Math.sqrt(0.5), arc[2], 1e-6);
        assertEquals(Math.sqrt(0.5), arc[3], 1e-6);
        assertArrayEquals(new float[] {0, 1}, new float[] {arc[4], arc[5]}, 1e-6f);
    }
}
