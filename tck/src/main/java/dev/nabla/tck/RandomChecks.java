package dev.nabla.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.DynamicNode;

/**
 * Random tensors: the same seed gives the same numbers, a different seed different ones, and the
 * sample moments of 100,000 draws lie within six standard errors of the distribution's.
 */
final class RandomChecks {
    private static final int N = 100_000;
    private static final double Z = 6;

    private RandomChecks() {
    }

    static List<DynamicNode> all(TensorFactory f, Report report) {
        List<DynamicNode> out = new ArrayList<>();
        for (DType d : OpTable.FLOATS) {
            out.add(report.check("uniform", "uniform " + d + ": seeded determinism", () -> determinism(
                    (g, s) -> f.uniform(g, -1, 3, s, d), d)));
            out.add(report.check("uniform", "uniform " + d + ": range and moments", () -> {
                double[] v = f.uniform(new Generator(11), -1, 3, Shape.of(N), d).toDoubleArray();
                for (double x : v) {
                    assertTrue(x >= -1 && x < 3 || d == DType.FLOAT32 && x == 3, "uniform value " + x + " outside [-1, 3)");
                }
                double w = 4;
                moments("uniform(-1, 3)", v, 1, w * w / 12, w * w * Math.sqrt(1.0 / 80 - 1.0 / 144));
            }));
            out.add(report.check("normal", "normal " + d + ": seeded determinism", () -> determinism(
                    (g, s) -> f.normal(g, 2, 0.5, s, d), d)));
            out.add(report.check("normal", "normal " + d + ": moments", () -> {
                double[] v = f.normal(new Generator(12), 2, 0.5, Shape.of(N), d).toDoubleArray();
                moments("normal(2, 0.5)", v, 2, 0.25, 0.25 * Math.sqrt(2));
                long within1 = Arrays.stream(v).filter(x -> Math.abs(x - 2) < 0.5).count();
                double p = within1 / (double) N;
                assertEquals(0.6826894921370859, p, Z * Math.sqrt(0.68 * 0.32 / N), "normal: P(|x - mean| < std)");
            }));
            out.add(report.check("bernoulli", "bernoulli " + d + ": seeded determinism", () -> determinism(
                    (g, s) -> f.bernoulli(g, 0.3, s, d), d)));
            out.add(report.check("bernoulli", "bernoulli " + d + ": values and mean", () -> {
                double[] v = f.bernoulli(new Generator(13), 0.3, Shape.of(N), d).toDoubleArray();
                for (double x : v) {
                    assertTrue(x == 0 || x == 1, "bernoulli value " + x);
                }
                double mean = Arrays.stream(v).sum() / N;
                assertEquals(0.3, mean, Z * Math.sqrt(0.3 * 0.7 / N), "bernoulli(0.3) mean");
            }));
            out.add(report.check("bernoulli", "bernoulli(probs) " + d, () -> {
                double[] p = new double[N];
                for (int i = 0; i < N; i++) {
                    p[i] = i % 4 == 0 ? 0 : i % 4 == 1 ? 1 : 0.5;
                }
                Tensor probs = Checks.tensor(f, new Nd(new int[] {N / 4, 4}, p), d);
                Tensor b = f.bernoulli(new Generator(14), probs);
                assertEquals(d, b.dtype());
                assertEquals(probs.shape(), b.shape());
                double[] v = b.toDoubleArray();
                double halves = 0;
                for (int i = 0; i < N; i++) {
                    if (p[i] == 0 || p[i] == 1) {
                        assertEquals(p[i], v[i], "bernoulli with probability " + p[i] + " at " + i);
                    } else {
                        assertTrue(v[i] == 0 || v[i] == 1);
                        halves += v[i];
                    }
                }
                assertEquals(0.5, halves / (N / 2.0), Z * Math.sqrt(0.25 / (N / 2.0)), "bernoulli(0.5) mean");
                double[] again = f.bernoulli(new Generator(14), probs).toDoubleArray();
                assertArrayEquals(v, again, "bernoulli(probs): same seed, same draws");
            }));
            out.add(report.check("uniform", "uniform " + d + ": zero-size and scalar", () -> {
                Tensor e = f.uniform(new Generator(1), 0, 1, Shape.of(0, 3), d);
                assertEquals(Shape.of(0, 3), e.shape());
                assertEquals(0, e.toDoubleArray().length);
                Tensor s = f.normal(new Generator(1), 0, 1, Shape.scalar(), d);
                assertEquals(Shape.scalar(), s.shape());
                assertEquals(d, s.dtype());
            }));
        }
        out.add(report.check("rand", "rand: float32 in [0, 1)", () -> {
            Tensor t = f.rand(new Generator(5), 300, 200);
            assertEquals(DType.FLOAT32, t.dtype());
            assertEquals(Shape.of(300, 200), t.shape());
            double[] v = t.toDoubleArray();
            for (double x : v) {
                assertTrue(x >= 0 && x <= 1, "rand value " + x);
            }
            moments("rand", v, 0.5, 1.0 / 12, Math.sqrt(1.0 / 80 - 1.0 / 144));
            assertArrayEquals(v, f.rand(new Generator(5), 300, 200).toDoubleArray(), "rand: same seed, same draws");
        }));
        out.add(report.check("randn", "randn: float32 standard normal", () -> {
            Tensor t = f.randn(new Generator(6), N);
            assertEquals(DType.FLOAT32, t.dtype());
            moments("randn", t.toDoubleArray(), 0, 1, Math.sqrt(2));
        }));
        out.add(report.check("randperm", "randperm: a seeded permutation", () -> {
            Tensor p = f.randperm(new Generator(7), 50);
            assertEquals(DType.INT64, p.dtype());
            assertEquals(Shape.of(50), p.shape());
            long[] v = p.toLongArray();
            long[] sorted = v.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < 50; i++) {
                assertEquals(i, sorted[i], "randperm must contain each of 0..49 once");
            }
            assertArrayEquals(v, f.randperm(new Generator(7), 50).toLongArray(), "randperm: same seed");
            assertFalse(Arrays.equals(v, f.randperm(new Generator(8), 50).toLongArray()), "randperm: different seed");
            assertEquals(0, f.randperm(new Generator(7), 0).numel());
        }));
        out.add(report.check("uniform", "generator state: a restored generator continues the sequence", () -> {
            Generator g = new Generator(99);
            f.uniform(g, 0, 1, Shape.of(10), DType.FLOAT64);
            Generator copy = Generator.fromState(g.state());
            double[] a = f.uniform(g, 0, 1, Shape.of(20), DType.FLOAT64).toDoubleArray();
            double[] b = f.uniform(copy, 0, 1, Shape.of(20), DType.FLOAT64).toDoubleArray();
            assertArrayEquals(a, b);
        }));
        return out;
    }

    private static void determinism(BiFunction<Generator, Shape, Tensor> draw, DType d) {
        Shape s = Shape.of(64, 65);
        Tensor a = draw.apply(new Generator(42), s);
        Tensor b = draw.apply(new Generator(42), s);
        Tensor c = draw.apply(new Generator(43), s);
        assertEquals(d, a.dtype());
        assertEquals(s, a.shape());
        assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), "same seed must give the same numbers");
        assertFalse(Arrays.equals(a.toDoubleArray(), c.toDoubleArray()), "different seeds must give different numbers");
        Generator g = new Generator(42);
        Tensor first = draw.apply(g, s);
        Tensor second = draw.apply(g, s);
        assertFalse(Arrays.equals(first.toDoubleArray(), second.toDoubleArray()),
                "successive draws from one generator must differ");
    }

    /**
     * Asserts the sample mean within Z standard errors of {@code mean} and the sample variance
     * within Z standard errors ({@code varSdUnit / √n}) of {@code variance}.
     */
    private static void moments(String what, double[] v, double mean, double variance, double varSdUnit) {
        int n = v.length;
        double m = Arrays.stream(v).sum() / n;
        double ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        double var = ss / (n - 1);
        assertEquals(mean, m, Z * Math.sqrt(variance / n), what + ": sample mean");
        assertEquals(variance, var, Z * varSdUnit / Math.sqrt(n), what + ": sample variance");
    }
}
