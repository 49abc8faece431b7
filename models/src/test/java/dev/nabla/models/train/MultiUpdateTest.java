package dev.nabla.models.train;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.api.types.NablaException;
import dev.nabla.api.types.Shape;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.data.ArrayDataset;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.MLP;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.optim.LrSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several updates per step: a tiny GAN on 1-D Gaussian data, the discriminator stepped twice per
 * generator step by two Adam optimizers, stopped mid-run and resumed bit-exactly (parameters and both
 * optimizers' states) on the reference and native backends; named loss parts reach the listeners; the
 * cadence, the per-update guards and the checkpoint layout of several optimizers.
 */
class MultiUpdateTest {
    @TempDir
    Path dir;

    /** A generator {@code z [n, 1] → x [n, 1]} and a discriminator {@code x → logit}, one block so one state. */
    static final class Gan extends Block {
        final MLP generator;
        final MLP discriminator;

        Gan(TensorFactory f, long seed) {
            Generator g = new Generator(seed);
            generator = child("generator", new MLP(f, g, new int[] {1, 8, 1}, "tanh"));
            discriminator = child("discriminator", new MLP(f, g, new int[] {1, 8, 1}, "tanh"));
        }

        /** Non-saturating GAN losses with logits: D minimises softplus(−D(x)) + softplus(D(G(z))). */
        Loss discriminatorLoss(Batch batch, Generator random) {
            Tensor real = batch.get(Dataset.X);
            Tensor fake = generator.forward(real.factory().randn(random, batch.size(), 1));
            Tensor dReal = discriminator.forward(real);
            Tensor dFake = discriminator.forward(fake);
            Tensor loss = dReal.neg().softplus().mean().add(dFake.softplus().mean());
            return Loss.of(loss).with("d_loss", loss).with("d_real", dReal.sigmoid().mean())
                    .with("d_fake", dFake.sigmoid().mean());
        }

        /** G minimises softplus(−D(G(z))). */
        Loss generatorLoss(Batch batch, Generator random) {
            Tensor fake = generator.forward(generator.namedParameters().values().iterator().next().factory()
                    .randn(random, batch.size(), 1));
            Tensor loss = discriminator.forward(fake).neg().softplus().mean();
            return Loss.of(loss).with("g_loss", loss);
        }
    }

    /** 256 draws of N(2, 0.5²). */
    static ArrayDataset gaussian(long seed) {
        Generator g = new Generator(seed);
        float[] v = new float[256];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (2 + 0.5 * g.nextGaussian());
        }
        return new ArrayDataset(v, Shape.of(1), null);
    }

    /** The run: D every step, G every second step (k = 2), 32 examples a step, 8 steps an epoch. */
    private static TrainingLoop loop(Gan gan, Path checkpoint, int epochs) {
        Update d = Update.of("discriminator", new Adam(gan.discriminator.namedParameters(), 2e-3), gan::discriminatorLoss);
        Update g = Update.of("generator", new Adam(gan.generator.namedParameters(), 1e-3), gan::generatorLoss).every(2)
                .schedule(LrSchedule.cosine(1e-3, 20, 1e-4));
        return new TrainingLoop(new BlockTrainable(gan, gaussian(5), null), List.of(d, g),
                new TrainingOptions().epochs(epochs).batchSize(32).seed(17).checkpoint(checkpoint));
    }

    private static Map<String, float[]> everything(Checkpoint c) {
        Map<String, float[]> m = new java.util.TreeMap<>();
        c.model().forEach((k, v) -> m.put("model." + k, v.toFloatArray()));
        c.optimizers().forEach((u, o) -> o.state().forEach((k, v) -> m.put(u + "." + k, v.toFloatArray())));
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "native"})
    void aGanStoppedMidRunResumesBitExactly(String backend) {
        TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend(backend));
        Path whole = dir.resolve("whole.safetensors");
        Path parts = dir.resolve("parts.safetensors");
        MetricsHistory history = new MetricsHistory();
        try (Gan gan = new Gan(f, 3)) {
            TrainingLoop l = loop(gan, whole, 3);
            l.addListener(history);
            TrainingReport r = l.run();
            assertEquals(24, r.steps());
            assertEquals(24, l.updates().get(0).optimizer().steps(), "the discriminator steps every step");
            assertEquals(12, l.updates().get(1).optimizer().steps(), "the generator every second step");
        }
        // the parts reach the listeners: D's in every step, G's in every second one
        assertEquals(24, history.stepParts().size());
        for (int s = 1; s <= 24; s++) {
            Map<String, Double> p = history.stepParts().get(s - 1);
            assertTrue(p.keySet().containsAll(List.of("d_loss", "d_real", "d_fake", "discriminator")), p.toString());
            assertEquals(s % 2 == 0, p.containsKey("g_loss") && p.containsKey("generator"), "step " + s + ": " + p);
            assertEquals(history.stepLosses().get(s - 1), p.get("d_loss"), "the step's loss is the first update's");
            double dReal = p.get("d_real");
            assertTrue(dReal > 0 && dReal < 1, "a probability: " + dReal);
        }
        assertTrue(history.epochs().getFirst().containsKey("lr_generator"), history.epochs().getFirst().toString());

        try (Gan gan = new Gan(f, 3)) {   // stopped after step 11 (mid-epoch 2, between two generator steps)
            TrainingLoop l = loop(gan, parts, 3);
            l.addListener(new StopAt(11));
            assertEquals(11, l.run().steps());
        }
        try (Checkpoint c = Checkpoint.load(parts, f)) {
            assertEquals(List.of("discriminator", "generator"), List.copyOf(c.optimizers().keySet()));
            assertEquals(11, c.optimizers().get("discriminator").steps());
            assertEquals(5, c.optimizers().get("generator").steps());
            assertEquals(3, c.stepInEpoch());
            var e = assertThrows(IllegalStateException.class, c::optimizerState);
            assertTrue(e.getMessage().contains("optimizers()"), e.getMessage());
        }
        try (Gan gan = new Gan(f, 99)) {   // other initial values: the checkpoint must overwrite them all
            TrainingLoop l = loop(gan, parts, 3);
            l.resumeFrom(parts);
            assertEquals(24, l.run().steps());
        }
        try (Checkpoint a = Checkpoint.load(whole, f); Checkpoint b = Checkpoint.load(parts, f)) {
            Map<String, float[]> x = everything(a);
            Map<String, float[]> y = everything(b);
            assertEquals(x.keySet(), y.keySet());
            assertTrue(x.keySet().stream().anyMatch(k -> k.startsWith("generator.") && k.endsWith("exp_avg_sq")), x.keySet().toString());
            x.forEach((k, v) -> assertArrayEquals(v, y.get(k), backend + ": " + k));
            assertEquals(a.optimizers().get("generator").steps(), b.optimizers().get("generator").steps());
            assertEquals(a.rng().keySet(), b.rng().keySet());
            a.rng().forEach((k, v) -> assertArrayEquals(v, b.rng().get(k), k));
        }
    }

    @Test
    void aResumeNeedsTheSameUpdates() {
        TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));
        Path ckpt = dir.resolve("gan.safetensors");
        try (Gan gan = new Gan(f, 3)) {
            TrainingLoop l = loop(gan, ckpt, 1);
            l.run();
        }
        try (Gan gan = new Gan(f, 3)) {
            TrainingLoop onlyD = new TrainingLoop(new BlockTrainable(gan, gaussian(5), null),
                    List.of(Update.of("discriminator", new Adam(gan.discriminator.namedParameters(), 2e-3),
                            gan::discriminatorLoss)), new TrainingOptions().batchSize(32));
            var e = assertThrows(IllegalArgumentException.class, () -> onlyD.resumeFrom(ckpt));
            assertTrue(e.getMessage().contains("[discriminator, generator]") && e.getMessage().contains("[discriminator]"),
                    e.getMessage());
        }
    }

    @Test
    void repeatRunsAnUpdateSeveralTimesOnTheSameBatchAndTheGuardsNameTheUpdate() {
        TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));
        try (Gan gan = new Gan(f, 3)) {
            List<int[]> seen = new ArrayList<>();
            UpdateLoss recordingD = (batch, random) -> {
                seen.add(batch.indices());
                return gan.discriminatorLoss(batch, random);
            };
            Update d = Update.of("discriminator", new Adam(gan.discriminator.namedParameters(), 1e-3), recordingD).repeat(3);
            Update g = Update.of("generator", new Adam(gan.generator.namedParameters(), 1e-3), gan::generatorLoss);
            TrainingLoop l = new TrainingLoop(new BlockTrainable(gan, gaussian(5), null), List.of(d, g),
                    new TrainingOptions().epochs(1).batchSize(64).seed(1));
            l.run();
            assertEquals(12, seen.size(), "4 steps, 3 discriminator runs each");
            assertEquals(12, d.optimizer().steps());
            assertEquals(4, g.optimizer().steps());
            for (int s = 0; s < 4; s++) {
                assertArrayEquals(seen.get(3 * s), seen.get(3 * s + 2), "the repeats see the step's batch");
            }
        }
        try (Gan gan = new Gan(f, 3)) {
            Update d = Update.of("discriminator", new Adam(gan.discriminator.namedParameters(), 1e-3), gan::discriminatorLoss);
            Update g = Update.of("generator", new Adam(gan.generator.namedParameters(), 1e-3),
                    (b, r) -> Loss.of(gan.generatorLoss(b, r).value().mul(Double.NaN))).every(2);
            TrainingLoop l = new TrainingLoop(new BlockTrainable(gan, gaussian(5), null), List.of(d, g),
                    new TrainingOptions().epochs(1).batchSize(64));
            var e = assertThrows(NablaException.class, l::run);
            assertTrue(e.getMessage().contains("step 2") && e.getMessage().contains("update 'generator'")
                    && e.getMessage().contains("NaN"), e.getMessage());
            assertEquals(2, d.optimizer().steps(), "the discriminator stepped in steps 1 and 2");
            assertEquals(0, g.optimizer().steps(), "the generator's optimizer never stepped");
        }
    }

    @Test
    void updatesAreCheckedWhenTheLoopIsBuilt() {
        TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));
        try (Gan gan = new Gan(f, 3)) {
            BlockTrainable t = new BlockTrainable(gan, gaussian(5), null);
            Update d = Update.of("d", new Adam(gan.discriminator.namedParameters(), 1e-3), gan::discriminatorLoss);
            var twice = assertThrows(IllegalArgumentException.class,
                    () -> new TrainingLoop(t, List.of(d, d), new TrainingOptions()));
            assertTrue(twice.getMessage().contains("two updates are named 'd'"), twice.getMessage());
            var first = assertThrows(IllegalArgumentException.class,
                    () -> new TrainingLoop(t, List.of(d.every(2)), new TrainingOptions()));
            assertTrue(first.getMessage().contains("every = 1"), first.getMessage());
            var name = assertThrows(IllegalArgumentException.class,
                    () -> Update.of("d.x", new Adam(gan.discriminator.namedParameters(), 1e-3), gan::discriminatorLoss));
            assertTrue(name.getMessage().contains("'d.x'"), name.getMessage());
            var every = assertThrows(IllegalArgumentException.class, () -> d.every(0));
            assertTrue(every.getMessage().contains("every and repeat must be >= 1"), every.getMessage());
        }
    }
}
