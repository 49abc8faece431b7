package org.example.nabla.plugin;

import dev.nabla.api.Nabla;
import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.tck.FlowChecks;
import dev.nabla.api.types.ShapeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sinh-arcsinh flow in float64 on the reference backend, with parameters moved away from the identity:
 * {@code inverse(forward(x)) ≈ x}, the log-dets cancel, each log-det equals {@code log|det J|} of a central-difference
 * Jacobian, and the helper functions are accurate where the textbook formulas are not.
 */
class SinhArcsinhTest {
    static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));
    static final int D = 3;

    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** A flow with ε = (0.4, −0.7, 0.1) and log δ = (−0.5, 0.3, 0.8): skewed, both lighter and heavier tails. */
    static SinhArcsinh perturbed(DType dtype) {
        SinhArcsinh flow = new SinhArcsinh(F, D, dtype);
        flow.epsilon().assign(F.of(new double[] {0.4, -0.7, 0.1}, D).to(dtype));
        flow.logDelta().assign(F.of(new double[] {-0.5, 0.3, 0.8}, D).to(dtype));
        return flow;
    }

    /** Rows that include 0, tiny, moderate and large values of either sign. */
    static Tensor awkwardRows() {
        return F.of(new double[] {
            0.0, 1e-9, -1e-9,
            0.5, -1.3, 2.2,
            -7.0, 12.0, -0.05,
            30.0, -40.0, 3.0}, 4, D);
    }

    @Test
    void startsAsTheIdentity() {
        try (SinhArcsinh flow = new SinhArcsinh(F, D, DType.FLOAT64)) {
            Tensor x = awkwardRows();
            FlowResult r = flow.forward(x);
            assertArrayEquals(x.toDoubleArray(), r.value().toDoubleArray(), 1e-12);
            assertArrayEquals(new double[4], r.logDet().toDoubleArray(), 1e-12);
            assertEquals(List.of("epsilon", "log_delta"), List.copyOf(flow.namedParameters().keySet()));
        }
    }

    @Test
    void forwardMatchesTheFormulaComputedInDoubles() {
        try (SinhArcsinh flow = perturbed(DType.FLOAT64)) {
            double[] eps = {0.4, -0.7, 0.1};
            double[] logDelta = {-0.5, 0.3, 0.8};
            Tensor x = awkwardRows();
            double[] xs = x.toDoubleArray();
            FlowResult r = flow.forward(x);
            double[] z = r.value().toDoubleArray();
            double[] ld = r.logDet().toDoubleArray();
            for (int b = 0; b < 4; b++) {
                double want = 0;
                for (int i = 0; i < D; i++) {
                    double xi = xs[b * D + i];
                    double y = Math.exp(logDelta[i]) * asinh(xi) - eps[i];
                    assertEquals(Math.sinh(y), z[b * D + i], 1e-12 * Math.max(1, Math.abs(Math.sinh(y))),
                            "z at row " + b + ", dim " + i);
                    want += logDelta[i] + Math.log(Math.cosh(y)) - 0.5 * Math.log(1 + xi * xi);
                }
                assertEquals(want, ld[b], 1e-10, "log-det of row " + b);
            }
        }
    }

    @Test
    void inverseUndoesForwardAndTheLogDetsCancel() {
        Generator g = new Generator(3);
        try (SinhArcsinh flow = perturbed(DType.FLOAT64)) {
            for (Tensor x : List.of(awkwardRows(), F.normal(g, 0.5, 2.0, Shape.of(16, D), DType.FLOAT64))) {
                FlowResult fw = flow.forward(x);
                FlowResult back = flow.inverse(fw.value());
                double[] want = x.toDoubleArray();
                double[] got = back.value().toDoubleArray();
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i], got[i], 1e-9 * Math.max(1, Math.abs(want[i])), "inverse(forward(x)) at " + i);
                }
                double[] sum = fw.logDet().add(back.logDet()).toDoubleArray();
                for (double s : sum) {
                    assertEquals(0.0, s, 1e-9, "forward and inverse log-dets must cancel");
                }
            }
            Tensor z = F.normal(g, 0, 1.0, Shape.of(16, D), DType.FLOAT64);
            assertArrayEquals(z.toDoubleArray(), flow.forward(flow.inverse(z).value()).value().toDoubleArray(), 1e-9,
                    "forward(inverse(z))");
        }
    }

    @Test
    void logDetsMatchCentralDifferenceJacobians() {
        Generator g = new Generator(5);
        try (SinhArcsinh flow = perturbed(DType.FLOAT64)) {
            Tensor x = F.normal(g, 0.3, 1.5, Shape.of(6, D), DType.FLOAT64);
            Tensor z = F.normal(g, 0, 1.0, Shape.of(6, D), DType.FLOAT64);
            check(flow::forward, x, "forward");
            check(flow::inverse, z, "inverse");
        }
    }

    private static void check(Function<Tensor, FlowResult> fn, Tensor x, String what) {
        double[][][] j = FlowChecks.jacobian(fn, x);
        double[] ld = fn.apply(x).logDet().toDoubleArray();
        for (int b = 0; b < j.length; b++) {
            assertEquals(FlowChecks.logAbsDet(j[b]), ld[b], 1e-6, what + " log-det, row " + b);
            assertTrue(Math.abs(ld[b]) > 1e-2, what + ": the check needs a non-trivial log-det, got " + ld[b]);
        }
    }

    @Test
    void asinhIsAccurateForLargeNegativeArgumentsAndHasSlopeOneAtZero() {
        Tensor x = F.of(new float[] {-1e4f, -3.5f, -1e-6f, 0f, 1e-6f, 3.5f, 1e4f}, 7);
        float[] got = SinhArcsinh.asinh(x).toFloatArray();
        float[] xs = x.toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            double want = asinh(xs[i]);
            assertEquals(want, got[i], 2e-6 * Math.max(Math.abs(want), 1e-6), "asinh(" + xs[i] + ") in float32");
        }
        // the textbook formula gives -inf at -1e4 in float32; and sign() would make the slope 0 at 0
        Tensor zero = F.zeros(Shape.of(1), DType.FLOAT64).requiresGrad(true);
        Tensor slope = Autograd.grad(SinhArcsinh.asinh(zero).sum(), List.of(zero)).getFirst();
        assertEquals(1.0, slope.item(), 0.0, "d asinh / dx at 0");
        Tensor neg = F.of(new double[] {-2.0}, 1).requiresGrad(true);
        assertEquals(1 / Math.sqrt(5), Autograd.grad(SinhArcsinh.asinh(neg).sum(), List.of(neg)).getFirst().item(), 1e-15);
    }

    @Test
    void sinhAndLogCoshKeepTheirDigitsNearZeroAndFarOut() {
        double[] ys = {-30, -1e-10, 0, 3e-9, 0.7, 30};
        Tensor y = F.of(ys, ys.length);
        double[] s = SinhArcsinh.sinh(y).toDoubleArray();
        double[] lc = SinhArcsinh.logCosh(y).toDoubleArray();
        for (int i = 0; i < ys.length; i++) {
            assertEquals(Math.sinh(ys[i]), s[i], 1e-14 * Math.max(1e-10, Math.abs(Math.sinh(ys[i]))), "sinh(" + ys[i] + ")");
            assertEquals(Math.log(Math.cosh(ys[i])), lc[i], 1e-13 * Math.max(1, Math.abs(ys[i])), "log cosh(" + ys[i] + ")");
        }
        // cosh(800) overflows a double, its logarithm does not
        assertEquals(800 - Math.log(2), SinhArcsinh.logCosh(F.of(new double[] {-800}, 1)).item(), 1e-9);
    }

    @Test
    void theParametersReceiveGradientsThroughBothDirections() {
        try (SinhArcsinh flow = perturbed(DType.FLOAT64)) {
            Tensor x = awkwardRows();
            FlowResult r = flow.forward(x);
            Tensor nll = r.value().square().mul(0.5).sum(1, false).sub(r.logDet()).mean();
            List<Tensor> g = Autograd.grad(nll, List.of(flow.epsilon(), flow.logDelta()));
            for (Tensor t : g) {
                for (double v : t.toDoubleArray()) {
                    assertTrue(Double.isFinite(v) && v != 0, "gradient " + t);
                }
            }
        }
    }

    @Test
    void refusesInputsOfTheWrongShapeOrDType() {
        try (SinhArcsinh flow = new SinhArcsinh(F, D, DType.FLOAT32)) {
            ShapeException e = assertThrows(ShapeException.class, () -> flow.forward(F.zeros(4, 2)));
            assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("[batch, 3]"), e.getMessage());
            assertThrows(ShapeException.class, () -> flow.inverse(F.zeros(Shape.of(4, D), DType.FLOAT64)));
        }
    }

    /** {@code asinh} in double: {@code log(|x| + √(x²+1))} with the sign restored (exact enough here). */
    static double asinh(double x) {
        double a = Math.abs(x);
        double r = a < 1e-4 ? a - a * a * a / 6 : Math.log(a + Math.sqrt(a * a + 1));
        return Math.copySign(r, x);
    }

}
