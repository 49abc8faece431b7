package dev.nabla.models.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.models.family.SampleRequest;
import dev.nabla.models.family.Samples;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.train.Loss;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hinge loss against its closed form (values and gradients), SAGAN's networks (shapes, spectral norm's
 * buffers in the state, the attention maps), a few hinge steps with two time-scale Adams (γ leaves 0, u
 * moves), the state round trip, the attention figure and the refusals.
 */
class SaganTest {
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));

    @Test
    void hingeLossesMatchTheirClosedForms() {
        try (Scope s = Scope.open()) {
            Tensor a = f.of(new double[] {2, 0.5, -1}, 3, 1).requiresGrad(true);
            Tensor b = f.of(new double[] {-2, 0, 0.5}, 3, 1).requiresGrad(true);
            // E[relu(1 − a)] = (0 + 0.5 + 2)/3, E[relu(1 + b)] = (0 + 1 + 1.5)/3
            Tensor d = GanLoss.HINGE.discriminatorLoss(a, b, 0);
            assertEquals(5.0 / 3, d.item(), 1e-15);
            List<Tensor> g = Autograd.grad(d, List.of(a, b));
            assertArrayEquals(new double[] {0, -1.0 / 3, -1.0 / 3}, g.get(0).toDoubleArray(), 1e-15,
                    "real scores past the margin (a ≥ 1) get no gradient");
            assertArrayEquals(new double[] {0, 1.0 / 3, 1.0 / 3}, g.get(1).toDoubleArray(), 1e-15,
                    "generated scores past the margin (b ≤ −1) get none");
            Tensor gl = GanLoss.HINGE.generator(b);
            assertEquals(-(-2 + 0 + 0.5) / 3, gl.item(), 1e-15);
            assertArrayEquals(new double[] {-1.0 / 3, -1.0 / 3, -1.0 / 3},
                    Autograd.grad(gl, List.of(b)).getFirst().toDoubleArray(), 1e-15,
                    "−E[D(G(z))]: the generator's gradient never vanishes, even at b = −2");
            // the cross-entropy games still go through the static BCE
            assertEquals(GanLoss.discriminator(a, b, 0.1).item(), GanLoss.MINIMAX.discriminatorLoss(a, b, 0.1).item(), 0.0);
            assertEquals(GanLoss.HINGE, GanLoss.parse("hinge"));
            assertTrue(GanLoss.names().contains("hinge"));
            var ex = assertThrows(IllegalArgumentException.class,
                    () -> new GanConfig(GanLoss.HINGE, 1, 4e-4, 1e-4, 0, 0.9, 0.1));
            assertTrue(ex.getMessage().contains("smooth") && ex.getMessage().contains("hinge"), ex.getMessage());
        }
    }

    private Sagan sagan(long seed) {
        return new Sagan(f, new Generator(seed), 8, 2);
    }

    @Test
    void theNetworksHaveTheirShapesSpectralNormEverywhereAndAttentionAt14x14() {
        try (Scope s = Scope.open(); Sagan g = sagan(1)) {
            Tensor z = g.noise(new Generator(2), 3);
            AttentionResult r = g.generateWithAttention(z);
            assertEquals(Shape.of(3, 1, 28, 28), r.output().shape());
            assertEquals(Shape.of(3, 196, 196), r.weights().shape());
            for (double rowSum : r.weights().sum(-1, false).toDoubleArray()) {
                assertEquals(1.0, rowSum, 1e-5);
            }
            double[] img = r.output().toDoubleArray();
            for (double v : img) {
                assertTrue(v >= -1 && v <= 1, "tanh output");
            }
            assertEquals(Shape.of(3, 1), g.discriminate(r.output()).shape());
            Map<String, Tensor> state = g.state();
            for (String k : List.of("generator.head.1.weight_orig", "generator.head.1.weight_u", "generator.head.1.weight_v",
                    "generator.attention.gamma", "generator.attention.f.weight_u", "generator.tail.0.weight_v",
                    "discriminator.head.0.weight_orig", "discriminator.attention.h.weight_u",
                    "discriminator.tail.2.weight_u", "generator.head.2.running_mean")) {
                assertTrue(state.containsKey(k), k + " in " + state.keySet());
            }
            long plainWeights = state.keySet().stream().filter(k -> k.endsWith(".weight") && !k.contains("head.2")
                    && !k.contains("head.5")).count();
            assertEquals(0, plainWeights, "every convolution is spectrally normalised (only BatchNorm has a plain weight): "
                    + state.keySet());
            assertEquals(0.0, g.generatorAttention().gamma().item());
            assertEquals(0.0, g.discriminatorAttention().gamma().item());
        }
    }

    @Test
    void hingeStepsWithTwoTimeScalesMoveGammaAndTheSpectralVectorsAndTheStateRoundTrips() {
        GanConfig config = new GanConfig(GanLoss.HINGE, 1, 4e-4, 1e-4, 0, 0.9, 0);
        try (Scope s = Scope.open(); GanModel model = new GanModel("sagan", sagan(3), config, null);
                GanModel copy = new GanModel("sagan", sagan(4), config, null)) {
            Sagan g = (Sagan) model.gan();
            Map<String, Tensor> d = new LinkedHashMap<>();
            Map<String, Tensor> gen = new LinkedHashMap<>();
            g.namedParameters().forEach((k, v) -> (k.startsWith("generator.") ? gen : d).put(k, v));
            try (Adam adamD = new Adam(d, config.lrD(), config.beta1(), config.beta2(), 1e-8, 0);
                    Adam adamG = new Adam(gen, config.lrG(), config.beta1(), config.beta2(), 1e-8, 0)) {
                Tensor data = f.uniform(new Generator(5), 0, 1, Shape.of(4, 784), DType.FLOAT32);
                double[] u0 = g.state().get("discriminator.head.0.weight_u").toDoubleArray();
                Generator random = new Generator(6);
                for (int step = 0; step < 2; step++) {
                    try (Scope st = Scope.open()) {
                        adamD.zeroGrad();
                        Loss ld = model.discriminatorLoss(data, random);
                        ld.value().backward();
                        adamD.step();
                        adamG.zeroGrad();
                        Loss lg = model.generatorLoss(4, random);
                        lg.value().backward();
                        adamG.step();
                        assertTrue(Double.isFinite(ld.value().item()) && Double.isFinite(lg.value().item()));
                    }
                    if (step == 0) {
                        // Adam's first step moves each parameter by about its learning rate: γ leaves 0 at two time scales
                        assertEquals(1e-4, Math.abs(g.generatorAttention().gamma().item()), 5e-6,
                                "γ of G learns from 0 (its gradient is Σ o·∂L/∂y), at lr_g");
                        assertEquals(4e-4, Math.abs(g.discriminatorAttention().gamma().item()), 2e-5, "γ of D, at lr_d");
                    }
                }
                assertNotEquals(java.util.Arrays.toString(u0),
                        java.util.Arrays.toString(g.state().get("discriminator.head.0.weight_u").toDoubleArray()),
                        "each training forward pass does a power-iteration step");
            }
            copy.loadState(model.state());
            model.eval();
            copy.eval();
            Tensor z = g.noise(new Generator(7), 2);
            assertArrayEquals(g.generate(z).toFloatArray(), copy.gan().generate(z).toFloatArray(), 0f,
                    "weights, BatchNorm statistics and spectral norm's u and v all come back");
        }
    }

    @Test
    void theAttentionFigureHasOneRowPerImageAndATilePerQuery() {
        try (Scope s = Scope.open(); GanModel model = new GanModel("sagan", sagan(8),
                new GanConfig(GanLoss.HINGE, 1, 4e-4, 1e-4, 0, 0.9, 0), null)) {
            assertEquals(java.util.Set.of("queries"), model.sampleOptions());
            Samples drawn = model.sample(new SampleRequest(1000, new Generator(1), Map.of("queries", "7,14;14,14/21,8")));
            Samples.Images fig = (Samples.Images) drawn;
            assertEquals(1, fig.count());
            assertEquals(8 * 56 + 9 * 4, fig.height(), "at most 8 rows of 56-pixel tiles, 4 apart");
            assertEquals(4 * 56 + 5 * 4, fig.width(), "the image and 3 query tiles");
            // the first row's second tile is the first query's map, scaled so its largest weight is 1
            float max = 0;
            for (int y = 4; y < 4 + 56; y++) {
                for (int x = 4 + 60; x < 4 + 60 + 56; x++) {
                    float v = fig.pixels()[y * fig.width() + x];
                    assertTrue(v >= 0 && v <= 1, "grey level " + v);
                    if (v != 0.5f) {
                        max = Math.max(max, v);
                    }
                }
            }
            assertEquals(1f, max, 1e-6f);
            Samples plain = model.sample(new SampleRequest(4, new Generator(1)));
            assertEquals(4, ((Samples.Images) plain).count());

            for (String bad : List.of("28,3", "7", "a,b", "1,1;2,2;3,3;4,4;5,5;6,6;7,7;8,8;9,9")) {
                var ex = assertThrows(IllegalArgumentException.class,
                        () -> model.sample(new SampleRequest(2, new Generator(1), Map.of("queries", bad))));
                assertTrue(ex.getMessage().contains("--queries"), ex.getMessage());
            }
        }
    }

    @Test
    void theFamilyOffersSaganWithThePapersGame() {
        GanFamily family = new GanFamily();
        var spec = GanFamily.MODELS.stream().filter(m -> m.name().equals("sagan")).findFirst().orElseThrow();
        assertEquals(List.of("fashion-mnist"), spec.datasets());
        GanConfig game = GanFamily.game(spec.config(Map.of()));
        assertEquals(new GanConfig(GanLoss.HINGE, 1, 4e-4, 1e-4, 0, 0.9, 0), game);
        assertEquals(GanLoss.MINIMAX, GanFamily.game(spec.config(Map.of("loss", "minimax"))).loss());
        assertEquals(spec, family.model("sagan"));
    }
}
