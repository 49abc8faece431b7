package org.example.nabla.plugin;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.NablaException;
import dev.nabla.api.types.Shape;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.train.MetricsHistory;
import dev.nabla.models.train.TrainingListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code sgd_momentum} trainer driven exactly as {@code nabla train} drives it (parts {@code parameters},
 * {@code logProb}, {@code trainData}, {@code validationData}, {@code listeners}), on a learnable diagonal
 * Gaussian written here against the api: it reaches the maximum-likelihood fit, its steps follow the documented
 * update equations, it is deterministic for a seed, it stops on a NaN loss naming the step, it resumes a
 * checkpoint exactly (the model library's loop does it), and it refuses other optimizers' settings.
 */
class MomentumTrainerTest {
    static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));
    static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private Scope scope;

    @TempDir
    Path dir;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** {@code log N(x; μ, diag(σ²))} with learnable {@code μ} and {@code log σ}, starting at 0 (a standard normal). */
    static final class DiagonalGaussian implements AutoCloseable {
        final Tensor mu;
        final Tensor logSigma;

        DiagonalGaussian(int dim) {
            mu = F.zeros(Shape.of(dim), DType.FLOAT64).toParameter();
            logSigma = F.zeros(Shape.of(dim), DType.FLOAT64).toParameter();
        }

        Map<String, Tensor> parameters() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("mu", mu);
            m.put("log_sigma", logSigma);
            return m;
        }

        Tensor logProb(Tensor x) {
            Tensor z = x.sub(mu).mul(logSigma.neg().exp());
            return z.square().mul(-0.5).sub(logSigma).sub(HALF_LOG_2PI).sum(1, false);
        }

        @Override
        public void close() {
            mu.close();
            logSigma.close();
        }
    }

    /** {@code n} rows from N((2, −1), diag(0.5², 2²)). */
    static Tensor data(Generator g, int n) {
        return F.normal(g, 0, 1, Shape.of(n, 2), DType.FLOAT64).mul(F.of(new double[] {0.5, 2.0}, 2))
                .add(F.of(new double[] {2.0, -1.0}, 2));
    }

    static TrainingPlan plan(DiagonalGaussian model, Tensor train, Tensor validation, TrainingListener listener, int epochs,
            long seed, Map<String, Object> settings) {
        Function<Tensor, Tensor> logProb = model::logProb;
        Map<String, Object> parts = new HashMap<>(Map.of("parameters", model.parameters(), "logProb", logProb,
                "trainData", train, "model", "ignored: not a Block"));
        if (validation != null) {
            parts.put("validationData", validation);
        }
        if (listener != null) {
            parts.put("listeners", listener);
        }
        return new TrainingPlan(parts, epochs, seed, settings);
    }

    /** The mean NLL of {@code x} under a diagonal Gaussian with the given parameters, in doubles. */
    static double nll(double[] x, double[] mu, double[] sigma) {
        int n = x.length / 2;
        double s = 0;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < 2; i++) {
                double z = (x[2 * r + i] - mu[i]) / sigma[i];
                s += 0.5 * z * z + Math.log(sigma[i]) + HALF_LOG_2PI;
            }
        }
        return s / n;
    }

    @Test
    void minibatchTrainingReachesTheMaximumLikelihoodFit() {
        Generator g = new Generator(1);
        Tensor train = data(g, 512);
        Tensor validation = data(g, 256);
        double[] xs = train.toDoubleArray();
        double[] mean = new double[2];
        double[] std = new double[2];
        for (int r = 0; r < 512; r++) {
            for (int i = 0; i < 2; i++) {
                mean[i] += xs[2 * r + i] / 512;
            }
        }
        for (int r = 0; r < 512; r++) {
            for (int i = 0; i < 2; i++) {
                std[i] += Math.pow(xs[2 * r + i] - mean[i], 2) / 512;
            }
        }
        std[0] = Math.sqrt(std[0]);
        std[1] = Math.sqrt(std[1]);
        double initialNll = nll(xs, new double[2], new double[] {1, 1});
        double bestValNll = nll(validation.toDoubleArray(), mean, std);
        MetricsHistory history = new MetricsHistory();
        try (DiagonalGaussian model = new DiagonalGaussian(2)) {
            TrainingReport report = new ExampleTrainerProvider().create("sgd_momentum",
                    Map.of("lr", 0.05, "batchSize", 64, "momentum", "0.9")).train(plan(model, train, validation, history,
                    40, 7, Map.of()));
            assertEquals(320, report.steps(), "40 epochs of 512/64 batches");
            assertEquals(40, report.epochs());
            assertEquals(320, history.stepLosses().size(), "the listeners hear every step");
            assertEquals(40, history.validationLosses().size(), "one validation per epoch");
            double lastEpoch = history.stepLosses().subList(312, 320).stream().mapToDouble(Double::doubleValue)
                    .average().orElseThrow();
            assertEquals(lastEpoch, report.metrics().get("train_loss"), 1e-12, "train_loss is the last epoch's mean NLL");
            assertEquals(history.validationLosses().getLast(), report.metrics().get("val_loss"), 0.0);
            assertTrue(initialNll - report.metrics().get("train_loss") > 3.0,
                    "NLL " + initialNll + " -> " + report.metrics().get("train_loss"));
            assertEquals(bestValNll, report.metrics().get("val_loss"), 0.02, "validation NLL vs the MLE fit's");
            assertEquals(nll(validation.toDoubleArray(), model.mu.toDoubleArray(),
                    model.logSigma.exp().toDoubleArray()), report.metrics().get("val_loss"), 1e-12,
                    "val_loss is the mean validation NLL of the final parameters");
            double[] mu = model.mu.toDoubleArray();
            double[] sigma = model.logSigma.exp().toDoubleArray();
            for (int i = 0; i < 2; i++) {
                assertEquals(mean[i], mu[i], 0.1 * std[i], "μ_" + i);
                assertEquals(std[i], sigma[i], 0.1 * std[i], "σ_" + i);
            }
        }
    }

    @ParameterizedTest(name = "nesterov={0}, weightDecay={1}, clipNorm={2}")
    @CsvSource({"false, 0, 0", "true, 0, 0", "false, 0.2, 1.5", "true, 0.2, 1.5"})
    void eachStepFollowsTheUpdateEquations(boolean nesterov, double weightDecay, double clipNorm) {
        // one parameter θ, log p(x) = −(x − θ)², data all ones, one full batch per epoch: L = (1 − θ)², ∇L = −2(1 − θ)
        Tensor theta = F.zeros(Shape.of(1), DType.FLOAT64).toParameter();
        Function<Tensor, Tensor> logProb = x -> x.sub(theta).square().neg().sum(1, false);
        Tensor ones = F.ones(Shape.of(4, 1), DType.FLOAT64);
        MetricsHistory history = new MetricsHistory();
        Map<String, Object> settings = Map.of("lr", "0.1", "batchSize", "4", "momentum", "0.5",
                "nesterov", String.valueOf(nesterov), "weightDecay", String.valueOf(weightDecay),
                "clipNorm", String.valueOf(clipNorm));
        TrainingPlan plan = new TrainingPlan(Map.of("parameters", Map.of("theta", theta), "logProb", logProb,
                "trainData", ones, "listeners", history), 5, 1, settings);
        TrainingReport report = new ExampleTrainerProvider().create("sgd_momentum", Map.of()).train(plan);
        assertEquals(5, report.steps());
        double t = 0;
        double v = 0;
        for (int step = 0; step < 5; step++) {
            assertEquals((1 - t) * (1 - t), history.stepLosses().get(step), 1e-12, "loss of step " + (step + 1));
            double grad = -2 * (1 - t);
            if (clipNorm > 0 && Math.abs(grad) > clipNorm) {
                grad *= clipNorm / (Math.abs(grad) + 1e-6);   // PyTorch's clip_grad_norm_, as the model library's GradClip
            }
            grad += weightDecay * t;
            v = 0.5 * v + grad;
            t -= 0.1 * (nesterov ? grad + 0.5 * v : v);
        }
        assertEquals(t, theta.item(), 1e-12, "θ after 5 steps");
        theta.close();
    }

    @Test
    void theSameSeedGivesBitIdenticalParametersAndAnotherSeedOthers() {
        Tensor train = data(new Generator(4), 300);
        double[][] a = fit(train, 11, Map.of());
        double[][] b = fit(train, 11, Map.of());
        double[][] c = fit(train, 12, Map.of());
        assertArrayEquals(a[0], b[0], 0.0);
        assertArrayEquals(a[1], b[1], 0.0);
        assertFalse(java.util.Arrays.equals(a[0], c[0]), "another seed shuffles differently");
    }

    /** The loop underneath checkpoints the momentum too: 7 + 13 resumed steps end where 20 straight ones do. */
    @Test
    void aCheckpointedRunResumesExactly() {
        Tensor train = data(new Generator(6), 300);
        Path ckpt = dir.resolve("run.safetensors");
        double[][] straight = fit(train, 3, Map.of("maxSteps", 20L));
        fit(train, 3, Map.of("maxSteps", 7L, "checkpoint", ckpt.toString()));
        try (Checkpoint c = Checkpoint.load(ckpt, F)) {
            assertEquals(7, c.step());
            assertEquals("sgd", c.optimizerName());
            assertTrue(c.optimizerState().containsKey("mu.momentum_buffer"), c.optimizerState().keySet().toString());
        }
        double[][] resumed = fit(train, 3, Map.of("maxSteps", 20L, "resume", ckpt.toString()));
        assertArrayEquals(straight[0], resumed[0], 0.0);
        assertArrayEquals(straight[1], resumed[1], 0.0);
    }

    private static double[][] fit(Tensor train, long seed, Map<String, Object> settings) {
        try (DiagonalGaussian model = new DiagonalGaussian(2)) {
            TrainingPlan p = plan(model, train, null, null, 2, seed, settings);
            new ExampleTrainerProvider().create("sgd_momentum", Map.of("batchSize", 32, "nesterov", true)).train(p);
            return new double[][] {model.mu.toDoubleArray(), model.logSigma.toDoubleArray()};
        }
    }

    @Test
    void aNonFiniteLossStopsTrainingNamingTheStepAndLeavesTheParameters() {
        double[] rows = new double[40];
        rows[2 * 13] = Double.NaN;   // one bad row, in some batch of the first epoch
        Tensor train = F.of(rows, 20, 2);
        try (DiagonalGaussian model = new DiagonalGaussian(2)) {
            MetricsHistory history = new MetricsHistory();
            NablaException e = assertThrows(NablaException.class, () -> new ExampleTrainerProvider()
                    .create("sgd_momentum", Map.of("batchSize", 4)).train(plan(model, train, null, history, 1, 5, Map.of())));
            long bad = history.stepLosses().size() + 1;
            assertTrue(e.getMessage().contains("step " + bad) && e.getMessage().contains("NaN"), e.getMessage());
            for (double v : model.mu.toDoubleArray()) {
                assertTrue(Double.isFinite(v), "parameters keep the last good values");
            }
        }
    }

    @Test
    void refusesBadPartsAndOtherOptimizersSettings() {
        Tensor train = data(new Generator(5), 8);
        var beta = assertThrows(IllegalArgumentException.class,
                () -> new ExampleTrainerProvider().create("sgd_momentum", Map.of("beta1", 0.9)));
        assertTrue(beta.getMessage().contains("unknown setting 'beta1'") && beta.getMessage().contains("momentum"),
                beta.getMessage());
        try (DiagonalGaussian model = new DiagonalGaussian(2)) {
            var trainer = new ExampleTrainerProvider().create("sgd_momentum", Map.of());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> trainer.train(plan(model, train, null, null, 1, 1, Map.of("optimizer", "adam"))));
            assertTrue(e.getMessage().contains("unknown setting 'optimizer'"), e.getMessage());
            Function<Tensor, Tensor> wrong = x -> x.sum();
            e = assertThrows(IllegalArgumentException.class, () -> trainer.train(new TrainingPlan(Map.of("parameters",
                    model.parameters(), "logProb", wrong, "trainData", train), 1, 1, Map.of())));
            assertTrue(e.getMessage().contains("[batch]"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> trainer.train(new TrainingPlan(Map.of("parameters",
                    model.parameters(), "trainData", train), 1, 1, Map.of())));
            assertTrue(e.getMessage().contains("'logProb'"), e.getMessage());
        }
    }
}
