package dev.nabla.models.flows;

import dev.nabla.api.Nabla;
import dev.nabla.api.spi.FlowProvider;
import dev.nabla.api.spi.TrainerProvider;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.Trainer;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.ToyDatasets;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.optim.CountingKernels;
import dev.nabla.models.spi.Trainers;
import dev.nabla.models.train.LoopTrainer;
import dev.nabla.models.train.MetricsHistory;
import dev.nabla.models.train.StopAt;
import dev.nabla.models.train.TrainingListener;
import dev.nabla.models.train.TrainingLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flows trained the way the launcher will train them: the {@code mle} and {@code distill}
 * trainers found through {@link ServiceLoader}, models built by name from configuration maps, on the
 * reference and native backends; determinism and mid-epoch resume of a flow with ActNorm.
 */
class FlowTrainersTest {
    @TempDir
    Path dir;

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Records the loss of the first step (the untrained model's NLL on its first batch). */
    private static final class FirstLoss implements TrainingListener {
        double value = Double.NaN;

        @Override
        public void onStep(long step, double loss) {
            if (step == 1) {
                value = loss;
            }
        }
    }

    @Test
    void theProvidersAreFoundByServiceLoader() {
        assertTrue(StreamSupport.stream(ServiceLoader.load(TrainerProvider.class).spliterator(), false)
                .anyMatch(p -> p.names().containsAll(java.util.Set.of("mle", "distill"))), "a TrainerProvider of mle and distill");
        assertTrue(StreamSupport.stream(ServiceLoader.load(FlowProvider.class).spliterator(), false)
                .anyMatch(p -> p.names().containsAll(java.util.Set.of("realnvp", "maf", "iaf"))), "a FlowProvider of the flows");
    }

    /**
     * A RealNVP built by name and trained by the {@code mle} trainer (found through the ServiceLoader)
     * on two moons for 300 steps: the validation NLL the report gives is well below the untrained
     * model's NLL, near the moons' entropy (about 2.3 nats), and the validations recorded on the way fell.
     */
    @Test
    void realNvpTrainedByTheMleTrainerImprovesItsValidationLikelihood() {
        TensorFactory f = TensorFactory.on(Nabla.backend("reference"));
        DataSplits moons = ToyDatasets.splits("moons", 3);
        try (TransformedDistribution flow = Flows.model("realnvp", f, new Generator(4),
                map("dim", 2, "blocks", 4, "hidden", 32))) {
            Trainer mle = Trainers.create("mle", map("lr", 3e-3, "batchSize", 128, "maxSteps", 300, "validateEvery", 100));
            FirstLoss first = new FirstLoss();
            MetricsHistory history = new MetricsHistory();
            TrainingReport r = mle.train(new TrainingPlan(Map.of("model", flow, "data", moons,
                    "listeners", java.util.List.of(first, history)), 10, 5, Map.of()));
            assertEquals(300, r.steps());
            assertEquals(0.0, r.metrics().get("stopped_early"));
            double val = r.metrics().get("val_loss");
            assertEquals(3, history.validationLosses().size());
            assertEquals(val, history.validationLosses().get(2));
            assertTrue(val < first.value - 0.4 && val < 2.75 && val > 2.0,
                    "validation NLL " + val + " vs untrained " + first.value + "; history " + history.validationLosses());
            assertTrue(history.validationLosses().get(2) < history.validationLosses().get(0),
                    "validations: " + history.validationLosses());
        }
    }

    /**
     * A MAF teacher trained briefly by {@code mle}, then an IAF student trained by {@code distill}
     * (both trainers from the ServiceLoader): the KL estimate of the run's report is far below the one
     * the same validation gives the untrained student, and the teacher's parameters did not move.
     */
    @Test
    void iafStudentDistilledFromAMafTeacherThroughTheDistillTrainer() {
        TensorFactory f = TensorFactory.on(Nabla.backend("reference"));
        DataSplits moons = ToyDatasets.splits("moons", 2000, 500, 500, 6);
        Map<String, Object> cfg = map("dim", 2, "blocks", 2, "hidden", 32);
        try (TransformedDistribution teacher = Flows.model("maf", f, new Generator(7), cfg);
             TransformedDistribution student = Flows.model("iaf", f, new Generator(8), cfg)) {
            Trainers.create("mle", map("lr", 3e-3, "batchSize", 100, "maxSteps", 200))
                    .train(new TrainingPlan(Map.of("model", teacher, "data", moons), 10, 1, Map.of()));
            double[] teacherBefore = values(teacher.namedParameters());
            Trainer distill = Trainers.create("distill", map("lr", 3e-3, "batchSize", 128, "stepsPerEpoch", 200,
                    "validationSamples", 1024));
            TrainingLoop loop = assertInstanceOf(LoopTrainer.class, distill).prepare(
                    new TrainingPlan(Map.of("student", student, "teacher", teacher), 1, 2, Map.of()));
            double before = loop.validate();
            TrainingReport r = loop.run();
            double after = r.metrics().get("val_loss");
            assertEquals(200, r.steps());
            assertTrue(after < before / 3 && after < 0.5 && after > -0.05,
                    "KL(student||teacher) estimate " + before + " -> " + after);
            assertArrayEquals(teacherBefore, values(teacher.namedParameters()), "the teacher is frozen");
        }
    }

    private static double[] values(Map<String, Tensor> tensors) {
        return tensors.values().stream().flatMapToDouble(t -> Arrays.stream(t.toDoubleArray())).toArray();
    }

    /**
     * Trains a small RealNVP with ActNorm (data-dependent initialisation on the first batch) by the
     * {@code mle} trainer, 3 epochs of 8 shuffled batches, on {@code backend}; returns its state
     * (parameters and buffers) after the run. {@code extra} adds trainer settings (checkpoint, resume).
     */
    private static double[] trainRealNvp(String backend, long seed, Map<String, Object> extra, TrainingListener listener) {
        TensorFactory f = TensorFactory.on(Nabla.backend(backend));
        DataSplits moons = ToyDatasets.splits("moons", 512, 128, 16, 9);
        try (TransformedDistribution flow = Flows.model("realnvp", f, new Generator(10),
                map("dim", 2, "blocks", 2, "hidden", 16, "actnorm", true))) {
            Map<String, Object> s = map("lr", 5e-3, "batchSize", 64, "schedule", "cosine", "clipNorm", 10.0);
            s.putAll(extra);
            Map<String, Object> parts = new HashMap<>(Map.of("model", flow, "data", moons));
            if (listener != null) {
                parts.put("listeners", listener);
            }
            TrainingReport r = Trainers.create("mle", s).train(new TrainingPlan(parts, 3, seed, Map.of()));
            assertTrue(Double.isFinite(r.metrics().get("train_loss")), r.toString());
            return values(flow.state());
        }
    }

    /** Two full runs with the same seed give bit-identical parameters and buffers; another seed does not. */
    @ParameterizedTest
    @ValueSource(strings = {"reference", "native"})
    void twoFlowTrainingRunsWithTheSameSeedAreBitIdentical(String backend) {
        double[] a = trainRealNvp(backend, 21, Map.of(), null);
        double[] b = trainRealNvp(backend, 21, Map.of(), null);
        double[] c = trainRealNvp(backend, 22, Map.of(), null);
        assertArrayEquals(a, b, backend);
        assertFalse(Arrays.equals(a, c), backend + ": another seed shuffles differently");
    }

    /**
     * Stopped at step 11 (mid-epoch 2 of 3), checkpointed and resumed in a fresh model and optimizer,
     * the flow ends bit-identical to an uninterrupted run, ActNorm's flag and all.
     */
    @ParameterizedTest
    @ValueSource(strings = {"reference", "native"})
    void aFlowStoppedMidEpochAndResumedEndsBitIdentical(String backend) {
        double[] uninterrupted = trainRealNvp(backend, 31, Map.of(), null);
        Path ckpt = dir.resolve(backend + ".safetensors");
        trainRealNvp(backend, 31, Map.of("checkpoint", ckpt.toString()), new StopAt(11));
        try (Checkpoint c = Checkpoint.load(ckpt, TensorFactory.on(Nabla.backend(backend)))) {
            assertEquals(11, c.step());
            assertEquals(3, c.stepInEpoch());
            assertTrue(c.model().keySet().stream().anyMatch(k -> k.endsWith("initialized")), "ActNorm's flag: "
                    + c.model().keySet());
        }
        double[] resumed = trainRealNvp(backend, 31, Map.of("resume", ckpt.toString()), null);
        assertArrayEquals(uninterrupted, resumed, backend + ": resumed at step 11");
    }

    /**
     * The trainers give the flows the library's {@code Adam}, and its steps over a whole flow's
     * parameters allocate no storage on the backend (counted by a wrapping backend).
     */
    @Test
    void theFlowsOptimizerIsTheAllocationFreeAdam() {
        TensorFactory f = TensorFactory.on(Nabla.backend("reference"));
        try (TransformedDistribution flow = Flows.model("maf", f, new Generator(1), map("dim", 2, "blocks", 1, "hidden", 8))) {
            TrainingLoop loop = ((LoopTrainer) Trainers.create("mle", map("maxSteps", 1))).prepare(new TrainingPlan(
                    Map.of("model", flow, "data", ToyDatasets.splits("moons", 64, 16, 16, 1)), 1, 1, Map.of()));
            assertEquals(Adam.class, loop.optimizer().getClass());
        }
        CountingKernels[] counter = new CountingKernels[1];
        TensorFactory counting = TensorFactory.on(CountingKernels.backend(counter));
        try (TransformedDistribution flow = Flows.model("realnvp", counting, new Generator(1),
                map("dim", 2, "blocks", 2, "hidden", 8));
             Adam adam = new Adam(flow.namedParameters(), 1e-3)) {
            try (Scope s = Scope.open()) {
                flow.logProb(counting.randn(new Generator(2), 16, 2)).mean().neg().backward();
            }
            long before = counter[0].allocations.get();
            for (int i = 0; i < 3; i++) {
                adam.step();
            }
            assertEquals(before, counter[0].allocations.get(), "Adam steps over " + flow.namedParameters().size()
                    + " flow parameters allocated " + (counter[0].allocations.get() - before) + " storages");
        }
    }

    /** Configuration maps as the CLI will pass them (strings included) are validated with messages naming the key. */
    @Test
    void flowModelConfigurationsAreValidatedWithClearErrors() {
        TensorFactory f = TensorFactory.on(Nabla.backend("reference"));
        try (TransformedDistribution ok = Flows.model("RealNVP", f, new Generator(1),
                map("dim", "2", "blocks", "3", "hidden", "8", "activation", "tanh"))) {
            assertEquals(2, ok.sample(5, new Generator(2)).dim(1));
        }
        Map<Map<String, Object>, String> bad = new LinkedHashMap<>();
        bad.put(map("blocks", 2), "'dim' is required");
        bad.put(map("dim", 2, "hiden", 8), "unknown config key 'hiden'");
        bad.put(map("dim", 2, "blocks", "four"), "'blocks' must be an integer");
        bad.put(map("dim", 2, "hidden", 2.5), "'hidden' must be an integer");
        bad.put(map("dim", 2, "blocks", 0), "'blocks' must be a positive integer");
        bad.put(map("dim", 2, "hidden", 0), "'hidden' must be a positive integer");
        bad.put(map("dim", 2, "layers", -1), "'layers' must be a positive integer");
        bad.put(map("dim", 2, "actnorm", "yes"), "'actnorm' must be true or false");
        bad.put(map("dim", 2, "dtype", "float16x"), "'dtype'");
        bad.put(map("dim", 2, "activation", "swishy"), "swishy");
        bad.put(map("dim", 1), "dim >= 2");
        java.util.List<String> wrong = new java.util.ArrayList<>();
        bad.forEach((cfg, expected) -> {
            var e = assertThrows(IllegalArgumentException.class, () -> Flows.model("realnvp", f, new Generator(1), cfg).close(),
                    cfg.toString());
            if (!(e.getMessage().contains(expected) && e.getMessage().startsWith("realnvp"))) {
                wrong.add(cfg + " -> " + e.getMessage());
            }
        });
        assertTrue(wrong.isEmpty(), "messages that do not name the model and the key: " + wrong);
    }
}
