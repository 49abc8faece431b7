package dev.nabla.models.fewshot;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;
import dev.nabla.models.data.ArrayDataset;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.train.Objective;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny SNAIL trained on synthetic episodes (no Fashion-MNIST files needed): ten classes of 28×28
 * images, each a random 7×7 binary pattern blown up to 28×28 plus Gaussian noise; it trains on 3-way
 * 1-shot episodes of classes 0–5 (the split of {@link FewShotData}) and is scored on 300 episodes of the
 * unseen classes 6–9, where chance is 1/3. Its training loss sits at chance (ln 3) for about 300 steps,
 * then falls to about 0.3; measured: 50.7 % held out (the nearest class mean on its embedding: 88.7 %) —
 * six training classes teach it those classes better than comparison.
 */
class SnailLearnsTest {
    private static final int STEPS = Integer.getInteger("snail.steps", 500);
    /** {@code perClass} noisy images of each of {@code classes} random patterns. */
    static ArrayDataset synthetic(int classes, int perClass, long seed) {
        Generator g = new Generator(seed);
        float[][] pattern = new float[classes][49];
        for (float[] p : pattern) {
            for (int i = 0; i < 49; i++) {
                p[i] = g.nextDouble() < 0.5 ? 1f : 0f;
            }
        }
        int n = classes * perClass;
        float[] v = new float[n * 784];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            l[i] = c;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    v[i * 784 + y * 28 + x] = pattern[c][(y / 4) * 7 + x / 4] + (float) (0.5 * g.nextGaussian());
                }
            }
        }
        return new ArrayDataset(v, Shape.of(784), l);
    }

    @Test
    void aTinySnailLearnsHeldOutClassesAboveChance() {
        TensorFactory f = TensorFactory.on(Nabla.backend());
        ArrayDataset all = synthetic(10, 30, 11);
        Episodes train = FewShotData.episodes(FewShotData.only(all, FewShotData.TRAIN_CLASSES));
        ArrayDataset heldOut = FewShotData.only(all, FewShotData.HELD_OUT_CLASSES);
        try (SnailModel model = new SnailModel(new Snail(f, new Generator(12), 3, 1, 4, 8, 8), 1000, "synthetic")) {
            Objective objective = model.objective(train, null);
            Adam adam = new Adam(objective.parameters(), Double.parseDouble(System.getProperty("snail.lr", "2e-3")));
            Generator random = new Generator(13);
            double first = Double.NaN;
            double last = 0;
            for (int step = 0; step < STEPS; step++) {
                double loss;
                try (Scope s = Scope.open()) {
                    adam.zeroGrad();
                    Tensor l = objective.loss(null, 16, random);
                    l.backward();
                    adam.step();
                    loss = l.item();
                }
                if (step == 0) {
                    first = loss;
                }
                if (step >= STEPS - 20) {
                    last += loss / 20;
                }
            }
            assertTrue(last < first, "loss " + first + " -> " + last);
            Evaluation e = model.evaluate(heldOut, 100, 300);
            Map<String, Double> m = new java.util.HashMap<>();
            e.metrics().forEach(x -> m.put(x.key(), x.value()));
            assertEquals(100.0 / 3, m.get("chance"), 1e-9);
            assertTrue(m.get("accuracy_1shot") > 45, e.summary());   // chance 33.3 ± 2.7 (one sd over 300 episodes)
            assertTrue(m.get("accuracy_1shot_ci95") > 0 && m.get("accuracy_1shot_ci95") < 6, e.summary());
            assertTrue(m.get("nn_cosine_1shot") > 45, e.summary());
            List<String> lines = model.describe(FewShotData.episodes(heldOut), 2, new Generator(14));
            assertEquals(2, lines.size());
            assertTrue(lines.getFirst().startsWith("3-way 1-shot episode, labels: 0=") && lines.getFirst().contains("SNAIL says"),
                    lines.getFirst());
        }
    }
}
