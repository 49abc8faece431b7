package dev.nabla.models.gan;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.api.types.NablaException;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.Scatter;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.MLP;
import dev.nabla.models.train.MetricsHistory;
import dev.nabla.models.train.TrainingLoop;
import dev.nabla.models.train.UpdatesTrainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The family's bad input (k below 1, an unknown loss, a discriminator of the wrong shape, a NaN), the
 * metrics of a step, k discriminator steps per generator step, a tiny 2-D run that learns, and a run
 * stopped and resumed bit-identically (model and both optimizers).
 */
class GanTrainingTest {
    static final TensorFactory F = TensorFactory.on(Nabla.backend("native"));

    @TempDir
    Path dir;

    private static final GanFamily FAMILY = new GanFamily();

    private static GanModel build(String dataset, Map<String, Object> keys) {
        DataSplits data = FAMILY.data(dataset, 1, keys);
        return FAMILY.buildGan(new ModelRequest("gan", dataset, keys, FAMILY.describe(dataset, data), F,
                new Generator(11), null));
    }

    @Test
    void kBelowOneAndAnUnknownLossAreRefusedByName() {
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> build(GanToys.EIGHT, Map.of("k", "0")));
        assertEquals("gan: k (discriminator steps per generator step) must be at least 1, got 0", k.getMessage());
        IllegalArgumentException loss = assertThrows(IllegalArgumentException.class,
                () -> build(GanToys.EIGHT, Map.of("loss", "wasserstein")));
        assertEquals("gan: unknown loss 'wasserstein'; valid: minimax, nonsaturating, hinge", loss.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> build(GanToys.EIGHT, Map.of("lr", "1")));
        assertTrue(key.getMessage().contains("'lr'") && key.getMessage().contains("lr_d"), key.getMessage());
    }

    /** A GAN whose discriminator returns two numbers per example. */
    static final class TwoHeaded extends Gan {
        TwoHeaded(Generator g) {
            super(2, new MLP(F, g, new int[] {2, 4, 2}, "relu"), new Linear(F, g, 2, 2));
        }

        @Override
        public Tensor toModel(Tensor data) {
            return data;
        }

        @Override
        public Tensor toData(Tensor generated) {
            return generated;
        }
    }

    @Test
    void aDiscriminatorOfTheWrongShapeIsNamedInOneLine() {
        try (GanModel m = new GanModel("gan", new TwoHeaded(new Generator(1)), FAMILY.build(new ModelRequest("gan",
                GanToys.EIGHT, Map.of(), Map.of("dim", 2L), F, new Generator(1), null))
                .unwrap(GanModel.class).orElseThrow().config(), GanToys.EIGHT_MODES); Scope s = Scope.open()) {
            ShapeException e = assertThrows(ShapeException.class, () -> m.discriminatorLoss(F.zeros(5, 2), new Generator(2)));
            assertEquals("gan: the discriminator returned [5, 2] for a batch of 5 examples; it must return one logit "
                    + "per example, [5, 1]", e.getMessage());
            assertTrue(!e.getMessage().contains("\n"));
        }
    }

    private TrainingLoop loop(GanModel m, DataSplits data, int epochs, Path checkpoint, boolean resume) {
        Map<String, Object> parts = new LinkedHashMap<>(m.trainingParts(new TrainingRequest(UpdatesTrainer.NAME, data, F,
                new LinkedHashMap<>(), role -> Optional.empty(), line -> { })));
        Map<String, Object> settings = new LinkedHashMap<>(Map.of("batchSize", 64, "checkpoint", checkpoint.toString()));
        if (resume) {
            settings.put("resume", checkpoint.toString());
        }
        return new UpdatesTrainer(Map.of()).prepare(new TrainingPlan(parts, epochs, 5, settings));
    }

    private static DataSplits small(long seed) {
        DataSplits full = GanToys.splits(GanToys.EIGHT, seed);
        var train = (dev.nabla.models.data.ArrayDataset) full.train();
        var cut = new dev.nabla.models.data.ArrayDataset(java.util.Arrays.copyOf(train.values(), 2 * 640),
                dev.nabla.api.types.Shape.of(2), null);
        return new DataSplits(cut, full.validation(), full.test());
    }

    @Test
    void aNaNInTheGameStopsNamingTheStepAndThePlayer() {
        DataSplits data = small(1);
        try (GanModel m = build(GanToys.EIGHT, Map.of())) {
            Tensor w = m.parameters().get("generator.0.weight");
            w.assign(w.mul(Double.NaN));
            NablaException e = assertThrows(NablaException.class, () -> loop(m, data, 1, dir.resolve("c.safetensors"), false).run());
            assertTrue(e.getMessage().startsWith("training stopped at step 1 (epoch 1, update 'discriminator'): the loss is NaN"),
                    e.getMessage());
        }
    }

    @Test
    void kDiscriminatorStepsPerGeneratorStepAndTheFourMetrics() {
        DataSplits data = small(1);
        try (GanModel m = build(GanToys.EIGHT, Map.of("k", "3", "hidden", "16"))) {
            TrainingLoop l = loop(m, data, 1, dir.resolve("k.safetensors"), false);
            MetricsHistory h = new MetricsHistory();
            l.addListener(h);
            l.run();
            assertEquals(10, l.updates().get(0).optimizer().steps());
            assertEquals(3, l.updates().get(1).optimizer().steps(), "steps 3, 6, 9");
            for (int s = 1; s <= 10; s++) {
                Map<String, Double> p = h.stepParts().get(s - 1);
                assertTrue(p.keySet().containsAll(List.of("d_loss", "d_real", "d_fake")), p.toString());
                assertEquals(s % 3 == 0, p.containsKey("g_loss"), "step " + s + ": " + p);
                assertTrue(p.get("d_real") > 0 && p.get("d_real") < 1 && p.get("d_fake") > 0 && p.get("d_fake") < 1);
            }
        }
    }

    private static Map<String, float[]> everything(Path file) {
        Map<String, float[]> m = new java.util.TreeMap<>();
        try (Checkpoint c = Checkpoint.load(file, F)) {
            c.model().forEach((k, v) -> m.put("model." + k, v.toFloatArray()));
            c.optimizers().forEach((u, o) -> o.state().forEach((k, v) -> m.put(u + "." + k, v.toFloatArray())));
            assertEquals(List.of(GanModel.DISCRIMINATOR, GanModel.GENERATOR), List.copyOf(c.optimizers().keySet()));
        }
        return m;
    }

    @Test
    void aRunStoppedAndResumedIsBitIdenticalWithBothOptimizers() {
        DataSplits data = small(2);
        Map<String, Object> keys = Map.of("k", "2", "hidden", "16", "smooth", "0.1");
        Path whole = dir.resolve("whole.safetensors");
        Path parts = dir.resolve("parts.safetensors");
        try (GanModel m = build(GanToys.EIGHT, keys)) {
            TrainingReport r = loop(m, data, 3, whole, false).run();
            assertEquals(30, r.steps());
        }
        try (GanModel m = build(GanToys.EIGHT, keys)) {
            loop(m, data, 1, parts, false).run();
        }
        try (GanModel m = build(GanToys.EIGHT, keys)) {
            TrainingReport r = loop(m, data, 3, parts, true).run();
            assertEquals(30, r.steps());
        }
        Map<String, float[]> a = everything(whole);
        Map<String, float[]> b = everything(parts);
        assertEquals(a.keySet(), b.keySet());
        assertTrue(a.keySet().stream().anyMatch(k -> k.startsWith("generator.")) && a.keySet().stream()
                .anyMatch(k -> k.startsWith("discriminator.")), a.keySet().toString());
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
    }

    @Test
    void aTinyRunOnTheRingLearnsToCoverModes() {
        DataSplits data = GanToys.splits(GanToys.EIGHT, 1);
        try (GanModel m = build(GanToys.EIGHT, Map.of("hidden", "64", "lr_d", "1e-3", "lr_g", "1e-3"))) {
            ModeCoverage before = GanToys.EIGHT_MODES.coverage(((dev.nabla.models.family.Samples.Points)
                    m.sample(2500, new Generator(3))).values());
            Map<String, Object> parts = new LinkedHashMap<>(m.trainingParts(new TrainingRequest(UpdatesTrainer.NAME, data, F,
                    new LinkedHashMap<>(), role -> Optional.empty(), line -> { })));
            new UpdatesTrainer(Map.of()).prepare(new TrainingPlan(parts, 1000, 5, Map.of("batchSize", 128, "maxSteps", 1500)))
                    .run();
            ModeCoverage after = GanToys.EIGHT_MODES.coverage(((dev.nabla.models.family.Samples.Points)
                    m.sample(2500, new Generator(3))).values());
            assertTrue(before.covered() <= 1 && before.quality() < 0.2, "untrained: " + before.covered() + ", " + before.quality());
            assertTrue(after.covered() >= 4 && after.quality() > 0.3, "trained: " + after.covered() + " modes, quality "
                    + after.quality());
            Scatter sc = m.scatter(data.test(), 100, new Generator(4)).orElseThrow();
            assertEquals(200 * 200, sc.background().logDensity().length);
            var e = m.evaluate(data.test(), 500);
            assertEquals("modes", e.headline().key());
            assertEquals(after.covered(), e.headline().value());
        }
    }
}
