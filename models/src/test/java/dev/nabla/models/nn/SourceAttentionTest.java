package dev.nabla.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * The attention blocks over a source: alignments are distributions over the real positions (0 on padding,
 * outside a local window), local-p's Gaussian window equals a float64 loop of Luong's formula, every score's
 * gradient (parameters, query and keys) equals central finite differences, and a bad shape is refused by name.
 */
class SourceAttentionTest {
    private static final int B = 3;
    private static final int S = 6;
    private static final int Q = 4;
    private static final long[] LENGTHS = {6, 2, 5};
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));

    private Tensor random(Generator g, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = g.nextGaussian();
        }
        return f.of(v, dims);
    }

    static Stream<Arguments> attentions() {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("additive", null, null));
        for (LuongAttention.Score s : LuongAttention.Score.values()) {
            for (LuongAttention.Window w : LuongAttention.Window.values()) {
                out.add(Arguments.of("luong", s, w));
            }
        }
        return out.stream();
    }

    private Block build(String kind, LuongAttention.Score score, LuongAttention.Window window) {
        Generator g = new Generator(5);
        return kind.equals("additive") ? new AdditiveAttention(f, g, Q, Q, 3, DType.FLOAT64)
                : new LuongAttention(f, g, score, window, Q, Q, 3, 1, 8, DType.FLOAT64);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("attentions")
    void alignmentIsADistributionOverTheRealPositionsOfTheWindow(String kind, LuongAttention.Score score,
                                                                LuongAttention.Window window) {
        try (Scope ignored = Scope.open(); Block block = build(kind, score, window)) {
            SourceAttention a = (SourceAttention) block;
            Generator g = new Generator(11);
            Tensor keys = random(g, B, S, Q);
            SourceMemory m = a.memory(keys, LENGTHS);
            for (int step = 0; step < 8; step++) {
                AttentionResult r = a.attend(random(g, B, Q), m, step);
                assertEquals(List.of(B, S), List.of(r.weights().dim(0), r.weights().dim(1)));
                double[] w = r.weights().toDoubleArray();
                double[] c = r.output().toDoubleArray();
                double[] k = keys.toDoubleArray();
                for (int b = 0; b < B; b++) {
                    double sum = 0;
                    for (int s = 0; s < S; s++) {
                        double x = w[b * S + s];
                        assertTrue(x >= 0, "weight " + x);
                        if (s >= LENGTHS[b]) {
                            assertEquals(0.0, x, 0.0, "padding position " + s + " of row " + b);
                        }
                        if (window == LuongAttention.Window.LOCAL_M && Math.abs(s - Math.min(step, LENGTHS[b] - 1)) > 1) {
                            assertEquals(0.0, x, 0.0, "outside the local-m window");
                        }
                        sum += x;
                    }
                    if (window != LuongAttention.Window.LOCAL_P) {
                        assertEquals(1.0, sum, 1e-12, "row " + b + " sums to 1");
                    } else {
                        assertTrue(sum > 0 && sum <= 1 + 1e-12, "local-p: a softmax times a Gaussian, " + sum);
                    }
                    for (int d = 0; d < Q; d++) {   // the context is the weighted average of the keys
                        double expected = 0;
                        for (int s = 0; s < S; s++) {
                            expected += w[b * S + s] * k[(b * S + s) * Q + d];
                        }
                        assertEquals(expected, c[b * Q + d], 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void localPIsTheMaskedSoftmaxTimesAGaussianAroundThePredictedPosition() {
        int halfWidth = 2;
        try (Scope ignored = Scope.open(); LuongAttention a = new LuongAttention(f, new Generator(2),
                LuongAttention.Score.DOT, LuongAttention.Window.LOCAL_P, Q, Q, 3, halfWidth, 8, DType.FLOAT64)) {
            Generator g = new Generator(4);
            Tensor keys = random(g, B, S, Q);
            Tensor q = random(g, B, Q).mul(2);
            SourceMemory m = a.memory(keys, LENGTHS);
            double[] got = a.attend(q, m, 0).weights().toDoubleArray();
            // Luong's formula, in a float64 loop over the parameters
            Map<String, Tensor> p = a.namedParameters();
            double[] wp = p.get("position_hidden.weight").toDoubleArray();   // [Q, 3]
            double[] vp = p.get("position.weight").toDoubleArray();          // [3, 1]
            double[] k = keys.toDoubleArray();
            double[] x = q.toDoubleArray();
            double sigma = halfWidth / 2.0;
            for (int b = 0; b < B; b++) {
                double z = 0;
                for (int j = 0; j < 3; j++) {
                    double h = 0;
                    for (int i = 0; i < Q; i++) {
                        h += x[b * Q + i] * wp[i * 3 + j];
                    }
                    z += Math.tanh(h) * vp[j];
                }
                double pt = LENGTHS[b] / (1 + Math.exp(-z));
                double[] e = new double[S];
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < LENGTHS[b]; s++) {
                    for (int i = 0; i < Q; i++) {
                        e[s] += x[b * Q + i] * k[(b * S + s) * Q + i];
                    }
                    if (Math.abs(s - pt) <= halfWidth) {
                        max = Math.max(max, e[s]);
                    }
                }
                double norm = 0;
                for (int s = 0; s < LENGTHS[b]; s++) {
                    norm += Math.abs(s - pt) <= halfWidth ? Math.exp(e[s] - max) : 0;
                }
                for (int s = 0; s < S; s++) {
                    boolean in = s < LENGTHS[b] && Math.abs(s - pt) <= halfWidth;
                    double expected = in ? Math.exp(e[s] - max) / norm * Math.exp(-(s - pt) * (s - pt) / (2 * sigma * sigma)) : 0;
                    assertEquals(expected, got[b * S + s], 1e-12, "row " + b + " position " + s + " (p_t " + pt + ")");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("attentions")
    void gradientsOfEveryScoreMatchFiniteDifferences(String kind, LuongAttention.Score score, LuongAttention.Window window) {
        try (Scope ignored = Scope.open(); Block block = build(kind, score, window)) {
            SourceAttention a = (SourceAttention) block;
            Generator g = new Generator(21);
            Tensor keys = random(g, B, S, Q).toParameter();   // parameters: changed in place by the differences
            Tensor q = random(g, B, Q).toParameter();
            Tensor rc = random(g, B, Q);
            Tensor rw = random(g, B, S);
            Supplier<Tensor> loss = () -> {
                AttentionResult r = a.attend(q, a.memory(keys, LENGTHS), 2);
                return r.output().mul(rc).sum().add(r.weights().mul(rw).sum());
            };
            List<Tensor> wrt = new ArrayList<>(block.namedParameters().values());
            wrt.add(q);
            wrt.add(keys);
            List<Tensor> grads = Autograd.grad(loss.get(), wrt);
            for (int i = 0; i < wrt.size(); i++) {
                checkNumerically(wrt.get(i), grads.get(i).toDoubleArray(), loss, "input " + i);
            }
        }
    }

    /** Central differences of {@code loss} in every element of {@code x}, changed in place and restored. */
    private void checkNumerically(Tensor x, double[] analytic, Supplier<Tensor> loss, String what) {
        double eps = 1e-6;
        double[] v = x.toDoubleArray();
        for (int j = 0; j < v.length; j++) {
            double[] plus = v.clone();
            double[] minus = v.clone();
            plus[j] += eps;
            minus[j] -= eps;
            double lp = value(x, plus, loss);
            double lm = value(x, minus, loss);
            value(x, v, loss);
            double numeric = (lp - lm) / (2 * eps);
            if (!(Math.abs(analytic[j] - numeric) <= 1e-6 + 1e-5 * Math.abs(numeric))) {
                throw new AssertionFailedError(what + " at flat index " + j + ": autograd " + analytic[j]
                        + ", finite differences " + numeric, numeric, analytic[j]);
            }
        }
    }

    private double value(Tensor x, double[] values, Supplier<Tensor> loss) {
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            set(x, values);
            return loss.get().item();
        }
    }

    private void set(Tensor x, double[] values) {
        x.assign(f.of(values, x.shape().dims()));
    }

    @Test
    void badShapesAreRefusedNamingThem() {
        try (Scope ignored = Scope.open(); AdditiveAttention a = new AdditiveAttention(f, new Generator(1), Q, Q, 3, DType.FLOAT64);
             LuongAttention loc = new LuongAttention(f, new Generator(1), LuongAttention.Score.LOCATION,
                     LuongAttention.Window.GLOBAL, Q, Q, 3, 1, 4, DType.FLOAT64)) {
            Generator g = new Generator(1);
            SourceMemory m = a.memory(random(g, B, S, Q), LENGTHS);
            ShapeException e = assertThrows(ShapeException.class, () -> a.attend(random(g, B, Q + 1), m, 0));
            assertTrue(e.getMessage().contains("[3, 5]"), e.getMessage());
            e = assertThrows(ShapeException.class, () -> a.memory(random(g, B, S, Q + 2), LENGTHS));
            assertTrue(e.getMessage().contains("[3, 6, 6]"), e.getMessage());
            e = assertThrows(ShapeException.class, () -> loc.memory(random(g, B, S, Q), LENGTHS));
            assertTrue(e.getMessage().contains("at most 4 source positions") && e.getMessage().contains("[3, 6, 4]"),
                    e.getMessage());
            IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
                    () -> a.memory(random(g, B, S, Q), new long[] {6, 0, 5}));
            assertTrue(l.getMessage().contains("length 0"), l.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new LuongAttention(f, new Generator(1),
                    LuongAttention.Score.DOT, LuongAttention.Window.GLOBAL, 4, 5, 3, 1, 4, DType.FLOAT64));
        }
    }
}
