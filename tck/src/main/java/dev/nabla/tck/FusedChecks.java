package dev.nabla.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.FusedKernel;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.FusedOp;
import dev.nabla.api.tensor.FusedOps;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicNode;
import org.opentest4j.AssertionFailedError;

/**
 * Every fused kernel a backend offers ({@link dev.nabla.api.backend.Backend#fusedKernels()}), checked
 * against the composed form the tensor layer falls back to: for each example of its
 * {@link FusedOp} in {@link FusedOps}, in float64 and float32, the outputs of both forms and, for a
 * differentiable op, the gradients of {@code Σ outputs·R} (R fixed random) with respect to every floating input. The check
 * is generic: a new kind of fused kernel is checked as soon as the api describes it, and a kind the
 * api does not describe is a failure (it could neither be used nor checked).
 */
final class FusedChecks {
    /** Agreement of the two forms, relative to the larger magnitude plus one. */
    static final double RTOL64 = 1e-10;
    static final double RTOL32 = 2e-5;

    private FusedChecks() {
    }

    static List<DynamicNode> all(TensorFactory f, Report report) {
        List<DynamicNode> out = new ArrayList<>();
        for (Class<? extends FusedKernel> kind : f.backend().fusedKernels().kinds()) {
            Optional<FusedOp> op = FusedOps.of(kind);
            if (op.isEmpty()) {
                out.add(report.check(kind.getSimpleName(), "fused " + kind.getSimpleName() + " is known to the api",
                        () -> {
                            throw new AssertionFailedError("backend '" + f.backend().name() + "' offers fused kernel "
                                    + kind.getName() + ", but dev.nabla.api.tensor.FusedOps describes no op for it:"
                                    + " the tensor layer never uses it and the tck cannot check it");
                        }));
                continue;
            }
            for (FusedOp.Example e : op.get().examples()) {
                for (DType d : OpTable.FLOATS) {
                    String name = op.get().name();
                    out.add(report.check(name, "fused " + name + " " + e.label() + " " + d + " = composed",
                            () -> compare(f, op.get(), e, d)));
                }
            }
        }
        return out;
    }

    private static void compare(TensorFactory f, FusedOp op, FusedOp.Example e, DType d) {
        String what = "fused " + op.name() + " (" + op.kind().getSimpleName() + ") " + e.label() + " in " + d;
        long seed = (op.name() + e.label()).hashCode();
        List<Tensor> inFused = inputs(f, op, e, d, seed);
        List<Tensor> inComposed = inputs(f, op, e, d, seed);
        List<Tensor> yFused = e.fused().apply(inFused);
        List<Tensor> yComposed = e.composed().apply(inComposed);
        assertEquals(yComposed.size(), yFused.size(), what + ": number of outputs");
        double rtol = d == DType.FLOAT64 ? RTOL64 : RTOL32;
        for (int k = 0; k < yFused.size(); k++) {
            assertClose(what + ": output " + k, yComposed.get(k), yFused.get(k), rtol);
        }
        List<Tensor> leavesF = floating(inFused);
        List<Tensor> leavesC = floating(inComposed);
        if (leavesF.isEmpty() || !op.differentiable()) {
            return;
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Tensor lossF = null;
        Tensor lossC = null;
        for (int k = 0; k < yFused.size(); k++) {
            Tensor yf = yFused.get(k);
            if (!yf.dtype().isFloatingPoint() || yf.numel() == 0) {
                continue;
            }
            assertTrue(yf.requiresGrad(), what + ": output " + k + " of inputs that require grad must require grad");
            double[] w = new double[(int) yf.numel()];
            for (int i = 0; i < w.length; i++) {
                w[i] = r.nextDouble(-1, 1);
            }
            Tensor weights = f.of(w, yf.shape().dims()).to(d);
            Tensor tf = yf.mul(weights).sum();
            Tensor tc = yComposed.get(k).mul(weights).sum();
            lossF = lossF == null ? tf : lossF.add(tf);
            lossC = lossC == null ? tc : lossC.add(tc);
        }
        if (lossF == null) {
            return;
        }
        List<Tensor> gF = Autograd.grad(lossF, leavesF, null, false, true);
        List<Tensor> gC = Autograd.grad(lossC, leavesC, null, false, true);
        for (int k = 0; k < gF.size(); k++) {
            assertClose(what + ": gradient of floating input " + k, gC.get(k), gF.get(k), rtol * 10);
        }
    }

    private static List<Tensor> inputs(TensorFactory f, FusedOp op, FusedOp.Example e, DType d, long seed) {
        List<Tensor> in = e.inputs().make(f, d, new Generator(seed));
        for (Tensor t : in) {
            if (t.dtype().isFloatingPoint() && op.differentiable()) {
                t.requiresGrad(true);
            }
        }
        return in;
    }

    private static List<Tensor> floating(List<Tensor> in) {
        return in.stream().filter(t -> t.dtype().isFloatingPoint()).toList();
    }

    private static void assertClose(String what, Tensor expected, Tensor got, double rtol) {
        assertEquals(expected.dtype(), got.dtype(), what + ": dtype");
        assertEquals(expected.shape(), got.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] g = got.toDoubleArray();
        double scale = 1;
        for (double v : e) {
            if (Double.isFinite(v)) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(g[i])
                    : Double.isInfinite(e[i]) ? e[i] == g[i] : Math.abs(g[i] - e[i]) <= rtol * scale;
            if (!ok) {
                throw new AssertionFailedError(what + ": at flat index " + i + " of " + expected.shape()
                        + " the fused kernel gives " + g[i] + ", the composed form " + e[i] + " (tolerance "
                        + rtol * scale + "); first values fused " + head(g) + ", composed " + head(e), e[i], g[i]);
            }
        }
    }

    private static String head(double[] v) {
        return Arrays.toString(Arrays.copyOf(v, Math.min(v.length, 6)));
    }
}
