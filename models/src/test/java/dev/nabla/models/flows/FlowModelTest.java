package dev.nabla.models.flows;

import dev.nabla.api.Nabla;
import dev.nabla.api.flow.Flow;
import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.FlowProvider;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.models.flows.density.Sample;
import dev.nabla.models.flows.density.DiagonalGaussian;
import dev.nabla.models.nn.Block;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.flows.density.DistillObjective;
import dev.nabla.models.train.TrainingLoop;
import dev.nabla.models.train.TrainingOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static dev.nabla.models.flows.FlowBijectionTest.F;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Models built from flows: sampling, names, ActNorm and BatchNorm behaviour, the provider, distillation. */
class FlowModelTest {
    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"realnvp", "maf", "iaf"})
    void samplingHasTheRightShapeIsSeededAndCarriesItsOwnLogProb(String name) {
        try (TransformedDistribution m = Flows.model(name, F, new Generator(1),
                Map.of("dim", 3, "blocks", 2, "hidden", 16, "dtype", "float64"))) {
            FlowBijectionTest.perturb(m.flows(), new Generator(2));
            m.logProb(F.normal(new Generator(3), 0, 1, Shape.of(32, 3), DType.FLOAT64)); // ActNorm's data-dependent init
            Tensor a = m.sample(7, new Generator(5));
            assertArrayEquals(new int[] {7, 3}, a.shape().dims());
            assertArrayEquals(a.toDoubleArray(), m.sample(7, new Generator(5)).toDoubleArray(), 0.0, "same seed, same samples");
            assertFalse(java.util.Arrays.equals(a.toDoubleArray(), m.sample(7, new Generator(6)).toDoubleArray()));
            Sample s = m.sampleWithLogProb(7, new Generator(5));
            assertArrayEquals(a.toDoubleArray(), s.value().toDoubleArray(), 1e-12);
            assertArrayEquals(m.logProb(s.value()).toDoubleArray(), s.logProb().toDoubleArray(), 1e-9,
                    name + ": the log-prob of a sample must equal logProb(sample)");
        }
    }

    @Test
    void parameterNamesFollowTheStack() {
        try (TransformedDistribution m = Flows.realNvp(F, new Generator(1), 2, 3, 8)) {
            var names = m.namedParameters().keySet();
            assertTrue(names.contains("flows.0.net.0.weight") && names.contains("flows.0.scale")
                    && names.contains("flows.5.log_scale") && names.contains("flows.4.net.4.bias"), names.toString());
            assertTrue(m.namedBuffers().containsKey("flows.1.initialized") && m.namedBuffers().containsKey("flows.2.mask"),
                    m.namedBuffers().keySet().toString());
        }
        try (TransformedDistribution m = Flows.maf(F, new Generator(1), 3, 2, 8)) {
            assertTrue(m.namedParameters().containsKey("flows.2.made.layers.1.weight"), m.namedParameters().keySet().toString());
            assertTrue(m.namedBuffers().containsKey("flows.0.made.layers.0.mask"));
        }
    }

    /** A whole model's state (parameters, masks, ActNorm flags, BatchNorm averages) restores into a fresh copy. */
    @ParameterizedTest
    @ValueSource(strings = {"realnvp", "maf"})
    void aModelRestoredFromItsStateGivesTheSameDensity(String name) {
        Map<String, Object> cfg = Map.of("dim", 3, "blocks", 2, "hidden", 8, "batchnorm", true);
        Tensor x = F.normal(new Generator(7), 0.5, 1.3, Shape.of(16, 3), DType.FLOAT32);
        try (TransformedDistribution a = Flows.model(name, F, new Generator(1), cfg);
             TransformedDistribution b = Flows.model(name, F, new Generator(2), cfg)) {
            a.logProb(x); // initialises ActNorm, moves BatchNorm's running averages
            FlowBijectionTest.perturb(a.flows(), new Generator(3));
            a.eval();
            b.loadState(a.state());
            b.eval();
            assertArrayEquals(a.logProb(x).toFloatArray(), b.logProb(x).toFloatArray(), 0f, name);
            assertArrayEquals(a.sample(4, new Generator(9)).toFloatArray(), b.sample(4, new Generator(9)).toFloatArray(), 0f);
        }
    }

    /** The direct builders check their arguments up front, naming the model and the argument. */
    @Test
    void buildersRefuseBadArgumentsNamingTheModelAndTheArgument() {
        Generator g = new Generator(1);
        Map<String, org.junit.jupiter.api.function.Executable> bad = new java.util.LinkedHashMap<>();
        bad.put("realnvp:hidden", () -> Flows.realNvp(F, g, 2, 2, 0).close());
        bad.put("maf:hidden", () -> Flows.maf(F, g, 2, 2, 0).close());
        bad.put("iaf:hidden", () -> Flows.iaf(F, g, 2, 2, -3).close());
        bad.put("realnvp:layers", () -> Flows.realNvp(F, g, 2, 2, new Flows.Options(8, 0, "relu", DType.FLOAT32,
                true, false)).close());
        bad.put("maf:activation", () -> Flows.maf(F, g, 2, 2, new Flows.Options(8, 2, "swishy", DType.FLOAT32,
                false, false)).close());
        bad.put("iaf:dtype", () -> Flows.iaf(F, g, 2, 2, Flows.Options.defaults(8).withDtype(null)).close());
        bad.put("realnvp:blocks", () -> Flows.realNvp(F, g, 2, 0, 8).close());
        java.util.List<String> wrong = new java.util.ArrayList<>();
        bad.forEach((what, call) -> {
            String model = what.substring(0, what.indexOf(':'));
            String arg = what.substring(what.indexOf(':') + 1);
            var e = assertThrows(IllegalArgumentException.class, call, what);
            if (!(e.getMessage().startsWith(model + ":") && e.getMessage().contains(arg))) {
                wrong.add(what + " -> " + e.getMessage());
            }
        });
        assertTrue(wrong.isEmpty(), "messages that do not name the model and the argument: " + wrong);
    }

    /**
     * A forward pass in evaluation mode (a validation pass before training) must not initialise
     * ActNorm from held-out data: it is the identity until the first training-mode batch initialises it.
     */
    @Test
    void actNormInitialisesOnlyInTrainingModeAndIsTheIdentityBefore() {
        Generator g = new Generator(6);
        try (ActNorm a = new ActNorm(F, 3, DType.FLOAT64)) {
            a.eval();
            Tensor heldOut = F.normal(g, 3.0, 2.0, Shape.of(16, 3), DType.FLOAT64);
            FlowResult r = a.forward(heldOut);
            assertFalse(a.isInitialized(), "an evaluation-mode pass must not initialise");
            assertArrayEquals(heldOut.toDoubleArray(), r.value().toDoubleArray(), 0.0, "identity before initialisation");
            assertArrayEquals(new double[16], r.logDet().toDoubleArray(), 0.0, "log-det 0 before initialisation");
            a.train(true);
            Tensor x = F.normal(g, -1.0, 0.5, Shape.of(64, 3), DType.FLOAT64);
            a.forward(x);
            assertTrue(a.isInitialized(), "the first training-mode batch initialises");
            double[] expected = x.mean(0, false).neg().toDoubleArray();
            assertArrayEquals(expected, a.loc().toDoubleArray(), 1e-12, "initialised from the training batch");
        }
    }

    @Test
    void actNormInitialisesFromTheFirstBatchAndRestoresFromState() {
        Generator g = new Generator(4);
        try (ActNorm a = new ActNorm(F, 3, DType.FLOAT64); ActNorm b = new ActNorm(F, 3, DType.FLOAT64)) {
            assertFalse(a.isInitialized());
            Tensor x = F.normal(g, 3.0, 2.0, Shape.of(64, 3), DType.FLOAT64);
            Tensor z = a.forward(x).value();
            assertTrue(a.isInitialized());
            double[] mean = z.mean(0, false).toDoubleArray();
            double[] var = z.variance(new int[] {0}, 0, false).toDoubleArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(0.0, mean[i], 1e-9, "mean after init");
                assertEquals(1.0, var[i], 1e-5, "variance after init");
            }
            double[] loc = a.loc().toDoubleArray();
            Tensor x2 = F.normal(g, -5.0, 0.1, Shape.of(64, 3), DType.FLOAT64);
            a.forward(x2);
            assertArrayEquals(loc, a.loc().toDoubleArray(), 0.0, "a second batch must not re-initialise");
            b.loadState(a.state());
            assertTrue(b.isInitialized(), "the flag travels with the state");
            assertArrayEquals(a.forward(x2).value().toDoubleArray(), b.forward(x2).value().toDoubleArray(), 0.0);
        }
    }

    @Test
    void batchNormUsesBatchStatisticsInTrainingAndRunningAveragesInEval() {
        Generator g = new Generator(8);
        try (BatchNormFlow bn = new BatchNormFlow(F, 2, 0.1, 1e-5, DType.FLOAT64)) {
            Tensor x = F.normal(g, 2.0, 3.0, Shape.of(128, 2), DType.FLOAT64);
            double[] bm = x.mean(0, false).toDoubleArray();
            double[] bv = x.variance(new int[] {0}, 0, false).toDoubleArray();
            FlowResult train = bn.forward(x);
            double[] zm = train.value().mean(0, false).toDoubleArray();
            double[] zv = train.value().variance(new int[] {0}, 0, false).toDoubleArray();
            double expectLd = 0;
            for (int i = 0; i < 2; i++) {
                assertEquals(0.0, zm[i], 1e-9, "training output is centred on the batch");
                assertEquals(bv[i] / (bv[i] + 1e-5), zv[i], 1e-9, "and scaled by the batch variance");
                assertEquals(0.1 * bm[i], bn.runningMean().toDoubleArray()[i], 1e-12, "running mean update");
                assertEquals(0.9 + 0.1 * bv[i], bn.runningVar().toDoubleArray()[i], 1e-12, "running variance update");
                expectLd += -0.5 * Math.log(bv[i] + 1e-5);
            }
            assertEquals(expectLd, train.logDet().toDoubleArray()[0], 1e-9);
            bn.eval();
            FlowResult eval = bn.forward(x);
            double[] rm = bn.runningMean().toDoubleArray();
            double[] rv = bn.runningVar().toDoubleArray();
            double[] xs = x.toDoubleArray();
            double[] ze = eval.value().toDoubleArray();
            double evalLd = 0;
            for (int i = 0; i < 2; i++) {
                assertEquals((xs[i] - rm[i]) / Math.sqrt(rv[i] + 1e-5), ze[i], 1e-9, "eval uses running averages");
                evalLd += -0.5 * Math.log(rv[i] + 1e-5);
            }
            assertEquals(evalLd, eval.logDet().toDoubleArray()[0], 1e-9);
            assertArrayEquals(rm, bn.runningMean().toDoubleArray(), 0.0, "eval does not update the averages");
            assertArrayEquals(xs, bn.inverse(eval.value()).value().toDoubleArray(), 1e-9);
        }
    }

    @Test
    void providerIsFoundAndBuildsEveryNameWithHelpfulErrors() {
        // the module declares the provider (a ServiceLoader lookup belongs to a module that `uses` it: api, launcher)
        var descriptor = NablaFlowProvider.class.getModule().getDescriptor();
        assertTrue(descriptor != null && descriptor.provides().stream().anyMatch(pr ->
                pr.service().equals(FlowProvider.class.getName())
                        && pr.providers().contains(NablaFlowProvider.class.getName())),
                "module-info must provide FlowProvider with NablaFlowProvider");
        FlowProvider p = new NablaFlowProvider();
        for (String name : p.names()) {
            Map<String, Object> cfg = new HashMap<>(Map.of("dim", 4));
            try (Flow f = p.create(name, new BuildContext(F, new Generator(1), cfg))) {
                Tensor x = F.normal(new Generator(2), 0, 1, Shape.of(5, 4), DType.FLOAT32);
                assertArrayEquals(new int[] {5, 4}, f.forward(x).value().shape().dims(), name);
                assertInstanceOf(Block.class, f);
            }
        }
        var bad = assertThrows(IllegalArgumentException.class, () -> p.create("maf",
                new BuildContext(F, new Generator(1), Map.of("dim", 4, "hiden", 8))));
        assertTrue(bad.getMessage().contains("'hiden'") && bad.getMessage().contains("hidden")
                && bad.getMessage().contains("order"), bad.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> p.create("actnorm",
                new BuildContext(F, new Generator(1), Map.of())));
        assertTrue(missing.getMessage().contains("'dim' is required"), missing.getMessage());
        var order = assertThrows(IllegalArgumentException.class, () -> p.create("iaf",
                new BuildContext(F, new Generator(1), Map.of("dim", 3, "order", "sideways"))));
        assertTrue(order.getMessage().contains("'order'") && order.getMessage().contains("random"), order.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> p.create("glow",
                new BuildContext(F, new Generator(1), Map.of("dim", 3))));
        assertTrue(unknown.getMessage().contains("'glow'") && unknown.getMessage().contains("realnvp"), unknown.getMessage());
        var model = assertThrows(IllegalArgumentException.class, () -> Flows.model("nice", F, new Generator(1), Map.of("dim", 2)));
        assertTrue(model.getMessage().contains("iaf, maf, realnvp"), model.getMessage());
    }

    /**
     * An IAF student distilled from a fixed Gaussian teacher ({@code KL(student‖teacher)} from the
     * student's own samples, {@code DistillObjective} in a {@code TrainingLoop}) ends close to the teacher,
     * the teacher's parameters are not touched, and an optimizer over the teacher is refused.
     */
    @Test
    void densityDistillationFitsTheStudentToTheTeacher() {
        Generator g = new Generator(3);
        try (DiagonalGaussian teacher = new DiagonalGaussian(F, F.of(new float[] {2.0f, -1.0f}, 2),
                F.of(new float[] {0.5f, -0.3f}, 2), true);
             TransformedDistribution student = Flows.iaf(F, g, 2, 2, 16);
             Adam adam = new Adam(student.namedParameters(), 0.01)) {
            DistillObjective kl = new DistillObjective(student, teacher, 2048);
            TrainingLoop loop = new TrainingLoop(kl, adam, new TrainingOptions().batchSize(128).stepsPerEpoch(300)
                    .seed(3));
            double before = loop.validate();
            double after = loop.run().metrics().get("val_loss");
            assertTrue(before > 0.5, "the untrained student should be far from the teacher: " + before);
            assertTrue(after < 0.02, "KL after distillation: " + after + " (before " + before + ")");
            assertArrayEquals(new float[] {2.0f, -1.0f}, teacher.loc().toFloatArray(), 0f, "the teacher stays fixed");
            var ex = assertThrows(IllegalArgumentException.class,
                    () -> new TrainingLoop(kl, new Adam(teacher.namedParameters(), 0.1), new TrainingOptions().stepsPerEpoch(1)));
            assertTrue(ex.getMessage().contains("optimizer's parameters [loc"),
                    ex.getMessage());
        }
    }
}
