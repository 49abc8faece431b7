package dev.nabla.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.GradCheck.Input;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.opentest4j.AssertionFailedError;

/**
 * {@link MultiheadAttention} and {@link KeyValueCache}: step-by-step decoding with the cache against the
 * whole prefix with a causal mask, finite-difference gradients (inputs and every parameter) in float64,
 * the mask conventions (bool against additive, PyTorch's against {@link ScaledDotProductAttention}'s), the
 * head-averaged weights, dropout, and the errors. The values themselves are checked against PyTorch in
 * {@link AttentionGoldenTest}.
 */
class MultiheadAttentionTest {
    private static final int E = 8;
    private static final int H = 2;

    private static TensorFactory on(String backend) {
        return TensorFactory.on(Nabla.backend(backend));
    }

    private static double maxDiff(Tensor a, Tensor b) {
        assertEquals(a.shape(), b.shape());
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs(x[i] - y[i]);
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        return worst;
    }

    private static Tensor randn(TensorFactory f, Generator g, DType dtype, int... dims) {
        return f.normal(g, 0, 1, Shape.of(dims), dtype);
    }

    @ParameterizedTest(name = "{0}, {1}, batch-first {2}")
    @CsvSource({"reference, FLOAT32, false, 1e-6", "reference, FLOAT64, true, 1e-12", "native, FLOAT32, true, 1e-6",
        "native, FLOAT64, false, 1e-12"})
    void decodingStepByStepWithTheCacheAgreesWithTheWholePrefixUnderACausalMask(String backend, DType dtype,
                                                                               boolean batchFirst, double tol) {
        TensorFactory f = on(backend);
        int b = 3;
        int t = 7;
        try (Scope ignored = Scope.open();
             MultiheadAttention mha = new MultiheadAttention(f, new Generator(1), E, H, 0.0, true, batchFirst, dtype);
             KeyValueCache cache = new KeyValueCache()) {
            int time = batchFirst ? 1 : 0;
            Tensor x = batchFirst ? randn(f, new Generator(2), dtype, b, t, E) : randn(f, new Generator(2), dtype, t, b, E);
            MultiheadAttention.Output whole = mha.forward(x, x, x, null, MultiheadAttention.causalMask(f, t), true, true);
            List<Tensor> outs = new ArrayList<>();
            // a prompt of 3 positions at once, then one position per step, each step in a scope of its own
            outs.add(mha.step(x.slice(time, 0, 3), cache, false).output());
            assertEquals(3, cache.length());
            for (int i = 3; i < t; i++) {
                try (Scope step = Scope.open()) {
                    MultiheadAttention.Output o = mha.step(x.slice(time, i, i + 1), cache, true);
                    outs.add(step.keep(o.output()));
                    // the step's weights are the last row of the whole prefix's
                    Tensor row = whole.weights().slice(1, i, i + 1).slice(2, 0, i + 1);
                    assertTrue(maxDiff(row, o.weights()) <= tol, "weights of step " + i);
                }
            }
            assertEquals(t, cache.length());
            assertEquals(Shape.of(b, H, t, E / H), cache.keys().shape());
            double d = maxDiff(whole.output(), Tensor.concat(outs, time));
            assertTrue(d <= tol, "cached decoding differs from the causal forward by " + d);
        }
    }

