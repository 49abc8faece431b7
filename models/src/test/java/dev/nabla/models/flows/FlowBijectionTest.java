package dev.nabla.models.flows;

import dev.nabla.api.Nabla;
import dev.nabla.api.flow.Flow;
import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.tck.FlowChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every flow, in float64 with perturbed (non-trivial) parameters: {@code inverse(forward(x)) ≈ x}, the
 * two log-dets cancel, and each returned log-det equals {@code log|det J|} of a Jacobian computed by
 * central differences.
 */
class FlowBijectionTest {
    static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));
    static final int D = 4;
    static final int BATCH = 5;

    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** Builds the named flow over {@code R^D} in float64 with parameters moved away from their initial values. */
    static Flow build(String name, Generator g) {
        DType dt = DType.FLOAT64;
        int[] random = MADE.order("random", D, g);
        Flow flow = switch (name) {
            case "maf" -> new MaskedAutoregressiveFlow(F, g, random, new int[] {16, 16}, "tanh", dt);
            case "iaf" -> new InverseAutoregressiveFlow(F, g, random, new int[] {16, 16}, "tanh", dt);
            case "coupling-checkerboard" -> new AffineCoupling(F, g, AffineCoupling.mask("checkerboard", D, 1), 16, 2,
                    "tanh", dt);
            case "coupling-half" -> new AffineCoupling(F, g, AffineCoupling.mask("half", D, 0), 16, 2, "relu", dt);
            case "coupling-foreign-net" -> new AffineCoupling(F, AffineCoupling.mask("checkerboard", D, 0), dt,
                    new TwoLayerNet(F.normal(g, 0, 0.5, Shape.of(D, 8), dt), F.normal(g, 0, 0.5, Shape.of(8, 2 * D), dt)));
            case "permute" -> Permute.random(F, g, D, dt);
            case "reverse" -> new Reverse(F, D);
            case "actnorm" -> {
                ActNorm a = new ActNorm(F, D, dt);
                a.forward(F.normal(g, 1.5, 2.0, Shape.of(32, D), dt)); // data-dependent init
                yield a;
            }
            case "batchnorm" -> {
                BatchNormFlow b = new BatchNormFlow(F, D, 0.5, 1e-5, dt);
                for (int i = 0; i < 3; i++) {
                    b.forward(F.normal(g, -0.7, 1.8, Shape.of(16, D), dt)); // running statistics
                }
                b.eval();
                yield b;
            }
            case "sequence" -> new FlowSequence(List.of(build("maf", g), build("actnorm", g), build("permute", g),
                    build("coupling-checkerboard", g), build("batchnorm", g), build("iaf", g), build("reverse", g)));
            default -> throw new IllegalArgumentException(name);
        };
        perturb(flow, g);
        return flow;
    }

    static void perturb(Flow flow, Generator g) {
        try (Scope ignored = Scope.open()) {
            for (Tensor p : flow.namedParameters().values()) {
                p.assign(p.add(F.normal(g, 0, 0.3, p.shape(), p.dtype())));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"maf", "iaf", "coupling-checkerboard", "coupling-half", "coupling-foreign-net", "permute", "reverse", "actnorm",
            "batchnorm", "sequence"})
    void inverseUndoesForwardAndLogDetsCancel(String name) {
        Generator g = new Generator(11);
        try (Flow flow = build(name, g)) {
            Tensor x = F.normal(g, 0, 1.5, Shape.of(BATCH, D), DType.FLOAT64);
            FlowResult fw = flow.forward(x);
            FlowResult back = flow.inverse(fw.value());
            assertClose(x.toDoubleArray(), back.value().toDoubleArray(), 1e-9, name + ": inverse(forward(x))");
            double[] sum = fw.logDet().add(back.logDet()).toDoubleArray();
            assertEquals(BATCH, sum.length);
            for (double s : sum) {
                assertEquals(0.0, s, 1e-9, name + ": forward and inverse log-dets must cancel");
            }
            // and the other way round
            Tensor z = F.normal(g, 0, 1.0, Shape.of(BATCH, D), DType.FLOAT64);
            FlowResult inv = flow.inverse(z);
            assertClose(z.toDoubleArray(), flow.forward(inv.value()).value().toDoubleArray(), 1e-9,
                    name + ": forward(inverse(z))");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"maf", "iaf", "coupling-checkerboard", "coupling-half", "coupling-foreign-net", "permute", "reverse", "actnorm",
            "batchnorm", "sequence"})
    void logDetMatchesNumericalJacobian(String name) {
        Generator g = new Generator(5);
        try (Flow flow = build(name, g)) {
            Tensor x = F.normal(g, 0, 1.2, Shape.of(BATCH, D), DType.FLOAT64);
            double[][][] jf = FlowChecks.jacobian(flow::forward, x);
            double[] ldf = flow.forward(x).logDet().toDoubleArray();
            Tensor z = F.normal(g, 0, 1.0, Shape.of(BATCH, D), DType.FLOAT64);
            double[][][] ji = FlowChecks.jacobian(flow::inverse, z);
            double[] ldi = flow.inverse(z).logDet().toDoubleArray();
            for (int b = 0; b < BATCH; b++) {
                assertEquals(FlowChecks.logAbsDet(jf[b]), ldf[b], 1e-6, name + ": forward log-det, sample " + b);
                assertEquals(FlowChecks.logAbsDet(ji[b]), ldi[b], 1e-6, name + ": inverse log-det, sample " + b);
            }
            if (!name.equals("permute") && !name.equals("reverse")) {
                assertTrue(Math.abs(ldf[0]) > 1e-3, name + ": the test needs a non-trivial log-det, got " + ldf[0]);
            }
        }
    }

    static void assertClose(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol, what + " at " + i);
        }
    }

    /**
     * A conditioner that is a plain {@link dev.nabla.api.nn.Layer}, not a model-library block (as a
     * plugin's would be): {@code tanh(x W1) W2}.
     */
    static final class TwoLayerNet implements dev.nabla.api.nn.Layer {
        private final Tensor w1;
        private final Tensor w2;

        TwoLayerNet(Tensor w1, Tensor w2) {
            this.w1 = w1.toParameter();
            this.w2 = w2.toParameter();
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.matmul(w1).tanh().matmul(w2);
        }

        @Override
        public java.util.Map<String, Tensor> namedParameters() {
            java.util.Map<String, Tensor> m = new java.util.LinkedHashMap<>();
            m.put("w1", w1);
            m.put("w2", w2);
            return m;
        }
    }
}
