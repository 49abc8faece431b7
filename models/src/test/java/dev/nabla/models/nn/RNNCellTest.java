package dev.nabla.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.GradCheck.Input;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The vanilla RNN cell against float64 values computed by hand, its gradients against finite
 * differences over a few steps, its PyTorch names, layouts and initialisation, the generic state
 * helpers of {@link RecurrentCell}, and its errors.
 */
class RNNCellTest {
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));

    // weight_ih [2, 3], weight_hh [2, 2], biases [2]
    private static final double[] W_IH = {0.5, -0.25, 1.0, -1.5, 0.75, 0.125};
    private static final double[] W_HH = {0.2, -0.4, 0.6, 0.1};
    private static final double[] B_IH = {0.05, -0.1};
    private static final double[] B_HH = {-0.2, 0.3};
    private static final double[] X = {1, 2, -1, 0.5, -0.5, 2};   // [2, 3]
    private static final double[] H = {0.3, -0.7, -0.1, 0.9};     // [2, 2]

    private RNNCell cell(RNNCell.Nonlinearity act) {
        return new RNNCell(f.of(W_IH, 2, 3), f.of(W_HH, 2, 2), f.of(B_IH, 2), f.of(B_HH, 2), act);
    }

    @Test
    void oneStepIsTanhOfTheTwoAffineMapsComputedByHand() {
        try (RNNCell c = cell(RNNCell.Nonlinearity.TANH)) {
            Tensor h1 = c.step(f.of(X, 2, 3), f.of(H, 2, 2));
            // row 0: x·W_ihᵀ = (0.5 - 0.5 - 1, -1.5 + 1.5 - 0.125) = (-1, -0.125)
            //        h·W_hhᵀ = (0.06 + 0.28, 0.18 - 0.07)        = (0.34, 0.11)
            //        + b_ih + b_hh = (-0.15, 0.2)               → (-0.81, 0.185)
            // row 1: x·W_ihᵀ = (0.25 + 0.125 + 2, -0.75 - 0.375 + 0.25) = (2.375, -0.875)
            //        h·W_hhᵀ = (-0.02 - 0.36, -0.06 + 0.09)         = (-0.38, 0.03)
            //        + (-0.15, 0.2)                                 → (1.845, -0.645)
            double[] expected = {Math.tanh(-0.81), Math.tanh(0.185), Math.tanh(1.845), Math.tanh(-0.645)};
            assertEquals(Shape.of(2, 2), h1.shape());
            assertEquals(DType.FLOAT64, h1.dtype());
            assertArrayEquals(expected, h1.toDoubleArray(), 1e-15);
            assertSame(h1, c.output(h1));
        }
    }

    @Test
    void reluCellAndACellWithoutBiases() {
        try (RNNCell c = cell(RNNCell.Nonlinearity.RELU)) {
            assertArrayEquals(new double[] {0, 0.185, 1.845, 0}, c.step(f.of(X, 2, 3), f.of(H, 2, 2)).toDoubleArray(),
                    1e-15);
        }
        try (RNNCell c = new RNNCell(f.of(W_IH, 2, 3), f.of(W_HH, 2, 2), null, null, RNNCell.Nonlinearity.TANH)) {
            assertEquals(List.of("weight_ih", "weight_hh"), List.copyOf(c.namedParameters().keySet()));
            // row 0 without biases: (-1 + 0.34, -0.125 + 0.11)
            double[] h1 = c.step(f.of(X, 2, 3), f.of(H, 2, 2)).toDoubleArray();
            assertEquals(Math.tanh(-0.66), h1[0], 1e-15);
            assertEquals(Math.tanh(-0.015), h1[1], 1e-15);
        }
    }

    private static double[] sequence() {
        double[] xs = new double[3 * 2 * 3];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = Math.sin(1.7 * i + 0.3);
        }
        return xs;
    }

    private static final double[] READOUT = {0.7, -1.1, 0.4, 0.9};

    /** {@code Σ h_3 · R} after three steps from {@code h}. */
    private Tensor threeSteps(RNNCell c, Tensor xs, Tensor h) {
        for (int t = 0; t < 3; t++) {
            h = c.step(xs.select(0, t), h);
        }
        return h.mul(f.of(READOUT, 2, 2)).sum();
    }

    @Test
    void gradientsThroughThreeStepsMatchFiniteDifferences() {
        for (RNNCell.Nonlinearity act : RNNCell.Nonlinearity.values()) {
            try (RNNCell c = cell(act)) {
                // with respect to the inputs and the initial state
                GradCheck.check(f, List.of(new Input(sequence(), 3, 2, 3), new Input(H, 2, 2)),
                        in -> threeSteps(c, in.get(0), in.get(1)));
                // with respect to every parameter, moved in place
                Tensor xs = f.of(sequence(), 3, 2, 3);
                Tensor h0 = f.of(H, 2, 2);
                List<Tensor> grads = dev.nabla.api.tensor.Autograd.grad(threeSteps(c, xs, h0), c.parameters());
                int k = 0;
                for (var e : c.namedParameters().entrySet()) {
                    Tensor p = e.getValue();
                    double[] base = p.toDoubleArray();
                    double[] analytic = grads.get(k++).toDoubleArray();
                    for (int j = 0; j < base.length; j++) {
                        double[] moved = base.clone();
                        moved[j] += 1e-6;
                        p.assign(f.of(moved, p.shape().dims()));
                        double plus = threeSteps(c, xs, h0).item();
                        moved[j] -= 2e-6;
                        p.assign(f.of(moved, p.shape().dims()));
                        double minus = threeSteps(c, xs, h0).item();
                        p.assign(f.of(base, p.shape().dims()));
                        double numeric = (plus - minus) / 2e-6;
                        assertEquals(numeric, analytic[j], 1e-6 + 1e-5 * Math.abs(numeric),
                                act + " " + e.getKey() + " at " + j);
                    }
                }
            }
        }
    }

    @Test
    void gradientsReachTheCellsOwnParameters() {
        try (RNNCell c = cell(RNNCell.Nonlinearity.TANH)) {
            Tensor loss = c.step(f.of(X, 2, 3), f.of(H, 2, 2)).sum();
            loss.backward();
            for (var e : c.namedParameters().entrySet()) {
                assertTrue(e.getValue().grad() != null, e.getKey() + " has no gradient");
            }
            // ∂/∂b_ih = ∂/∂b_hh = Σ_batch (1 - h'²)
            double[] h1 = c.step(f.of(X, 2, 3), f.of(H, 2, 2)).toDoubleArray();
            double[] db = {2 - h1[0] * h1[0] - h1[2] * h1[2], 2 - h1[1] * h1[1] - h1[3] * h1[3]};
            assertArrayEquals(db, c.namedParameters().get("bias_ih").grad().toDoubleArray(), 1e-14);
            assertArrayEquals(db, c.namedParameters().get("bias_hh").grad().toDoubleArray(), 1e-14);
        }
    }

    @Test
    void pytorchNamesLayoutsAndInitialisation() {
        try (RNNCell c = new RNNCell(f, new Generator(3), 5, 16)) {
            assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), List.copyOf(c.namedParameters().keySet()));
            assertEquals(Shape.of(16, 5), c.namedParameters().get("weight_ih").shape());
            assertEquals(Shape.of(16, 16), c.namedParameters().get("weight_hh").shape());
            assertEquals(Shape.of(16), c.namedParameters().get("bias_hh").shape());
            assertEquals(5, c.inputSize());
            assertEquals(16, c.hiddenSize());
            for (Tensor p : c.parameters()) {
                assertEquals(DType.FLOAT32, p.dtype());
                assertTrue(p.isParameter());
                for (double v : p.toDoubleArray()) {
                    assertTrue(Math.abs(v) <= 0.25, "uniform in ±1/sqrt(16), got " + v);
                }
            }
            Tensor h0 = c.initialState(3);
            assertEquals(Shape.of(3, 16), h0.shape());
            assertEquals(DType.FLOAT32, h0.dtype());
            assertArrayEquals(new double[48], h0.toDoubleArray());
            assertEquals("RNNCell(5, 16, tanh)", c.toString());
        }
        try (RNNCell c = new RNNCell(f, new Generator(3), 2, 3, RNNCell.Nonlinearity.RELU, false, DType.FLOAT64)) {
            assertEquals(2, c.namedParameters().size());
            assertEquals(DType.FLOAT64, c.initialState(1).dtype());
        }
    }

    @Test
    void theGenericStateHelpersDetachKeepAndMask() {
        try (RNNCell c = cell(RNNCell.Nonlinearity.TANH)) {
            RecurrentCell<Tensor> cell = c;
            Tensor x = f.of(X, 2, 3).requiresGrad(true);
            Tensor h0 = f.of(H, 2, 2);
            Tensor h1 = cell.step(x, h0);
            Tensor cut = cell.detach(h1);
            assertTrue(h1.requiresGrad());
            assertFalse(cut.requiresGrad(), "detached for truncated BPTT");
            assertArrayEquals(h1.toDoubleArray(), cut.toDoubleArray());
            // sequence 1 has ended: it keeps its previous state
            Tensor merged = cell.where(f.of(new boolean[] {true, false}, 2), h1, h0);
            double[] m = merged.toDoubleArray();
            double[] a = h1.toDoubleArray();
            assertArrayEquals(new double[] {a[0], a[1], H[2], H[3]}, m);
            Tensor kept;
            try (Scope s = Scope.open()) {
                kept = cell.keep(cell.step(f.of(X, 2, 3), h0));
            }
            assertFalse(kept.isReleased());
            assertEquals(List.of(kept), cell.stateTensors(kept));
            assertThrows(ShapeException.class, () -> cell.where(f.of(new boolean[4], 2, 2), h1, h0));
        }
    }

    @Test
    void errorsNameTheCallAndTheShapes() {
        try (RNNCell c = cell(RNNCell.Nonlinearity.TANH)) {
            ShapeException state = assertThrows(ShapeException.class, () -> c.step(f.of(X, 2, 3), f.zeros(DType.FLOAT64, 3, 2)));
            assertEquals("RNNCell.step: state h must be [2, 2] for input [2, 3], got [3, 2]", state.getMessage());
            ShapeException input = assertThrows(ShapeException.class, () -> c.step(f.zeros(DType.FLOAT64, 2, 4), f.of(H, 2, 2)));
            assertEquals("RNNCell.step: input must be [batch, 3], got [2, 4]", input.getMessage());
            ShapeException vector = assertThrows(ShapeException.class, () -> c.step(f.zeros(DType.FLOAT64, 3), f.of(H, 2, 2)));
            assertTrue(vector.getMessage().startsWith("RNNCell.step: input"), vector.getMessage());
            DTypeException dtype = assertThrows(DTypeException.class, () -> c.step(f.zeros(2, 3), f.zeros(2, 2)));
            assertTrue(dtype.getMessage().startsWith("RNNCell.step:") && dtype.getMessage().contains("float64"),
                    dtype.getMessage());
        }
        ShapeException layout = assertThrows(ShapeException.class,
                () -> new RNNCell(f.of(W_IH, 3, 2), f.of(W_HH, 2, 2), null, null, RNNCell.Nonlinearity.TANH));
        assertTrue(layout.getMessage().contains("weight_hh [hidden, hidden]"), layout.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RNNCell.Nonlinearity.parse("sigmoid"));
        assertThrows(IllegalArgumentException.class, () -> new RNNCell(f, new Generator(1), 0, 3));
    }
}
