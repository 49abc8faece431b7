package dev.nabla.models.memory;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each addressing step and the memory update of the NTM against float64 loops written from the paper's
 * equations (Graves et al. 2014, eqs. 2–9), to 1e-12.
 */
class AddressingTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("native"));
    private static final double TOL = 1e-12;
    private static final int B = 2;
    private static final int N = 7;
    private static final int W = 4;

    private static double[] random(Generator g, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * g.nextGaussian();
        }
        return v;
    }

    /** Rows of positive values summing to 1. */
    private static double[] weights(Generator g, int rows, int n) {
        double[] v = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                v[r * n + i] = Math.exp(2 * g.nextGaussian());
                s += v[r * n + i];
            }
            for (int i = 0; i < n; i++) {
                v[r * n + i] /= s;
            }
        }
        return v;
    }

    private static Tensor t(double[] v, int... dims) {
        return F.of(v, dims);
    }

    @Test
    void cosineSimilarityIsTheNormalisedDotProductOfTheKeyWithEveryLocation() {
        Generator g = new Generator(1);
        double[] key = random(g, B * W, 1);
        double[] mem = random(g, B * N * W, 1);
        double[] got = Addressing.cosineSimilarity(t(key, B, W), t(mem, B, N, W)).toDoubleArray();
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < N; i++) {
                double dot = 0;
                double kk = 0;
                double mm = 0;
                for (int j = 0; j < W; j++) {
                    double k = key[b * W + j];
                    double m = mem[(b * N + i) * W + j];
                    dot += k * m;
                    kk += k * k;
                    mm += m * m;
                }
                double want = dot / Math.sqrt(kk * mm + Addressing.DELTA);
                assertEquals(want, got[b * N + i], TOL);
                assertEquals(dot / Math.sqrt(kk) / Math.sqrt(mm), got[b * N + i], 1e-9, "the guard does not matter here");
            }
        }
        // a location equal to the key (up to a positive scale) has similarity 1, its negative -1
        double[] k1 = {1, 2, 3, 4};
        double[] m1 = {2, 4, 6, 8, -1, -2, -3, -4};
        double[] s = Addressing.cosineSimilarity(t(k1, 1, 4), t(m1, 1, 2, 4)).toDoubleArray();
        assertEquals(1, s[0], 1e-12);
        assertEquals(-1, s[1], 1e-12);
    }

    @Test
    void contentAddressingIsASoftmaxOfTheSimilaritiesScaledByTheKeyStrength() {
        Generator g = new Generator(2);
        double[] key = random(g, B * W, 1);
        double[] mem = random(g, B * N * W, 1);
        double[] beta = {0.5, 7.0};
        double[] k = Addressing.cosineSimilarity(t(key, B, W), t(mem, B, N, W)).toDoubleArray();
        double[] got = Addressing.content(t(key, B, W), t(beta, B, 1), t(mem, B, N, W)).toDoubleArray();
        for (int b = 0; b < B; b++) {
            double z = 0;
            for (int i = 0; i < N; i++) {
                z += Math.exp(beta[b] * k[b * N + i]);
            }
            for (int i = 0; i < N; i++) {
                assertEquals(Math.exp(beta[b] * k[b * N + i]) / z, got[b * N + i], TOL);
            }
        }
        // β = 0 gives the uniform weighting whatever the key
        double[] uniform = Addressing.content(t(key, B, W), t(new double[] {0, 0}, B, 1), t(mem, B, N, W)).toDoubleArray();
        for (double u : uniform) {
            assertEquals(1.0 / N, u, TOL);
        }
    }

    @Test
    void interpolationMixesTheContentWeightingWithThePreviousOne() {
        Generator g = new Generator(3);
        double[] wc = weights(g, B, N);
        double[] prev = weights(g, B, N);
        double[] gate = {0.25, 1.0};
        double[] got = Addressing.interpolate(t(wc, B, N), t(prev, B, N), t(gate, B, 1)).toDoubleArray();
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < N; i++) {
                assertEquals(gate[b] * wc[b * N + i] + (1 - gate[b]) * prev[b * N + i], got[b * N + i], TOL);
            }
        }
    }

    @Test
    void theShiftIsACircularConvolutionThatWrapsAround() {
        Generator g = new Generator(4);
        double[] w = weights(g, B, N);
        double[] s = weights(g, B, 3);
        double[] got = Addressing.shift(t(w, B, N), t(s, B, 3)).toDoubleArray();
        for (int b = 0; b < B; b++) {
            for (int i = 0; i < N; i++) {
                double want = 0;
                for (int j = 0; j < N; j++) {       // w̃(i) = Σ_j w(j) s(i − j mod N), s indexed by the shift −1, 0, +1
                    int shift = Math.floorMod(i - j, N);
                    int sIndex = shift == N - 1 ? 0 : shift == 0 ? 1 : shift == 1 ? 2 : -1;
                    want += sIndex < 0 ? 0 : w[b * N + j] * s[b * 3 + sIndex];
                }
                assertEquals(want, got[b * N + i], TOL);
            }
        }
        // the whole weighting on the last location moves to location 0 with s(+1) = 1, and back with s(−1) = 1
        double[] last = new double[N];
        last[N - 1] = 1;
        double[] first = new double[N];
        first[0] = 1;
        assertArrayEquals(first, Addressing.shift(t(last, 1, N), t(new double[] {0, 0, 1}, 1, 3)).toDoubleArray(), TOL);
        assertArrayEquals(last, Addressing.shift(t(first, 1, N), t(new double[] {1, 0, 0}, 1, 3)).toDoubleArray(), TOL);
        assertArrayEquals(first, Addressing.shift(t(first, 1, N), t(new double[] {0, 1, 0}, 1, 3)).toDoubleArray(), TOL);
    }

    @Test
    void sharpeningRaisesToGammaAndRenormalises() {
        Generator g = new Generator(5);
        double[] w = weights(g, B, N);
        double[] gamma = {1.0, 3.5};
        double[] got = Addressing.sharpen(t(w, B, N), t(gamma, B, 1)).toDoubleArray();
        for (int b = 0; b < B; b++) {
            double z = 0;
            for (int i = 0; i < N; i++) {
                z += Math.pow(w[b * N + i] + Addressing.EPSILON, gamma[b]);
            }
            double sum = 0;
            for (int i = 0; i < N; i++) {
                assertEquals(Math.pow(w[b * N + i] + Addressing.EPSILON, gamma[b]) / z, got[b * N + i], TOL);
                sum += got[b * N + i];
            }
            assertEquals(1, sum, TOL);
        }
        for (int i = 0; i < N; i++) {
            assertEquals(w[i], got[i], 1e-10, "γ = 1 leaves a normalised weighting as it is");
        }
        // a large γ concentrates the weighting on its largest entry, still summing to 1 (no overflow)
        double[] sharp = Addressing.sharpen(t(w, B, N), t(new double[] {200, 200}, B, 1)).toDoubleArray();
        int argmax = 0;
        for (int i = 1; i < N; i++) {
            argmax = w[i] > w[argmax] ? i : argmax;
        }
        assertEquals(1, sharp[argmax], 1e-6);
    }

    @Test
    void theWholeAddressingComposesTheFourSteps() {
        Generator g = new Generator(6);
        Tensor key = t(random(g, B * W, 1), B, W);
        Tensor mem = t(random(g, B * N * W, 1), B, N, W);
        Tensor beta = t(new double[] {2, 9}, B, 1);
        Tensor gate = t(new double[] {0.3, 0.9}, B, 1);
        Tensor shift = t(weights(g, B, 3), B, 3);
        Tensor gamma = t(new double[] {1.5, 4}, B, 1);
        Tensor prev = t(weights(g, B, N), B, N);
        double[] composed = Addressing.sharpen(Addressing.shift(Addressing.interpolate(
                Addressing.content(key, beta, mem), prev, gate), shift), gamma).toDoubleArray();
        double[] got = Addressing.address(key, beta, gate, shift, gamma, prev, mem).toDoubleArray();
        assertArrayEquals(composed, got, 0);
        for (int b = 0; b < B; b++) {
            double s = 0;
            for (int i = 0; i < N; i++) {
                assertTrue(got[b * N + i] > 0);
                s += got[b * N + i];
            }
            assertEquals(1, s, TOL, "a weighting sums to 1");
        }
    }

    @Test
    void readIsTheWeightedSumOfLocationsAndWriteErasesThenAdds() {
        Generator g = new Generator(7);
        double[] mem = random(g, B * N * W, 1);
        double[] w = weights(g, B, N);
        double[] e = new double[B * W];
        double[] a = random(g, B * W, 1);
        for (int i = 0; i < e.length; i++) {
            e[i] = 1 / (1 + Math.exp(-g.nextGaussian()));
        }
        double[] read = Addressing.read(t(w, B, N), t(mem, B, N, W)).toDoubleArray();
        double[] written = Addressing.write(t(mem, B, N, W), t(w, B, N), t(e, B, W), t(a, B, W)).toDoubleArray();
        for (int b = 0; b < B; b++) {
            for (int j = 0; j < W; j++) {
                double r = 0;
                for (int i = 0; i < N; i++) {
                    r += w[b * N + i] * mem[(b * N + i) * W + j];
                    double m = mem[(b * N + i) * W + j];
                    double erased = m * (1 - w[b * N + i] * e[b * W + j]);
                    assertEquals(erased + w[b * N + i] * a[b * W + j], written[(b * N + i) * W + j], TOL);
                }
                assertEquals(r, read[b * W + j], TOL);
            }
        }
        // a full erase and add at one location replaces it with the add vector and leaves the others alone
        double[] one = new double[N];
        one[2] = 1;
        double[] m1 = random(g, N * W, 1);
        double[] replaced = Addressing.write(t(m1, 1, N, W), t(one, 1, N), t(new double[] {1, 1, 1, 1}, 1, W),
                t(new double[] {5, 6, 7, 8}, 1, W)).toDoubleArray();
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < W; j++) {
                assertEquals(i == 2 ? 5 + j : m1[i * W + j], replaced[i * W + j], TOL);
            }
        }
    }
}
