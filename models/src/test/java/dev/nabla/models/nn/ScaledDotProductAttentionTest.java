package dev.nabla.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.GradCheck.Input;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scaled dot-product attention against plain float64 loops, closed forms (uniform weights, a causal
 * first row, padding), finite-difference gradients with a causal mask, and its errors.
 */
class ScaledDotProductAttentionTest {
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));
    private final ScaledDotProductAttention attention = new ScaledDotProductAttention();

    private static double[] values(int n, double a, double b) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(a * i + b);
        }
        return v;
    }

    /** softmax(q kᵀ / √d + additive) v by loops, for one batch entry: returns {output, weights}. */
    private static double[][] reference(double[] q, double[] k, double[] v, boolean[] allowed, int tq, int tk, int d,
                                        int dv, int off) {
        double[] out = new double[tq * dv];
        double[] w = new double[tq * tk];
        for (int i = 0; i < tq; i++) {
            double max = Double.NEGATIVE_INFINITY;
            double[] s = new double[tk];
            for (int j = 0; j < tk; j++) {
                double dot = 0;
                for (int c = 0; c < d; c++) {
                    dot += q[off * tq * d + i * d + c] * k[off * tk * d + j * d + c];
                }
                s[j] = allowed == null || allowed[i * tk + j] ? dot / Math.sqrt(d) : Double.NEGATIVE_INFINITY;
                max = Math.max(max, s[j]);
            }
            double z = 0;
            for (int j = 0; j < tk; j++) {
                z += Math.exp(s[j] - max);
            }
            for (int j = 0; j < tk; j++) {
                w[i * tk + j] = Math.exp(s[j] - max) / z;
                for (int c = 0; c < dv; c++) {
                    out[i * dv + c] += w[i * tk + j] * v[off * tk * dv + j * dv + c];
                }
            }
        }
        return new double[][] {out, w};
    }

    @Test
    void matchesTheFormulaComputedWithLoops() {
        int b = 2;
        int tq = 3;
        int tk = 5;
        int d = 4;
        int dv = 2;
        double[] q = values(b * tq * d, 0.7, 0.1);
        double[] k = values(b * tk * d, 1.3, 0.2);
        double[] v = values(b * tk * dv, 0.4, 0.9);
        AttentionResult r = attention.attend(f.of(q, b, tq, d), f.of(k, b, tk, d), f.of(v, b, tk, dv), null);
        assertEquals(Shape.of(b, tq, dv), r.output().shape());
        assertEquals(Shape.of(b, tq, tk), r.weights().shape());
        double[] out = r.output().toDoubleArray();
        double[] w = r.weights().toDoubleArray();
        for (int n = 0; n < b; n++) {
            double[][] e = reference(q, k, v, null, tq, tk, d, dv, n);
            for (int i = 0; i < tq * dv; i++) {
                assertEquals(e[0][i], out[n * tq * dv + i], 1e-14);
            }
            for (int i = 0; i < tq * tk; i++) {
                assertEquals(e[1][i], w[n * tq * tk + i], 1e-14);
            }
        }
    }

    @Test
    void closedForms() {
        // identical keys: every query spreads its weight evenly, and the output is the mean of the values
        double[] v = {1, 2, 3, -4, 5, 0};
        AttentionResult even = attention.attend(f.of(values(2 * 3, 1, 0), 2, 3), f.ones(DType.FLOAT64, 3, 3),
                f.of(v, 3, 2), null);
        assertArrayEquals(new double[] {1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1.0 / 3},
                even.weights().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {3, -2.0 / 3, 3, -2.0 / 3}, even.output().toDoubleArray(), 1e-14);
        // two keys, scores 0 and √d·ln 3 after scaling: weights 1/4 and 3/4
        double s = Math.log(3) * Math.sqrt(2);
        AttentionResult two = attention.attend(f.of(new double[] {1, 1}, 1, 2), f.of(new double[] {0, 0, s / 2, s / 2}, 2, 2),
                f.of(new double[] {4, 8}, 2, 1), null);
        assertArrayEquals(new double[] {0.25, 0.75}, two.weights().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {7}, two.output().toDoubleArray(), 1e-14);
    }

    @Test
    void aCausalMaskLetsEachQuerySeeOnlyThePast() {
        int t = 4;
        double[] q = values(t * 3, 0.9, 0.3);
        double[] k = values(t * 3, 0.5, 1.1);
        double[] v = values(t * 2, 1.9, 0.7);
        Tensor causal = f.trilMask(t, t, 0);   // true = may attend
        AttentionResult r = attention.attend(f.of(q, t, 3), f.of(k, t, 3), f.of(v, t, 2), causal);
        boolean[] allowed = causal.toBooleanArray();
        double[][] e = reference(q, k, v, allowed, t, t, 3, 2, 0);
        assertArrayEquals(e[1], r.weights().toDoubleArray(), 1e-14);
        assertArrayEquals(e[0], r.output().toDoubleArray(), 1e-14);
        // the first query sees only the first key: its output is the first value
        assertArrayEquals(new double[] {1, 0, 0, 0}, r.weights().select(0, 0).toDoubleArray());
        assertArrayEquals(new double[] {v[0], v[1]}, r.output().select(0, 0).toDoubleArray(), 1e-15);
        // an additive mask with -inf gives the same
        Tensor additive = f.zeros(DType.FLOAT64, t, t).maskedFill(causal.logicalNot(), Double.NEGATIVE_INFINITY);
        AttentionResult same = attention.attend(f.of(q, t, 3), f.of(k, t, 3), f.of(v, t, 2), additive);
        assertArrayEquals(r.output().toDoubleArray(), same.output().toDoubleArray(), 0);
    }

    @Test
    void aPaddingMaskIgnoresKeysBeyondEachLength() {
        int b = 2;
        int tk = 4;
        long[] lengths = {4, 2};
        Tensor positions = f.arange(0, tk, 1).reshape(1, tk);
        Tensor padding = positions.lt(f.of(lengths, b, 1)).reshape(b, 1, tk);   // [batch, 1, tk]
        double[] q = values(b * 3 * 2, 0.3, 0.2);
        double[] k = values(b * tk * 2, 0.8, 0.4);
        double[] v = values(b * tk * 3, 1.1, 0.5);
        AttentionResult r = attention.attend(f.of(q, b, 3, 2), f.of(k, b, tk, 2), f.of(v, b, tk, 3), padding);
        double[] w = r.weights().toDoubleArray();
        for (int n = 0; n < b; n++) {
            boolean[] allowed = new boolean[3 * tk];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < tk; j++) {
                    allowed[i * tk + j] = j < lengths[n];
                }
            }
            double[][] e = reference(q, k, v, allowed, 3, tk, 2, 3, n);
            for (int i = 0; i < 3 * tk; i++) {
                assertEquals(e[1][i], w[n * 3 * tk + i], 1e-14);
            }
        }
        assertEquals(0.0, r.weights().select(0, 1).slice(1, 2, 4).abs().sum().item(), "padded keys get no weight");
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, r.weights().sum(-1, false).toDoubleArray(), 1e-14);
    }

    @Test
    void gradientsMatchFiniteDifferencesWithACausalMask() {
        Tensor causal = f.trilMask(3, 3, 0).reshape(1, 3, 3);
        double[] r = values(2 * 3 * 2, 2.3, 0.4);
        GradCheck.check(f, List.of(new Input(values(2 * 3 * 4, 0.7, 0.1), 2, 3, 4),
                new Input(values(2 * 3 * 4, 1.3, 0.2), 2, 3, 4), new Input(values(2 * 3 * 2, 0.4, 0.9), 2, 3, 2)),
                in -> attention.attend(in.get(0), in.get(1), in.get(2), causal).output().mul(f.of(r, 2, 3, 2)).sum());
        // through the weights too
        GradCheck.check(f, List.of(new Input(values(3 * 2, 0.5, 0.3), 3, 2), new Input(values(4 * 2, 1.7, 0.6), 4, 2)),
                in -> attention.attend(in.get(0), in.get(1), f.ones(DType.FLOAT64, 4, 1), null).weights()
                        .mul(f.of(values(12, 0.9, 0.2), 3, 4)).sum());
    }

    @Test
    void headsBroadcastAndTheMaskBroadcastsOverThem() {
        // [batch 2, heads 3, t 4, d 2] with one causal mask [4, 4]
        Tensor q = f.of(values(2 * 3 * 4 * 2, 0.6, 0.1), 2, 3, 4, 2);
        AttentionResult r = attention.attend(q, q, q, f.trilMask(4, 4, 0));
        assertEquals(Shape.of(2, 3, 4, 2), r.output().shape());
        assertEquals(Shape.of(2, 3, 4, 4), r.weights().shape());
        assertEquals(0.0, r.weights().triu(1).abs().sum().item());
        assertTrue(attention.namedParameters().isEmpty());
        assertTrue(attention.parameters().isEmpty());
    }

    @Test
    void errorsNameTheCall() {
        Tensor q = f.zeros(DType.FLOAT64, 2, 3, 4);
        Tensor k = f.zeros(DType.FLOAT64, 2, 5, 4);
        Tensor v = f.zeros(DType.FLOAT64, 2, 5, 6);
        DTypeException intMask = assertThrows(DTypeException.class,
                () -> attention.attend(q, k, v, f.zeros(DType.INT64, 3, 5)));
        assertTrue(intMask.getMessage().startsWith("scaled_dot_product_attention: mask must be bool")
                && intMask.getMessage().contains("int64"), intMask.getMessage());
        DTypeException f32Mask = assertThrows(DTypeException.class,
                () -> attention.attend(q, k, v, f.zeros(DType.FLOAT32, 3, 5)));
        assertTrue(f32Mask.getMessage().contains("float32"), f32Mask.getMessage());
        ShapeException maskShape = assertThrows(ShapeException.class,
                () -> attention.attend(q, k, v, f.ones(DType.BOOL, 5, 3)));
        assertEquals("scaled_dot_product_attention: mask [5, 3] cannot be broadcast to the scores [2, 3, 5]"
                + " ([..., tq, tk])", maskShape.getMessage());
        ShapeException dk = assertThrows(ShapeException.class,
                () -> attention.attend(q, f.zeros(DType.FLOAT64, 2, 5, 3), v, null));
        assertTrue(dk.getMessage().startsWith("scaled_dot_product_attention: query [2, 3, 4] and key [2, 5, 3]"),
                dk.getMessage());
        ShapeException tk = assertThrows(ShapeException.class,
                () -> attention.attend(q, k, f.zeros(DType.FLOAT64, 2, 4, 6), null));
        assertTrue(tk.getMessage().contains("key [2, 5, 4] and value [2, 4, 6]"), tk.getMessage());
        assertThrows(ShapeException.class, () -> attention.attend(f.zeros(DType.FLOAT64, 4), k, v, null));
        DTypeException mixed = assertThrows(DTypeException.class, () -> attention.attend(q, k, f.zeros(2, 5, 6), null));
        assertTrue(mixed.getMessage().startsWith("scaled_dot_product_attention:"), mixed.getMessage());
    }
}
