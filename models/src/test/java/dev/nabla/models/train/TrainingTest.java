package dev.nabla.models.train;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.Trainer;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.api.types.NablaException;
import dev.nabla.api.types.Shape;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.flows.density.MleObjective;
import dev.nabla.models.data.ArrayDataset;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.flows.density.DensityModel;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.optim.LrSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingTest {
    /** The backend of each test; the determinism and resume tests set it per run (reference, native). */
    private TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    private void on(String backend) {
        f = TensorFactory.on(dev.nabla.api.Nabla.backend(backend));
    }

    @TempDir
    Path dir;

    /** n points from N((1, -2), diag(0.5, 2)²). */
    private static ArrayDataset points(int n, long seed) {
        Generator g = new Generator(seed);
        float[] v = new float[2 * n];
        for (int i = 0; i < n; i++) {
            v[2 * i] = (float) (1 + 0.5 * g.nextGaussian());
            v[2 * i + 1] = (float) (-2 + 2 * g.nextGaussian());
        }
        return new ArrayDataset(v, Shape.of(2), null);
    }

    private static DataSplits splits() {
        return new DataSplits(points(100, 1), points(40, 2), points(10, 3));
    }

    private DiagonalGaussian model() {
        return new DiagonalGaussian(f, new float[] {0, 0}, new float[] {0, 0});
    }

    /** Found through the ServiceLoader, as the launcher will. */
    private static Trainer trainer(String name, Map<String, Object> settings) {
        return dev.nabla.models.spi.Trainers.create(name, settings);
    }

    private static Map<String, Object> settings(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void mleThroughTheServiceLoaderFitsTheDataMeanAndSpread() {
        DataSplits data = splits();
        double[] mean = new double[2];
        double[] var = new double[2];
        float[] v = ((ArrayDataset) data.train()).values();
        for (int i = 0; i < 100; i++) {
            mean[0] += v[2 * i] / 100.0;
            mean[1] += v[2 * i + 1] / 100.0;
        }
        for (int i = 0; i < 100; i++) {
            var[0] += Math.pow(v[2 * i] - mean[0], 2) / 100;
            var[1] += Math.pow(v[2 * i + 1] - mean[1], 2) / 100;
        }
        try (DiagonalGaussian m = model()) {
            MetricsHistory history = new MetricsHistory();
            TrainingReport r = trainer("mle", settings("lr", 0.05, "batchSize", 20)).train(new TrainingPlan(
                    Map.of("model", m, "data", data, "listeners", history), 60, 7, Map.of()));
            assertEquals(60 * 5, r.steps());
            assertEquals(60, r.epochs());
            double[] mu = m.mean().toDoubleArray();
            double[] sd = m.logStd().exp().toDoubleArray();
            assertEquals(mean[0], mu[0], 0.05);
            assertEquals(mean[1], mu[1], 0.1);
            assertEquals(Math.sqrt(var[0]), sd[0], 0.05);
            assertEquals(Math.sqrt(var[1]), sd[1], 0.1);
            assertEquals(60, history.validationLosses().size());
            assertTrue(history.validationLosses().get(59) < history.validationLosses().get(0) - 1,
                    "validation NLL fell: " + history.validationLosses().get(0) + " -> " + history.validationLosses().get(59));
            assertEquals(r.metrics().get("val_loss"), history.validationLosses().get(59));
        }
    }

    private double[] runMle(long seed, int epochs, Map<String, Object> extra, Path resume) {
        try (DiagonalGaussian m = model()) {
            Map<String, Object> s = settings("lr", 0.05, "batchSize", 16, "schedule", "cosine", "warmupSteps", 5,
                    "clipNorm", 5.0);
            s.putAll(extra);
            if (resume != null) {
                s.put("resume", resume.toString());
            }
            trainer("mle", s).train(new TrainingPlan(Map.of("model", m, "data", splits()), epochs, seed, Map.of()));
            double[] out = new double[4];
            System.arraycopy(m.mean().toDoubleArray(), 0, out, 0, 2);
            System.arraycopy(m.logStd().toDoubleArray(), 0, out, 2, 2);
            return out;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "native"})
    void theSameSeedGivesBitIdenticalParameters(String backend) {
        on(backend);
        double[] a = runMle(11, 3, Map.of(), null);
        double[] b = runMle(11, 3, Map.of(), null);
        double[] c = runMle(12, 3, Map.of(), null);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c), "another seed shuffles differently");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "native"})
    void stoppedAndResumedMidEpochIsBitIdenticalToAnUninterruptedRun(String backend) {
        on(backend);
        double[] uninterrupted = runMle(5, 4, Map.of(), null);
        Path ckpt = dir.resolve("run.safetensors");
        for (long stopAt : new long[] {10, 14}) {   // 7 steps per epoch: 10 is mid-epoch 2, 14 the end of epoch 2
            try (DiagonalGaussian m = model()) {
                TrainingReport r = trainer("mle", settings("lr", 0.05, "batchSize", 16, "schedule", "cosine",
                        "warmupSteps", 5, "clipNorm", 5.0, "checkpoint", ckpt.toString()))
                        .train(new TrainingPlan(Map.of("model", m, "data", splits(), "listeners", new StopAt(stopAt)),
                                4, 5, Map.of()));
                assertEquals(stopAt, r.steps());
                assertEquals(1.0, r.metrics().get("stopped_early"));
            }
            try (Checkpoint c = Checkpoint.load(ckpt, f)) {
                assertEquals(stopAt, c.step());
                assertEquals("adam", c.optimizerName());
                assertEquals(List.of("mean.exp_avg", "log_std.exp_avg", "mean.exp_avg_sq", "log_std.exp_avg_sq"),
                        List.copyOf(c.optimizerState().keySet()));
                assertEquals(stopAt == 10 ? 3 : 0, c.stepInEpoch());
            }
            assertTrue(Files.exists(Checkpoint.jsonSibling(ckpt)));
            double[] resumed = runMle(5, 4, Map.of(), ckpt);
            assertArrayEquals(uninterrupted, resumed, backend + ": resumed at step " + stopAt);
        }
    }

    /** A Gaussian whose per-sample log-densities pass through dropout: its training draws random numbers. */
    private static final class DropoutGaussian extends dev.nabla.models.nn.Block implements DensityModel {
        private final DiagonalGaussian g;
        private final dev.nabla.models.nn.Dropout drop;

        DropoutGaussian(TensorFactory f) {
            g = child("g", new DiagonalGaussian(f, new float[] {0, 0}, new float[] {0, 0}));
            drop = child("drop", new dev.nabla.models.nn.Dropout(0.3, new Generator(77)));
        }

        @Override
        public Tensor logProb(Tensor x) {
            return drop.forward(g.logProb(x));
        }
    }

    private double[] runDropout(Map<String, Object> extra, TrainingListener listener) {
        try (DropoutGaussian m = new DropoutGaussian(f)) {
            Map<String, Object> s = settings("lr", 0.05, "batchSize", 16);
            s.putAll(extra);
            Map<String, Object> parts = new HashMap<>(Map.of("model", m, "data", splits()));
            if (listener != null) {
                parts.put("listeners", listener);
            }
            trainer("mle", s).train(new TrainingPlan(parts, 3, 9, Map.of()));
            return m.namedParameters().values().stream().flatMapToDouble(t -> java.util.Arrays.stream(t.toDoubleArray()))
                    .toArray();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "native"})
    void resumeRestoresTheModelsOwnGeneratorsToo(String backend) {
        on(backend);
        double[] uninterrupted = runDropout(Map.of(), null);
        Path ckpt = dir.resolve("dropout.safetensors");
        runDropout(Map.of("checkpoint", ckpt.toString()), new StopAt(9));
        try (Checkpoint c = Checkpoint.load(ckpt, f)) {
            assertTrue(c.rng().containsKey("model.drop"), "rng: " + c.rng().keySet());
        }
        assertArrayEquals(uninterrupted, runDropout(Map.of("resume", ckpt.toString()), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "native"})
    void distillationResumesExactlyFromTheSamplingGeneratorState(String backend) {
        on(backend);
        Path ckpt = dir.resolve("distill.safetensors");
        double[][] out = new double[2][];
        for (int run = 0; run < 2; run++) {
            try (DiagonalGaussian teacher = new DiagonalGaussian(f, new float[] {2, -1}, new float[] {0.3f, -0.4f});
                 DiagonalGaussian student = model()) {
                Map<String, Object> s = settings("lr", 0.05, "batchSize", 32, "stepsPerEpoch", 10, "validationSamples", 0);
                Map<String, Object> parts = new HashMap<>(Map.of("student", student, "teacher", teacher));
                if (run == 1) {
                    s.put("checkpoint", ckpt.toString());
                    parts.put("listeners", new StopAt(13));
                    trainer("distill", s).train(new TrainingPlan(parts, 3, 4, Map.of()));
                    s.remove("checkpoint");
                    s.put("resume", ckpt.toString());
                    parts.remove("listeners");
                }
                trainer("distill", s).train(new TrainingPlan(parts, 3, 4, Map.of()));
                out[run] = student.mean().toDoubleArray();
            }
        }
        assertArrayEquals(out[0], out[1]);
    }

    /** Wraps a model and poisons its log-density from call {@code badCall} on. */
    private record Poisoned(DensityModel inner, int badCall, int[] calls) implements DensityModel {
        @Override
        public Tensor logProb(Tensor x) {
            calls[0]++;
            Tensor lp = inner.logProb(x);
            return calls[0] >= badCall ? lp.mul(Double.NaN) : lp;
        }

        @Override
        public Map<String, Tensor> namedParameters() {
            return inner.namedParameters();
        }
    }

    @Test
    void aNanLossStopsWithTheStepAndLeavesTheLastCheckpointIntact() throws Exception {
        Path ckpt = dir.resolve("nan.safetensors");
        try (DiagonalGaussian m = model()) {
            // validation off, so every logProb call is a training step: step 3 is poisoned
            DensityModel poisoned = new Poisoned(m, 3, new int[1]);
            var ex = assertThrows(NablaException.class, () -> trainer("mle",
                    settings("lr", 0.05, "batchSize", 16, "checkpoint", ckpt.toString(), "checkpointEvery", 1))
                    .train(new TrainingPlan(Map.of("model", poisoned, "data", points(100, 1)), 2, 1, Map.of())));
            assertTrue(ex.getMessage().contains("step 3") && ex.getMessage().contains("NaN"), ex.getMessage());
            assertTrue(ex.getMessage().contains("was not overwritten"), ex.getMessage());
            try (Checkpoint c = Checkpoint.load(ckpt, f)) {
                assertEquals(2, c.step());
                assertArrayEquals(m.mean().toFloatArray(), c.model().get("mean").toFloatArray(),
                        "the parameters are those after step 2, as the checkpoint");
            }
        }
    }

    /** From call {@code badCall} on, adds {@code sqrt(0 · mean)}: the loss stays finite, the gradient is NaN. */
    private record NanGradient(DiagonalGaussian inner, int badCall, int[] calls) implements DensityModel {
        @Override
        public Tensor logProb(Tensor x) {
            calls[0]++;
            Tensor lp = inner.logProb(x);
            return calls[0] >= badCall ? lp.add(inner.mean().mul(0).sqrt().sum()) : lp;
        }

        @Override
        public Map<String, Tensor> namedParameters() {
            return inner.namedParameters();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "clipValue", "clipNorm"})
    void aNonFiniteGradientStopsBeforeTheUpdateWhateverTheClipping(String clipping) throws Exception {
        Path ckpt = dir.resolve("nangrad.safetensors");
        try (DiagonalGaussian m = model()) {
            Map<String, Object> s = settings("lr", 0.05, "batchSize", 16, "checkpoint", ckpt.toString(), "checkpointEvery", 1);
            if (!clipping.equals("none")) {
                s.put(clipping, 1.0);
            }
            var ex = assertThrows(NablaException.class, () -> trainer("mle", s)
                    .train(new TrainingPlan(Map.of("model", new NanGradient(m, 3, new int[1]), "data", points(100, 1)),
                            2, 1, Map.of())));
            assertTrue(ex.getMessage().contains("step 3") && ex.getMessage().contains("gradient norm is NaN"),
                    ex.getMessage());
            try (Checkpoint c = Checkpoint.load(ckpt, f)) {
                assertEquals(2, c.step());
                assertArrayEquals(c.model().get("mean").toFloatArray(), m.mean().toFloatArray(),
                        "the parameters are those after step 2, as the checkpoint");
                assertArrayEquals(c.model().get("log_std").toFloatArray(), m.logStd().toFloatArray());
            }
        }
    }

    @Test
    void aStopRequestFromAnotherThreadWaitsForTheFinalCheckpoint() throws Exception {
        Path ckpt = dir.resolve("hook.safetensors");
        try (DiagonalGaussian m = model()) {
            TrainingLoop loop = new TrainingLoop(new MleObjective(m, points(64, 1), null), new Adam(m.namedParameters(), 0.01),
                    new TrainingOptions().epochs(100_000).batchSize(8).checkpoint(ckpt).checkpointEvery(1_000_000));
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            loop.addListener(new TrainingListener() {
                @Override
                public void onStep(long step, double loss) {
                    started.countDown();
                }
            });
            TrainingReport[] report = new TrainingReport[1];
            Thread t = new Thread(() -> report[0] = loop.run());
            t.start();
            started.await();
            assertTrue(loop.requestStopAndWait(java.time.Duration.ofSeconds(60)), "the loop stopped in time");
            t.join();
            assertEquals(1.0, report[0].metrics().get("stopped_early"));
            try (Checkpoint c = Checkpoint.load(ckpt, f)) {
                assertEquals(report[0].steps(), c.step(), "the final checkpoint is the stopping step");
            }
        }
    }

    @Test
    void aCheckpointOfNonFiniteParametersIsRefusedAndTheOldOneKept() throws Exception {
        Path ckpt = dir.resolve("finite.safetensors");
        try (DiagonalGaussian m = model()) {
            TrainingLoop loop = new TrainingLoop(new MleObjective(m, points(16, 1), null), new Adam(m.namedParameters(), 0.01),
                    new TrainingOptions().epochs(1).batchSize(8).checkpoint(ckpt));
            loop.run();
            byte[] good = Files.readAllBytes(ckpt);
            try (dev.nabla.api.tensor.Scope s = dev.nabla.api.tensor.Scope.open()) {
                m.logStd().assign(f.of(new float[] {0, Float.POSITIVE_INFINITY}, 2));
            }
            var ex = assertThrows(NablaException.class, () -> loop.saveCheckpoint(ckpt));
            assertTrue(ex.getMessage().contains("model tensor 'log_std' holds NaN or infinite values"), ex.getMessage());
            assertArrayEquals(good, Files.readAllBytes(ckpt));
        }
    }

    @Test
    void validationEveryNStepsAndProgressLines() {
        try (DiagonalGaussian m = model()) {
            MetricsHistory history = new MetricsHistory();
            List<String> lines = new java.util.ArrayList<>();
            TrainingReport r = trainer("mle", settings("batchSize", 20, "validateEvery", 2)).train(new TrainingPlan(
                    Map.of("model", m, "data", splits(), "listeners", List.of(history, new ProgressPrinter(2, lines::add))),
                    2, 1, Map.of()));
            assertEquals(10, r.steps());
            assertEquals(5, history.validationLosses().size(), "steps 2, 4, 6, 8, 10");
            assertEquals(10, history.stepLosses().size());
            assertEquals(2, history.epochs().size());
            assertTrue(lines.get(0).startsWith("step 2  loss "), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("epoch 1  lr ") && l.contains("train_loss")
                    && l.contains("val_loss")), lines.toString());
        }
    }

    @Test
    void earlyStoppingCountsValidationsWithoutImprovement() {
        EarlyStopping e = new EarlyStopping(2, 0.1);
        e.onValidation(1, 1, 5.0);
        e.onValidation(2, 1, 4.95);   // not better by 0.1
        assertFalse(e.shouldStop());
        e.onValidation(3, 1, 4.0);
        e.onValidation(4, 1, 4.0);
        assertFalse(e.shouldStop());
        e.onValidation(5, 1, 4.5);
        assertTrue(e.shouldStop());
        assertEquals(4.0, e.best());
        assertEquals(3, e.bestStep());
        // and it ends a run: lr 0 means no improvement after the first validation
        try (DiagonalGaussian m = model()) {
            TrainingLoop loop = new TrainingLoop(new MleObjective(m, points(32, 1), points(8, 2)),
                    new Adam(m.namedParameters(), 0.01),
                    new TrainingOptions().epochs(50).batchSize(8).schedule(LrSchedule.constant(0)));
            loop.addListener(new EarlyStopping(3, 0));
            TrainingReport r = loop.run();
            assertEquals(4, r.epochs(), "1 validation sets the best, 3 more without improvement stop");
            assertEquals(1.0, r.metrics().get("stopped_early"));
        }
    }

    @Test
    void anInfiniteValidationLossIsReportedButNeitherStoredNorAnImprovement() throws Exception {
        Path ckpt = dir.resolve("infval.safetensors");
        // a validation point at 1e30: its squared distance overflows float32, so the validation loss is +∞
        ArrayDataset far = new ArrayDataset(new float[] {1e30f, 0}, Shape.of(2), null);
        try (DiagonalGaussian m = model()) {
            TrainingLoop loop = new TrainingLoop(new MleObjective(m, points(32, 1), far), new Adam(m.namedParameters(), 0.01),
                    new TrainingOptions().epochs(5).batchSize(8).checkpoint(ckpt));
            EarlyStopping early = new EarlyStopping(2, 0);
            loop.addListener(early);
            TrainingReport r = loop.run();
            assertEquals(Double.POSITIVE_INFINITY, r.metrics().get("val_loss"));
            assertNull(r.metrics().get("best_val_loss"));
            assertEquals(2, r.epochs(), "two validations without improvement stop the run");
            assertEquals(Double.POSITIVE_INFINITY, early.best());
            try (Checkpoint c = Checkpoint.load(ckpt, f)) {
                assertEquals(r.steps(), c.step());
                assertFalse(c.extra().containsKey("val_loss"), "extra: " + c.extra());
            }
        }
    }

    @Test
    void resumeComparesTheHyperParametersOtherThanTheLearningRate() {
        Path ckpt = dir.resolve("hyper.safetensors");
        try (DiagonalGaussian m = model()) {
            new TrainingLoop(new MleObjective(m, points(32, 1), null),
                    new dev.nabla.models.optim.SGD(m.namedParameters(), 0.01, 0.9, 0, false),
                    new TrainingOptions().epochs(1).batchSize(8).checkpoint(ckpt)).run();
        }
        try (DiagonalGaussian m = model()) {
            float[] before = m.mean().toFloatArray();
            TrainingLoop plain = new TrainingLoop(new MleObjective(m, points(32, 1), null),
                    new dev.nabla.models.optim.SGD(m.namedParameters(), 0.5), new TrainingOptions().epochs(2).batchSize(8));
            var ex = assertThrows(IllegalArgumentException.class, () -> plain.resumeFrom(ckpt));
            assertTrue(ex.getMessage().contains("momentum = 0.9") && ex.getMessage().contains("momentum = 0.0"),
                    ex.getMessage());
            assertArrayEquals(before, m.mean().toFloatArray(), "nothing restored");
            // another learning rate alone is fine: schedules change it
            TrainingLoop same = new TrainingLoop(new MleObjective(m, points(32, 1), null),
                    new dev.nabla.models.optim.SGD(m.namedParameters(), 0.5, 0.9, 0, false),
                    new TrainingOptions().epochs(2).batchSize(8));
            same.resumeFrom(ckpt);
            assertEquals(4, same.step());
        }
    }

    /** A run with early stopping (4 steps per epoch; only the first validation counts as an improvement). */
    private TrainingReport runWithPatience(DiagonalGaussian m, Path checkpoint, Path resume, TrainingListener extra) {
        TrainingLoop loop = new TrainingLoop(new MleObjective(m, points(32, 1), points(8, 2)),
                new Adam(m.namedParameters(), 0.05),
                new TrainingOptions().epochs(50).batchSize(8).seed(3).checkpoint(checkpoint));
        if (extra != null) {
            loop.addListener(extra);
        }
        loop.addListener(new EarlyStopping(3, 1e9));
        if (resume != null) {
            loop.resumeFrom(resume);
        }
        return loop.run();
    }

    @Test
    void aRunWithEarlyStoppingStoppedAndResumedStopsWhereAnUninterruptedOneDoes() {
        Path ckpt = dir.resolve("patience.safetensors");
        TrainingReport uninterrupted;
        double[] expected;
        try (DiagonalGaussian m = model()) {
            uninterrupted = runWithPatience(m, null, null, null);
            expected = m.namedParameters().values().stream()
                    .flatMapToDouble(t -> java.util.Arrays.stream(t.toDoubleArray())).toArray();
        }
        assertEquals(16, uninterrupted.steps(), "1 validation sets the best, 3 more without improvement stop");
        try (DiagonalGaussian m = model()) {
            runWithPatience(m, ckpt, null, new StopAt(10));   // mid-epoch 3, after 2 validations
        }
        try (DiagonalGaussian m = model()) {
            TrainingReport resumed = runWithPatience(m, null, ckpt, null);
            assertEquals(uninterrupted.steps(), resumed.steps());
            assertEquals(uninterrupted.metrics(), resumed.metrics(), "val_loss, best_val_loss, train_loss");
            assertArrayEquals(expected, m.namedParameters().values().stream()
                    .flatMapToDouble(t -> java.util.Arrays.stream(t.toDoubleArray())).toArray());
        }
    }

    @Test
    void aRunThatFinishesWritesAFinalCheckpointWhateverCheckpointEvery() {
        Path ckpt = dir.resolve("final.safetensors");
        try (DiagonalGaussian m = model()) {
            // 4 steps per epoch, 3 epochs: checkpoints every 5 steps are at 5 and 10, the run ends at 12
            TrainingReport r = new TrainingLoop(new MleObjective(m, points(32, 1), null), new Adam(m.namedParameters(), 0.01),
                    new TrainingOptions().epochs(3).batchSize(8).checkpoint(ckpt).checkpointEvery(5)).run();
            assertEquals(12, r.steps());
            try (Checkpoint c = Checkpoint.load(ckpt, f)) {
                assertEquals(12, c.step());
                assertEquals(3, c.epoch());
                assertArrayEquals(m.mean().toFloatArray(), c.model().get("mean").toFloatArray());
            }
        }
    }

    @Test
    void distillationMovesTheStudentOntoAFrozenTeacher() {
        try (DiagonalGaussian teacher = new DiagonalGaussian(f, new float[] {2, -1}, new float[] {0.3f, -0.4f});
             DiagonalGaussian student = model()) {
            float[] teacherBefore = teacher.mean().toFloatArray();
            TrainingReport r = trainer("distill", settings("lr", 0.05, "batchSize", 64, "stepsPerEpoch", 50,
                    "validationSamples", 512)).train(new TrainingPlan(Map.of("student", student, "teacher", teacher),
                    6, 3, Map.of()));
            assertEquals(300, r.steps());
            assertArrayEquals(new double[] {2, -1}, student.mean().toDoubleArray(), 0.1);
            assertArrayEquals(new double[] {0.3, -0.4}, student.logStd().toDoubleArray(), 0.1);
            assertTrue(r.metrics().get("val_loss") < 0.02, "KL estimate near 0: " + r.metrics());
            assertArrayEquals(teacherBefore, teacher.mean().toFloatArray(), "the teacher is not updated");
            assertNull(teacher.mean().grad(), "no gradient accumulated in the teacher");
            assertTrue(teacher.mean().requiresGrad(), "the teacher's requiresGrad is restored");
        }
    }

    @Test
    void settingsAndPartsAreValidatedWithClearMessages() {
        var ex = assertThrows(IllegalArgumentException.class, () -> trainer("mle", settings("learningRate", 0.1)));
        assertTrue(ex.getMessage().contains("unknown setting 'learningRate'") && ex.getMessage().contains("lr"),
                ex.getMessage());
        try (DiagonalGaussian m = model()) {
            ex = assertThrows(IllegalArgumentException.class, () -> trainer("mle", Map.of())
                    .train(new TrainingPlan(Map.of("model", m), 1, 1, Map.of())));
            assertTrue(ex.getMessage().contains("part 'data'"), ex.getMessage());
            ex = assertThrows(IllegalArgumentException.class, () -> trainer("mle", settings("optimizer", "adam",
                    "momentum", 0.9)).train(new TrainingPlan(Map.of("model", m, "data", splits()), 1, 1, Map.of())));
            assertTrue(ex.getMessage().contains("unknown setting 'momentum'"), ex.getMessage());
            ex = assertThrows(IllegalArgumentException.class, () -> trainer("distill", Map.of())
                    .train(new TrainingPlan(Map.of("student", m, "teacher", model()), 1, 1, new HashMap<>())));
            assertTrue(ex.getMessage().contains("'stepsPerEpoch' is required"), ex.getMessage());
        }
    }
    /** Records the example indices of every batch the loop asks for. */
    private static final class RecordingMle implements Objective {
        private final MleObjective inner;
        final List<List<Integer>> batches = new java.util.ArrayList<>();

        RecordingMle(MleObjective inner) {
            this.inner = inner;
        }

        @Override
        public int trainingSize() {
            return inner.trainingSize();
        }

        @Override
        public Tensor loss(int[] batch, int batchSize, Generator random) {
            batches.add(java.util.Arrays.stream(batch).boxed().toList());
            return inner.loss(batch, batchSize, random);
        }

        @Override
        public Map<String, Tensor> parameters() {
            return inner.parameters();
        }
    }

    /**
     * {@code shuffle(false)} walks the examples in index order every epoch, the last batch short (the
     * order {@code scripts/compare-flows-torch.py} replays); {@code maxSteps} ends the run inside an
     * epoch as a normal end with a checkpoint, and a resume with a higher limit continues the same order.
     */
    @Test
    void unshuffledBatchesAndAStepLimit() {
        Path ckpt = dir.resolve("limit.safetensors");
        List<List<Integer>> expected = List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9),
                List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9), List.of(0, 1, 2, 3));
        try (DiagonalGaussian m = model()) {
            RecordingMle obj = new RecordingMle(new MleObjective(m, points(10, 1), null));
            TrainingReport r = new TrainingLoop(obj, new Adam(m.namedParameters(), 0.01), new TrainingOptions()
                    .epochs(10).batchSize(4).shuffle(false).maxSteps(5).checkpoint(ckpt)).run();
            assertEquals(5, r.steps());
            assertEquals(1, r.epochs());
            assertEquals(0.0, r.metrics().get("stopped_early"), "reaching maxSteps is not an early stop");
            assertEquals(expected.subList(0, 5), obj.batches);
            try (Checkpoint c = Checkpoint.load(ckpt, f)) {
                assertEquals(5, c.step());
                assertEquals(2, c.stepInEpoch());
            }
            RecordingMle more = new RecordingMle(new MleObjective(m, points(10, 1), null));
            TrainingLoop resumed = new TrainingLoop(more, new Adam(m.namedParameters(), 0.01), new TrainingOptions()
                    .epochs(10).batchSize(4).shuffle(false).maxSteps(7));
            resumed.resumeFrom(ckpt);
            assertEquals(7, resumed.run().steps());
            assertEquals(expected.subList(5, 7), more.batches);
        }
        var ex = assertThrows(IllegalArgumentException.class, () -> new TrainingOptions().maxSteps(-1));
        assertTrue(ex.getMessage().contains("maxSteps"), ex.getMessage());
    }

    /**
     * When {@code maxSteps} ends a run inside an epoch, the report's {@code train_loss} is the mean over
     * the steps of that partial epoch, not the previous complete epoch's; after a complete epoch it is
     * that epoch's mean.
     */
    @Test
    void trainLossDescribesThePartialEpochAStepLimitEndsIn() {
        for (int maxSteps : new int[] {5, 6}) {
            try (DiagonalGaussian m = model()) {
                List<Double> losses = new java.util.ArrayList<>();
                TrainingLoop loop = new TrainingLoop(new MleObjective(m, points(10, 1), null),
                        new Adam(m.namedParameters(), 0.01),
                        new TrainingOptions().epochs(10).batchSize(4).shuffle(false).maxSteps(maxSteps));
                loop.addListener(new TrainingListener() {
                    @Override
                    public void onStep(long step, double loss) {
                        losses.add(loss);
                    }
                });
                TrainingReport r = loop.run();
                assertEquals(maxSteps, losses.size());
                double sum = 0;
                for (double l : losses.subList(3, maxSteps)) {
                    sum += l;
                }
                assertEquals(sum / (maxSteps - 3), r.metrics().get("train_loss"), 0.0,
                        "maxSteps " + maxSteps + ": the mean over steps 4.." + maxSteps + " (3 steps per epoch)");
            }
        }
    }
}
