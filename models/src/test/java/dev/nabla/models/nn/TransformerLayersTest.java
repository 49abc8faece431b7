package dev.nabla.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Transformer layers, stacks and position encodings: step-wise decoding with caches against the whole
 * sequence under a causal mask (encoder stack as a decoder-only model, decoder stack with padded memory),
 * PyTorch's parameter names, dropout only in training, the sinusoidal table against its closed form,
 * learned positions' gradients, and inputs longer than the positions. Values against PyTorch:
 * {@link AttentionGoldenTest}.
 */
class TransformerLayersTest {
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));

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

    private Tensor randn(long seed, DType dtype, int... dims) {
        return f.normal(new Generator(seed), 0, 1, Shape.of(dims), dtype);
    }

    private static TransformerOptions options(boolean normFirst, boolean batchFirst, DType dtype) {
        return TransformerOptions.of(8, 2).dimFeedforward(16).dropout(0.1).batchFirst(batchFirst).normFirst(normFirst)
                .activation("gelu").dtype(dtype);
    }

    @ParameterizedTest(name = "pre-LN {0}, batch-first {1}, {2}")
    @CsvSource({"false, false, FLOAT64, 1e-12", "true, true, FLOAT64, 1e-12", "false, true, FLOAT32, 1e-5",
        "true, false, FLOAT32, 1e-5"})
    void aCausalEncoderStackDecodesStepByStepLikeTheWholeSequence(boolean normFirst, boolean batchFirst, DType dtype,
                                                                 double tol) {
        int t = 6;
        try (Scope ignored = Scope.open();
             TransformerEncoder stack = new TransformerEncoder(f, new Generator(1), options(normFirst, batchFirst, dtype),
                     2, normFirst)) {
            stack.eval();
            int time = batchFirst ? 1 : 0;
            Tensor x = batchFirst ? randn(2, dtype, 3, t, 8) : randn(2, dtype, t, 3, 8);
            Tensor whole = stack.forward(x, MultiheadAttention.causalMask(f, t), null);
            // the isCausal hint is the causal mask without the mask
            Tensor hinted = stack.forward(x, null, null, true);
            assertTrue(maxDiff(whole, hinted) <= tol, "isCausal differs from the causal mask by " + maxDiff(whole, hinted));
            List<KeyValueCache> caches = stack.newCache();
            List<Tensor> outs = new ArrayList<>();
            for (int i = 0; i < t; i++) {
                outs.add(stack.step(x.slice(time, i, i + 1), caches));
            }
            caches.forEach(KeyValueCache::close);
            double d = maxDiff(whole, Tensor.concat(outs, time));
            assertTrue(d <= tol, "step-wise differs by " + d);
        }
    }

    @ParameterizedTest(name = "pre-LN {0}")
    @CsvSource({"false", "true"})
    void aDecoderStackDecodesStepByStepLikeTheWholeTargetWithPaddedMemory(boolean normFirst) {
        int t = 5;
        try (Scope ignored = Scope.open();
             TransformerDecoder stack = new TransformerDecoder(f, new Generator(3),
                     options(normFirst, true, DType.FLOAT64), 2, true)) {
            stack.eval();
            Tensor tgt = randn(4, DType.FLOAT64, 2, t, 8);
            Tensor memory = randn(5, DType.FLOAT64, 2, 4, 8);
            Tensor padding = f.of(new boolean[] {false, false, false, false, false, false, true, true}, 2, 4);
            Tensor whole = stack.forward(tgt, memory, MultiheadAttention.causalMask(f, t), null, null, padding);
            List<TransformerDecoderLayer.Cache> caches = stack.newCache();
            List<Tensor> outs = new ArrayList<>();
            outs.add(stack.step(tgt.slice(1, 0, 2), memory, caches, padding)); // a two-token prefix at once
            for (int i = 2; i < t; i++) {
                outs.add(stack.step(tgt.slice(1, i, i + 1), memory, caches, padding));
            }
            caches.forEach(TransformerDecoderLayer.Cache::close);
            double d = maxDiff(whole, Tensor.concat(outs, 1));
            assertTrue(d <= 1e-12, "step-wise differs by " + d);
            // without the causal mask the first position would see the future: the mask matters
            Tensor unmasked = stack.forward(tgt, memory, null, null, null, padding);
            assertTrue(maxDiff(whole.slice(1, 0, 1), unmasked.slice(1, 0, 1)) > 1e-6);
        }
    }

    @Test
    void isCausalWithKeyPaddingGivesTheMasksValuesAndGradients() {
        int t = 5;
        try (Scope ignored = Scope.open();
             TransformerEncoder stack = new TransformerEncoder(f, new Generator(4), options(true, true, DType.FLOAT64),
                     2, true)) {
            stack.eval();
            Tensor padding = f.of(new boolean[] {false, false, false, false, true, false, false, false, false, false},
                    2, t);
            List<double[]> results = new ArrayList<>();
            for (boolean hint : new boolean[] {false, true}) {
                Tensor x = randn(9, DType.FLOAT64, 2, t, 8).requiresGrad(true);
                Tensor y = hint ? stack.forward(x, null, padding, true)
                        : stack.forward(x, MultiheadAttention.causalMask(f, t), padding);
                Tensor loss = y.mul(randn(10, DType.FLOAT64, 2, t, 8)).sum();
                List<Tensor> g = Autograd.grad(loss, List.of(x, stack.namedParameters().get("layers.0.self_attn.in_proj_weight")));
                results.add(y.toDoubleArray());
                results.add(g.get(0).toDoubleArray());
                results.add(g.get(1).toDoubleArray());
            }
            for (int i = 0; i < 3; i++) {
                double[] a = results.get(i);
                double[] b = results.get(i + 3);
                for (int j = 0; j < a.length; j++) {
                    assertEquals(a[j], b[j], 1e-12, "result " + i + " (output, dx, d in_proj_weight) at " + j);
                }
            }
        }
    }

    @Test
    void parametersHavePyTorchsNamesAndShapes() {
        try (TransformerEncoderLayer enc = new TransformerEncoderLayer(f, new Generator(1), TransformerOptions.of(8, 2)
                .dimFeedforward(16));
             TransformerDecoder dec = new TransformerDecoder(f, new Generator(2), TransformerOptions.of(8, 2)
                     .dimFeedforward(16), 2, true)) {
            assertEquals(List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                    "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                    "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"), List.copyOf(enc.namedParameters().keySet()));
            assertEquals(Shape.of(16, 8), enc.namedParameters().get("linear1.weight").shape());
            assertEquals(Shape.of(8, 16), enc.namedParameters().get("linear2.weight").shape());
            List<String> names = List.copyOf(dec.namedParameters().keySet());
            assertEquals(2 * 18 + 2, names.size());
            assertTrue(names.contains("layers.1.multihead_attn.in_proj_weight"));
            assertTrue(names.contains("layers.0.norm3.bias"));
            assertEquals("norm.bias", names.get(names.size() - 1));
            assertTrue(enc.namedBuffers().isEmpty());
        }
    }

    @Test
    void dropoutActsInTrainingOnly() {
        try (Scope ignored = Scope.open();
             TransformerEncoderLayer layer = new TransformerEncoderLayer(f, new Generator(1),
                     TransformerOptions.of(8, 2).dimFeedforward(16).dropout(0.3).dtype(DType.FLOAT64))) {
            Tensor x = randn(6, DType.FLOAT64, 4, 2, 8);
            Tensor a = layer.forward(x);
            Tensor b = layer.forward(x);
            assertTrue(maxDiff(a, b) > 1e-3, "two training passes draw different masks");
            layer.eval();
            assertEquals(0.0, maxDiff(layer.forward(x), layer.forward(x)));
        }
    }

    @Test
    void sinusoidalPositionsFollowTheClosedFormAndAreABuffer() {
        int d = 6;
        try (Scope ignored = Scope.open();
             SinusoidalPositions pe = new SinusoidalPositions(f, 10, d, true, DType.FLOAT64)) {
            assertTrue(pe.namedParameters().isEmpty());
            assertEquals(List.of("pe"), List.copyOf(pe.namedBuffers().keySet()));
            double[] table = pe.table(0, 10).toDoubleArray();
            for (int pos = 0; pos < 10; pos++) {
                for (int i = 0; i < d / 2; i++) {
                    double angle = pos / Math.pow(10000, 2.0 * i / d);
                    assertEquals(Math.sin(angle), table[pos * d + 2 * i], 1e-14);
                    assertEquals(Math.cos(angle), table[pos * d + 2 * i + 1], 1e-14);
                }
            }
            Tensor x = randn(7, DType.FLOAT64, 2, 4, d);
            Tensor y = pe.forward(x, 3);
            double[] xs = x.toDoubleArray();
            double[] ys = y.toDoubleArray();
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < 4; t++) {
                    for (int j = 0; j < d; j++) {
                        int at = (b * 4 + t) * d + j;
                        assertEquals(xs[at] + table[(t + 3) * d + j], ys[at], 1e-15);
                    }
                }
            }
            ShapeException tooLong = assertThrows(ShapeException.class, () -> pe.forward(randn(8, DType.FLOAT64, 2, 11, d)));
            assertEquals("SinusoidalPositions: input length 11 exceeds the 10 positions this model was built for",
                    tooLong.getMessage());
            ShapeException offset = assertThrows(ShapeException.class, () -> pe.forward(x, 7));
            assertTrue(offset.getMessage().contains("input length 11 (offset 7 + 4) exceeds the 10 positions"),
                    offset.getMessage());
        }
    }

    @Test
    void learnedPositionsAddTheirRowsAndGetGradientsOnlyThere() {
        try (Scope ignored = Scope.open();
             LearnedPositions pos = new LearnedPositions(f, new Generator(9), 6, 4, false, DType.FLOAT64)) {
            assertEquals(List.of("weight"), List.copyOf(pos.namedParameters().keySet()));
            Tensor x = randn(10, DType.FLOAT64, 3, 2, 4); // time-first [T, B, d]
            Tensor y = pos.forward(x, 1);
            assertTrue(maxDiff(y.select(1, 1), x.select(1, 1).add(pos.weight().slice(0, 1, 4))) <= 1e-15);
            Tensor g = Autograd.grad(y.sum(), List.of(pos.weight())).get(0);
            double[] gs = g.toDoubleArray();
            for (int r = 0; r < 6; r++) {
                for (int c = 0; c < 4; c++) {
                    assertEquals(r >= 1 && r <= 3 ? 2.0 : 0.0, gs[r * 4 + c], "row " + r + " (batch of 2)");
                }
            }
            ShapeException tooLong = assertThrows(ShapeException.class, () -> pos.forward(randn(11, DType.FLOAT64, 7, 2, 4)));
            assertEquals("LearnedPositions: input length 7 exceeds the 6 positions this model was built for",
                    tooLong.getMessage());
        }
    }
}