    @Test
    void crossStepCachesTheMemoryOnceAndMatchesTheFullCrossAttention() {
        TensorFactory f = on("reference");
        try (Scope ignored = Scope.open();
             MultiheadAttention mha = new MultiheadAttention(f, new Generator(3), E, H, 0.0, true, false, DType.FLOAT64);
             KeyValueCache memoryCache = new KeyValueCache()) {
            Tensor q = randn(f, new Generator(4), DType.FLOAT64, 4, 2, E);
            Tensor memory = randn(f, new Generator(5), DType.FLOAT64, 6, 2, E);
            Tensor padding = f.of(new boolean[] {false, false, false, false, false, false,
                false, false, false, true, true, true}, 2, 6);
            Tensor whole = mha.forward(q, memory, memory, padding, null, false, true).output();
            List<Tensor> outs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                outs.add(mha.crossStep(q.slice(0, i, i + 1), memory, memoryCache, padding, false).output());
                assertEquals(6, memoryCache.length(), "the memory is projected once");
            }
            assertTrue(maxDiff(whole, Tensor.concat(outs, 0)) <= 1e-12);
        }
    }

    @Test
    void cacheRowsCanBeSelectedForBeamSearch() {
        TensorFactory f = on("reference");
        try (Scope ignored = Scope.open();
             MultiheadAttention mha = new MultiheadAttention(f, new Generator(6), E, H, 0.0, true, true, DType.FLOAT64);
             KeyValueCache cache = new KeyValueCache()) {
            Tensor x = randn(f, new Generator(7), DType.FLOAT64, 3, 4, E);
            mha.step(x.slice(1, 0, 3), cache, false);
            try (KeyValueCache picked = cache.select(new int[] {2, 2, 0})) {
                Tensor rows = f.of(new long[] {2, 2, 0}, 3);
                Tensor next = x.slice(1, 3, 4).indexSelect(0, rows);
                Tensor a = mha.step(next, picked, false).output();
                Tensor full = mha.forward(x.indexSelect(0, rows), x.indexSelect(0, rows), x.indexSelect(0, rows), null,
                        MultiheadAttention.causalMask(f, 4), false, true).output().slice(1, 3, 4);
                assertTrue(maxDiff(a, full) <= 1e-12);
                assertEquals(3, cache.length(), "the original cache is unchanged");
            }
        }
    }

    @Test
    void gradientsOfQueryKeyValueAndAnAdditiveMaskMatchFiniteDifferences() {
        TensorFactory f = on("reference");
        int tq = 3;
        int tk = 4;
        int e = 4;
        try (MultiheadAttention mha = new MultiheadAttention(f, new Generator(8), e, 2, 0.0, true, false, DType.FLOAT64)) {
            Generator g = new Generator(9);
            double[] r = randn(f, g, DType.FLOAT64, tq, 2, e).toDoubleArray();
            Tensor padding = f.of(new boolean[] {false, false, false, false, false, false, true, true}, 2, tk);
            GradCheck.check(f, List.of(new Input(randn(f, g, DType.FLOAT64, tq, 2, e).toDoubleArray(), tq, 2, e),
                            new Input(randn(f, g, DType.FLOAT64, tk, 2, e).toDoubleArray(), tk, 2, e),
                            new Input(randn(f, g, DType.FLOAT64, tk, 2, e).toDoubleArray(), tk, 2, e),
                            new Input(randn(f, g, DType.FLOAT64, tq, tk).toDoubleArray(), tq, tk)),
                    in -> {
                        MultiheadAttention.Output o = mha.forward(in.get(0), in.get(1), in.get(2), padding, in.get(3),
                                true, true);
                        return o.output().mul(f.of(r, tq, 2, e)).sum().add(o.weights().square().sum());
                    });
        }
    }

    @Test
    void gradientsOfEveryParameterMatchFiniteDifferences() {
        TensorFactory f = on("reference");
        int t = 3;
        int e = 4;
        try (Scope ignored = Scope.open();
             MultiheadAttention mha = new MultiheadAttention(f, new Generator(10), e, 2, 0.0, true, true, DType.FLOAT64)) {
            Generator g = new Generator(11);
            try (Scope init = Scope.open()) { // non-zero biases
                mha.inProjBias().assign(randn(f, g, DType.FLOAT64, 3 * e).mul(0.3));
            }
            Tensor x = randn(f, g, DType.FLOAT64, 2, t, e);
            Tensor r = randn(f, g, DType.FLOAT64, 2, t, e);
            Tensor mask = MultiheadAttention.causalMask(f, t);
            java.util.function.Supplier<Tensor> loss = () -> {
                MultiheadAttention.Output o = mha.forward(x, x, x, null, mask, true, false);
                return o.output().mul(r).sum().add(o.weights().square().sum());
            };
            var params = mha.namedParameters();
            assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                    List.copyOf(params.keySet()));
            List<Tensor> grads = Autograd.grad(loss.get(), List.copyOf(params.values()));
            int k = 0;
            for (var entry : params.entrySet()) {
                Tensor p = entry.getValue();
                double[] analytic = grads.get(k++).toDoubleArray();
                double[] base = p.toDoubleArray();
                for (int j = 0; j < base.length; j++) {
                    double[] plus = base.clone();
                    double[] minus = base.clone();
                    double eps = 1e-6;
                    plus[j] += eps;
                    minus[j] -= eps;
                    double lp;
                    double lm;
                    try (GradMode ng = Autograd.noGrad(); Scope s = Scope.open()) {
                        p.assign(f.of(plus, p.shape().dims()));
                        lp = loss.get().item();
                        p.assign(f.of(minus, p.shape().dims()));
                        lm = loss.get().item();
                        p.assign(f.of(base, p.shape().dims()));
                    }
                    double numeric = (lp - lm) / (2 * eps);
                    if (!(Math.abs(numeric - analytic[j]) <= 1e-6 + 1e-5 * Math.abs(numeric))) {
                        throw new AssertionFailedError(entry.getKey() + "[" + j + "]: autograd " + analytic[j]
                                + ", finite differences " + numeric);
                    }
                }
            }
        }
    }

    @Test
    void boolMasksEqualTheirAdditiveFormsAndPyTorchsConventionIsTheOppositeOfScaledDotProducts() {
        TensorFactory f = on("reference");
        try (Scope ignored = Scope.open();
             MultiheadAttention mha = new MultiheadAttention(f, new Generator(12), E, H, 0.0, true, true, DType.FLOAT64)) {
            Tensor x = randn(f, new Generator(13), DType.FLOAT64, 2, 5, E);
            Tensor causal = MultiheadAttention.causalMask(f, 5);
            assertArrayEquals(new boolean[] {false, true, true, false, false, true, false, false, false},
                    f.triuMask(3, 3, 1).toBooleanArray());
            assertArrayEquals(f.triuMask(5, 5, 1).toBooleanArray(), causal.toBooleanArray());
            Tensor additive = f.zeros(Shape.of(5, 5), DType.FLOAT64).maskedFill(causal, Double.NEGATIVE_INFINITY);
            Tensor padding = f.of(new boolean[] {false, false, false, false, false, false, false, false, true, true}, 2, 5);
            Tensor paddingAdditive = f.zeros(Shape.of(2, 5), DType.FLOAT64).maskedFill(padding, Double.NEGATIVE_INFINITY);
            MultiheadAttention.Output bools = mha.forward(x, x, x, padding, causal, true, true);
            MultiheadAttention.Output floats = mha.forward(x, x, x, paddingAdditive, additive, true, true);
            MultiheadAttention.Output mixed = mha.forward(x, x, x, padding, additive, true, true);
            assertTrue(maxDiff(bools.output(), floats.output()) <= 1e-14);
            assertTrue(maxDiff(bools.output(), mixed.output()) <= 1e-14);
            double[] w = bools.weights().toDoubleArray(); // [2, 5, 5], averaged over heads
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < 5; i++) {
                    double sum = 0;
                    for (int j = 0; j < 5; j++) {
                        double v = w[(b * 5 + i) * 5 + j];
                        boolean forbidden = j > i || (b == 1 && j >= 3);
                        if (forbidden) {
                            assertEquals(0.0, v, "query " + i + " of row " + b + " must not see key " + j);
                        }
                        sum += v;
                    }
                    assertEquals(1.0, sum, 1e-12);
                }
            }
            // the per-head weights average to the averaged ones
            Tensor perHead = mha.forward(x, x, x, padding, causal, true, false).weights();
            assertEquals(Shape.of(2, H, 5, 5), perHead.shape());
            assertTrue(maxDiff(perHead.mean(1, false), bools.weights()) <= 1e-15);
            assertNull(mha.forward(x, x, x, padding, causal, false, true).weights());
        }
    }

    @Test
    void unbatchedInputsGiveTheFirstRowOfABatch() {
        TensorFactory f = on("reference");
        try (Scope ignored = Scope.open();
             MultiheadAttention mha = new MultiheadAttention(f, new Generator(14), E, H, 0.0, true, false, DType.FLOAT64)) {
            Tensor q = randn(f, new Generator(15), DType.FLOAT64, 3, E);
            Tensor kv = randn(f, new Generator(16), DType.FLOAT64, 4, E);
            Tensor padding = f.of(new boolean[] {false, false, false, true}, 4);
            MultiheadAttention.Output one = mha.forward(q, kv, kv, padding, null, true, true);
            MultiheadAttention.Output batch = mha.forward(q.unsqueeze(1), kv.unsqueeze(1), kv.unsqueeze(1),
                    padding.unsqueeze(0), null, true, true);
            assertEquals(Shape.of(3, E), one.output().shape());
            assertEquals(Shape.of(3, 4), one.weights().shape());
            assertTrue(maxDiff(one.output(), batch.output().squeeze(1)) <= 1e-15);
        }
    }

    @Test
    void dropoutActsOnTheWeightsInTrainingOnly() {
        TensorFactory f = on("reference");
        try (Scope ignored = Scope.open();
             MultiheadAttention drop = new MultiheadAttention(f, new Generator(17), E, H, 0.5, true, true, DType.FLOAT64);
             MultiheadAttention plain = new MultiheadAttention(f, new Generator(17), E, H, 0.0, true, true, DType.FLOAT64)) {
            Tensor x = randn(f, new Generator(18), DType.FLOAT64, 2, 6, E);
            Tensor reference = plain.forward(x, x, x).output();
            double[] w = drop.forward(x, x, x, null, null, true, false).weights().toDoubleArray();
            double[] clean = plain.forward(x, x, x, null, null, true, false).weights().toDoubleArray();
            int zeros = 0;
            for (int i = 0; i < w.length; i++) {
                if (w[i] == 0) {
                    zeros++;
                } else {
                    assertEquals(2 * clean[i], w[i], 1e-12, "a kept weight is scaled by 1 / (1 - p)");
                }
            }
            assertTrue(zeros > w.length / 4 && zeros < 3 * w.length / 4, zeros + " of " + w.length + " dropped");
            drop.eval();
            assertEquals(0.0, maxDiff(reference, drop.forward(x, x, x).output()));
        }
    }

    @Test
    void badInputNamesTheShapes() {
        TensorFactory f = on("reference");
        ShapeException heads = assertThrows(ShapeException.class,
                () -> new MultiheadAttention(f, new Generator(1), 8, 3));
        assertEquals("MultiheadAttention: embed_dim 8 is not divisible by num_heads 3", heads.getMessage());
        ShapeException optionHeads = assertThrows(ShapeException.class, () -> TransformerOptions.of(10, 4));
        assertTrue(optionHeads.getMessage().contains("d_model 10 is not divisible by nhead 4"), optionHeads.getMessage());
        try (Scope ignored = Scope.open();
             MultiheadAttention mha = new MultiheadAttention(f, new Generator(1), E, H)) {
            Tensor q = f.zeros(4, 2, E);
            Tensor k = f.zeros(5, 2, E);
            ShapeException kv = assertThrows(ShapeException.class, () -> mha.forward(q, k, f.zeros(6, 2, E)));
            assertTrue(kv.getMessage().contains("key [5, 2, 8] and value [6, 2, 8]"), kv.getMessage());
            ShapeException width = assertThrows(ShapeException.class, () -> mha.forward(f.zeros(4, 2, 6), k, k));
            assertTrue(width.getMessage().contains("[4, 2, 6]") && width.getMessage().contains("must end in 8"),
                    width.getMessage());
            ShapeException batch = assertThrows(ShapeException.class, () -> mha.forward(q, f.zeros(5, 3, E),
                    f.zeros(5, 3, E)));
            assertTrue(batch.getMessage().contains("batch size"), batch.getMessage());
            ShapeException mask = assertThrows(ShapeException.class,
                    () -> mha.forward(q, k, k, null, f.ones(DType.BOOL, 5, 4), false, true));
            assertTrue(mask.getMessage().contains("attn_mask [5, 4] cannot be broadcast to the scores")
                    && mask.getMessage().contains("[tq, tk] = [4, 5]"), mask.getMessage());
            ShapeException perHead = assertThrows(ShapeException.class,
                    () -> mha.forward(q, k, k, null, f.ones(DType.BOOL, 3, 4, 5), false, true));
            assertTrue(perHead.getMessage().contains("[batch·heads, tq, tk] = [4, 4, 5]"), perHead.getMessage());
            ShapeException padding = assertThrows(ShapeException.class,
                    () -> mha.forward(q, k, k, f.ones(DType.BOOL, 2, 4), null, false, true));
            assertTrue(padding.getMessage().contains("key_padding_mask [2, 4] must be [2, 5]"), padding.getMessage());
            DTypeException intMask = assertThrows(DTypeException.class,
                    () -> mha.forward(q, k, k, null, f.zeros(DType.INT64, 4, 5), false, true));
            assertTrue(intMask.getMessage().contains("attn_mask must be bool or float32"), intMask.getMessage());
            DTypeException dtype = assertThrows(DTypeException.class,
                    () -> mha.forward(q.to(DType.FLOAT64), k.to(DType.FLOAT64), k.to(DType.FLOAT64)));
            assertTrue(dtype.getMessage().contains("must be float32 like the parameters"), dtype.getMessage());
            try (KeyValueCache cache = new KeyValueCache()) {
                mha.step(f.zeros(1, 2, E), cache, false);
                ShapeException wrongBatch = assertThrows(ShapeException.class,
                        () -> mha.step(f.zeros(1, 3, E), cache, false));
                assertTrue(wrongBatch.getMessage().contains("the cache holds [2, 2, 1, 4]"), wrongBatch.getMessage());
            }
        }
    }

    @Test
    void initialisationIsPyTorchs() {
        TensorFactory f = on("reference");
        try (MultiheadAttention mha = new MultiheadAttention(f, new Generator(19), 16, 4)) {
            var p = mha.namedParameters();
            assertEquals(Shape.of(48, 16), p.get("in_proj_weight").shape());
            assertEquals(Shape.of(16, 16), p.get("out_proj.weight").shape());
            double a = Math.sqrt(6.0 / (16 + 48));
            double max = 0;
            for (double v : p.get("in_proj_weight").toDoubleArray()) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= a && max > 0.9 * a, "Glorot-uniform bound " + a + ", largest " + max);
            for (double v : p.get("in_proj_bias").toDoubleArray()) {
                assertEquals(0.0, v);
            }
            for (double v : p.get("out_proj.bias").toDoubleArray()) {
                assertEquals(0.0, v);
            }
            for (double v : p.get("out_proj.weight").toDoubleArray()) {
                assertTrue(Math.abs(v) <= 0.25);
            }
            assertFalse(mha.namedBuffers().containsKey("dropout"));
        }
    }
}
