package org.example.nabla.plugin;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.spi.ServiceComponents;
import dev.nabla.models.spi.Trainers;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The regression family as the {@code nabla} command uses it: its data set, a model built from string keys,
 * trained by the model library's {@code objective} trainer on the parts the model hands it, evaluated and
 * sampled; bad names and keys are refused by name.
 */
class RegressionFamilyTest {
    static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));
    final RegressionFamily family = new RegressionFamily();

    private FamilyModel build(Map<String, Object> keys) {
        return family.build(new ModelRequest(RegressionFamily.MODEL, SineData.NAME, keys, Map.of(), F, new Generator(3),
                ServiceComponents.load()));
    }

    @Test
    void theSineDataAreSeededTypedBatches() {
        DataSplits a = family.data(SineData.NAME, 4);
        DataSplits b = family.data(SineData.NAME, 4);
        assertEquals(List.of(2000, 500, 500), List.of(a.train().size(), a.validation().size(), a.test().size()));
        try (Scope s = Scope.open()) {
            Batch x = a.test().batch(F, new int[] {0, 7});
            assertArrayEquals(x.get("x").toFloatArray(), b.test().batch(F, new int[] {0, 7}).get("x").toFloatArray());
            float[] xs = x.get("x").toFloatArray();
            float[] ys = x.get(SineData.Y).toFloatArray();
            for (int i = 0; i < 2; i++) {
                assertTrue(xs[i] >= -3 && xs[i] <= 3, "x in [-3, 3]: " + xs[i]);
                assertEquals(Math.sin(xs[i]), ys[i], 5 * SineData.NOISE, "y = sin(x) + noise");
            }
        }
        var e = assertThrows(IllegalArgumentException.class, () -> family.data("moons", 1));
        assertTrue(e.getMessage().contains("'moons'") && e.getMessage().contains("sine"), e.getMessage());
    }

    @Test
    void theObjectiveTrainerFitsTheCurve() {
        DataSplits data = family.data(SineData.NAME, 1);
        try (FamilyModel model = build(Map.of("hidden", "16", "layers", "2"))) {
            double before = model.evaluate(data.test(), 256).headline().value();
            Map<String, Object> settings = new LinkedHashMap<>(Map.of("lr", 0.01, "batchSize", 64));
            Map<String, Object> parts = new HashMap<>(model.trainingParts(new TrainingRequest(model.defaultTrainer(), data, F,
                    settings, role -> Optional.empty(), line -> { })));
            TrainingReport r = Trainers.create(model.defaultTrainer(), settings).train(new TrainingPlan(parts, 15, 2, Map.of()));
            assertEquals(15 * 32, r.steps());
            model.eval();
            Evaluation e = model.evaluate(data.test(), 256);
            assertEquals("mse", e.headline().key());
            assertEquals(Math.sqrt(e.metrics().get(0).value()), e.metrics().get(1).value(), 1e-12, "rmse");
            assertTrue(before > 0.2 && e.headline().value() < 0.05,
                    "test MSE " + before + " -> " + e.headline().value() + " (noise variance " + SineData.NOISE * SineData.NOISE + ")");
            Samples.Points curve = (Samples.Points) model.sample(7, new Generator(1));
            assertEquals(List.of("x", "prediction"), curve.columns());
            assertEquals(-3f, curve.values()[0]);
            assertEquals(0f, curve.values()[6]);
            assertEquals(0, curve.values()[7], 0.15, "the fit is near sin(0) = 0");
            assertTrue(model.scatter(data.test(), 100, new Generator(1)).isPresent());
        }
    }

    @Test
    void badNamesKeysAndTrainersAreRefusedByName() {
        var key = assertThrows(IllegalArgumentException.class, () -> build(Map.of("hiden", "3")));
        assertTrue(key.getMessage().contains("'hiden'") && key.getMessage().contains("hidden"), key.getMessage());
        var act = assertThrows(IllegalArgumentException.class, () -> build(Map.of("activation", "swish")));
        assertTrue(act.getMessage().contains("'swish'") && act.getMessage().contains("tanh"), act.getMessage());
        try (FamilyModel model = build(Map.of())) {
            var trainer = assertThrows(IllegalArgumentException.class, () -> model.trainingParts(new TrainingRequest("mle",
                    family.data(SineData.NAME, 1), F, new HashMap<>(), role -> Optional.empty(), line -> { })));
            assertTrue(trainer.getMessage().contains("'objective'") && trainer.getMessage().contains("'mle'"),
                    trainer.getMessage());
        }
    }
}
