package dev.nabla.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.NablaException;
import dev.nabla.api.types.ReleasedTensorException;
import dev.nabla.api.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicNode;

/** Convolution adjoint identities, scopes, autodiff bookkeeping, and the small conversions. */
final class MiscChecks {
    private MiscChecks() {
    }

    private static Nd random(SplittableRandom r, int... shape) {
        double[] v = new double[Nd.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return new Nd(shape, v);
    }

    private static double dot(double[] a, double[] b) {
        assertEquals(a.length, b.length, "dot: lengths");
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void assertClose(double expected, double got, double rtol, String what) {
        assertTrue(Math.abs(expected - got) <= rtol * (Math.abs(expected) + 1), what + ": expected " + expected
                + ", got " + got);
    }

    // =====================================================================================
    // convolution adjoint
    // =====================================================================================

    /**
     * {@code <conv2d(x, w), y> = <x, convTranspose2d(y, w)>} for the same weight (conv2d reads it as
     * {@code [O, C, KH, KW]}, convTranspose2d as {@code [Cin = O, Cout = C, KH, KW]}), with the output
     * padding that restores x's size.
     */
    static List<DynamicNode> adjoint(TensorFactory f, Report report) {
        List<DynamicNode> out = new ArrayList<>();
        int[][][] configs = {{{1, 1}, {0, 0}}, {{2, 2}, {1, 1}}, {{3, 3}, {0, 0}}, {{2, 1}, {0, 2}}, {{1, 2}, {2, 1}}};
        for (int[][] c : configs) {
            for (DType d : OpTable.FLOATS) {
                int[] stride = c[0];
                int[] pad = c[1];
                String name = d + " stride " + java.util.Arrays.toString(stride) + " padding "
                        + java.util.Arrays.toString(pad);
                out.add(report.check("convTranspose2d", "adjoint of conv2d " + name, () -> {
                    SplittableRandom r = new SplittableRandom(name.hashCode());
                    int[] xs = {2, 3, 7, 6};
                    int[] ws = {4, 3, 3, 2};
                    Nd x = random(r, xs);
                    Nd w = random(r, ws);
                    if (d == DType.FLOAT32) {
                        x = x.roundedToFloat();
                        w = w.roundedToFloat();
                    }
                    int ho = (xs[2] + 2 * pad[0] - ws[2]) / stride[0] + 1;
                    int wo = (xs[3] + 2 * pad[1] - ws[3]) / stride[1] + 1;
                    int[] outPad = {xs[2] - ((ho - 1) * stride[0] - 2 * pad[0] + ws[2]),
                        xs[3] - ((wo - 1) * stride[1] - 2 * pad[1] + ws[3])};
                    for (int i = 0; i < 2; i++) {
                        assertTrue(outPad[i] >= 0 && outPad[i] < stride[i], "tck config: output padding " + outPad[i]);
                    }
                    Nd y = random(r, xs[0], ws[0], ho, wo);
                    if (d == DType.FLOAT32) {
                        y = y.roundedToFloat();
                    }
                    Tensor xt = Checks.tensor(f, x, d);
                    Tensor wt = Checks.tensor(f, w, d);
                    Tensor yt = Checks.tensor(f, y, d);
                    Tensor conv = xt.conv2d(wt, null, stride, pad, new int[] {1, 1});
                    assertEquals(Shape.of(y.shape), conv.shape(), "conv2d output shape");
                    Tensor convT = yt.convTranspose2d(wt, null, stride, pad, outPad);
                    assertEquals(Shape.of(xs), convT.shape(), "convTranspose2d output shape");
                    double lhs = dot(conv.toDoubleArray(), y.v);
                    double rhs = dot(x.v, convT.toDoubleArray());
                    // both sides against the float64 loops too
                    double ref = dot(Ref.conv2d(x, w, null, stride, pad, new int[] {1, 1}).v, y.v);
                    double tol = d == DType.FLOAT64 ? 1e-10 : 1e-4;
                    assertClose(ref, lhs, tol, "<conv2d(x, w), y>");
                    assertClose(ref, rhs, tol, "<x, convTranspose2d(y, w)>");
                }));
            }
        }
        return out;
    }

    // =====================================================================================
    // scopes
    // =====================================================================================

    static List<DynamicNode> scopes(TensorFactory f, Report report) {
        List<DynamicNode> out = new ArrayList<>();
        out.add(report.check("scope", "tensors created in a closed scope are released", () -> {
            Tensor a;
            Tensor b;
            Tensor c;
            try (Scope s = Scope.open()) {
                a = f.ones(2, 3);
                b = a.exp();
                c = b.reshape(6);
                assertEquals(3, s.size(), "the scope owns the three tensors");
                assertFalse(a.isReleased());
            }
            assertTrue(a.isReleased(), "a");
            assertTrue(b.isReleased(), "b");
            assertTrue(c.isReleased(), "c (a view)");
            assertThrows(ReleasedTensorException.class, a::toDoubleArray);
            assertThrows(ReleasedTensorException.class, () -> c.add(1.0));
        }));
        out.add(report.check("scope", "kept tensors survive their scope", () -> {
            Tensor kept;
            Tensor keptByMethod;
            Tensor dropped;
            try (Scope s = Scope.open()) {
                Tensor x = f.of(new float[] {1, 2, 3}, 3);
                kept = s.keep(x.mul(2.0));
                keptByMethod = x.add(1.0).keep();
                dropped = x.neg();
            }
            assertFalse(kept.isReleased());
            assertFalse(keptByMethod.isReleased());
            assertTrue(dropped.isReleased());
            assertArrayEquals(new double[] {2, 4, 6}, kept.toDoubleArray());
            assertArrayEquals(new double[] {2, 3, 4}, keptByMethod.toDoubleArray());
        }));
        out.add(report.check("scope", "a tensor kept in a nested scope moves to the enclosing one", () -> {
            Tensor t;
            try (Scope outer = Scope.open()) {
                try (Scope inner = Scope.open()) {
                    t = inner.keep(f.ones(2));
                }
                assertFalse(t.isReleased(), "alive after the inner scope");
                assertEquals(1, outer.size(), "now owned by the outer scope");
            }
            assertTrue(t.isReleased(), "released with the outer scope");
        }));
        out.add(report.check("scope", "parameters outlive scopes", () -> {
            Tensor p;
            try (Scope s = Scope.open()) {
                p = f.of(new float[] {1, -2}, 2).toParameter();
                assertEquals(1, s.size(), "only the source tensor belongs to the scope");
            }
            assertFalse(p.isReleased());
            assertTrue(p.isParameter());
            assertTrue(p.requiresGrad());
            assertArrayEquals(new double[] {1, -2}, p.toDoubleArray());
            p.close();
            assertTrue(p.isReleased(), "the owner closes a parameter");
        }));
        out.add(report.check("scope", "a parameter's gradient outlives the scope of backward", () -> {
            Tensor p = f.of(new double[] {1, -2, 3}, 3).toParameter();
            try (Scope s = Scope.open()) {
                p.mul(p).sum().backward();
            }
            assertNotNull(p.grad());
            assertFalse(p.grad().isReleased());
            assertArrayEquals(new double[] {2, -4, 6}, p.grad().toDoubleArray());
            p.close();
        }));
        out.add(report.check("scope", "Scope.run releases what its body creates, also when it throws", () -> {
            Tensor[] inside = new Tensor[2];
            Scope.run(() -> inside[0] = f.ones(2, 3).exp());
            assertTrue(inside[0].isReleased());
            RuntimeException boom = assertThrows(RuntimeException.class, () -> Scope.run(() -> {
                inside[1] = f.ones(2);
                throw new IllegalStateException("boom");
            }));
            assertEquals("boom", boom.getMessage());
            assertTrue(inside[1].isReleased(), "released when the body throws");
            assertNull(Scope.call(() -> null));
        }));
        out.add(report.check("scope", "Scope.call keeps a tensor result and releases the rest", () -> {
            Tensor[] temp = new Tensor[1];
            Tensor result;
            try (Scope outer = Scope.open()) {
                result = Scope.call(() -> {
                    temp[0] = f.of(new double[] {1, 2}, 2).mul(2.0);
                    return temp[0].add(1.0);
                });
                assertTrue(temp[0].isReleased(), "a temporary of the body");
                assertFalse(result.isReleased());
                assertEquals(1, outer.size(), "the result moved to the enclosing scope");
                assertArrayEquals(new double[] {3, 5}, result.toDoubleArray());
                assertEquals(6.0, Scope.call(() -> f.of(new double[] {1, 2, 3}, 3).sum().item()));
            }
            assertTrue(result.isReleased(), "released with the enclosing scope");
        }));
        out.add(report.check("scope", "a kept view stays valid after its base is released", () -> {
            Tensor base;
            Tensor view;
            try (Scope s = Scope.open()) {
                base = f.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
                view = s.keep(base.reshape(3, 2));
            }
            assertTrue(base.isReleased());
            assertFalse(view.isReleased());
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, view.toDoubleArray());
        }));
        out.add(report.check("scope", "close() releases now and is idempotent; toString still works", () -> {
            Tensor t = f.ones(2);
            t.close();
            assertTrue(t.isReleased());
            t.close();
            assertTrue(t.toString().contains("released"), "toString of a released tensor: " + t);
        }));
        out.add(report.check("scope", "views share storage but are released independently", () -> {
            Tensor base = f.of(new float[] {1, 2, 3, 4}, 4);
            Tensor view = base.reshape(2, 2);
            base.close();
            assertArrayEquals(new double[] {1, 2, 3, 4}, view.toDoubleArray(), "the view holds the storage");
            view.close();
        }));
        return out;
    }

    // =====================================================================================
    // autograd
    // =====================================================================================

    static List<DynamicNode> autograd(TensorFactory f, Report report) {
        List<DynamicNode> out = new ArrayList<>();
        out.add(report.check("autograd", "two backward() calls accumulate: grad doubles", () -> {
            Tensor x = f.of(new double[] {0.5, -1, 2}, 3).requiresGrad(true);
            x.mul(x).mul(3.0).sum().backward();
            double[] once = x.grad().toDoubleArray();
            assertArrayEquals(new double[] {3, -6, 12}, once, 1e-12);
            x.mul(x).mul(3.0).sum().backward();
            assertArrayEquals(new double[] {6, -12, 24}, x.grad().toDoubleArray(), 1e-12);
        }));
        out.add(report.check("autograd", "zeroGrad() clears the accumulated gradient", () -> {
            Tensor x = f.of(new double[] {1, 2}, 2).requiresGrad(true);
            x.exp().sum().backward();
            x.zeroGrad();
            assertArrayEquals(new double[] {0, 0}, x.grad().toDoubleArray());
            x.mul(4.0).sum().backward();
            assertArrayEquals(new double[] {4, 4}, x.grad().toDoubleArray());
        }));
        out.add(report.check("autograd", "noGrad() stops recording; recording resumes after it", () -> {
            Tensor x = f.of(new double[] {1, 2}, 2).requiresGrad(true);
            Tensor y;
            try (GradMode ignored = Autograd.noGrad()) {
                y = x.mul(2.0).exp();
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(y.requiresGrad(), "computed under noGrad");
            assertTrue(y.isLeaf());
            assertThrows(NablaException.class, () -> y.sum().backward());
            assertTrue(GradMode.isEnabled());
            assertTrue(x.mul(2.0).requiresGrad(), "recording resumed");
        }));
        out.add(report.check("autograd", "enableGrad() inside noGrad() records again", () -> {
            Tensor x = f.of(new double[] {1}, 1).requiresGrad(true);
            try (GradMode off = Autograd.noGrad(); GradMode on = Autograd.enableGrad()) {
                assertTrue(x.mul(2.0).requiresGrad());
            }
        }));
        out.add(report.check("autograd", "detach() gives a leaf that does not require grad", () -> {
            Tensor x = f.of(new double[] {1, 2}, 2).requiresGrad(true);
            Tensor y = x.mul(3.0);
            assertFalse(y.isLeaf());
            assertEquals("mul", y.gradFnName());
            Tensor d = y.detach();
            assertFalse(d.requiresGrad());
            assertTrue(d.isLeaf());
            assertArrayEquals(new double[] {3, 6}, d.toDoubleArray());
            assertThrows(NablaException.class, () -> y.requiresGrad(false), "requiresGrad on a non-leaf");
        }));
        out.add(report.check("autograd", "grad refuses unused inputs; with allowUnused they get zeros", () -> {
            Tensor x = f.of(new double[] {1, 2}, 2).requiresGrad(true);
            Tensor z = f.of(new double[] {5, 6, 7}, 3).requiresGrad(true);
            Tensor c = f.of(new double[] {3, 4}, 2);
            Tensor y = x.mul(c).sum();
            NablaException unused = assertThrows(NablaException.class, () -> Autograd.grad(y, List.of(x, z)));
            assertTrue(unused.getMessage().contains("input 1") && unused.getMessage().contains("allowUnused"),
                    unused.getMessage());
            assertThrows(NablaException.class, () -> Autograd.grad(y, List.of(c)), "an input that does not require grad");
            List<Tensor> g = Autograd.grad(y, List.of(x, z, c), null, false, true);
            assertArrayEquals(new double[] {3, 4}, g.get(0).toDoubleArray());
            assertArrayEquals(new double[] {0, 0, 0}, g.get(1).toDoubleArray());
            assertEquals(Shape.of(3), g.get(1).shape());
            assertEquals(DType.FLOAT64, g.get(1).dtype());
            assertArrayEquals(new double[] {0, 0}, g.get(2).toDoubleArray());
            assertNull(x.grad(), "Autograd.grad does not accumulate into grad()");
        }));
        out.add(report.check("autograd", "an input used only through a zero-gradient op gets zeros", () -> {
            Tensor x = f.of(new double[] {-1.5, 2}, 2).requiresGrad(true);
            Tensor g = Autograd.grad(x.sign().mul(3.0).sum(), List.of(x)).getFirst();
            assertArrayEquals(new double[] {0, 0}, g.toDoubleArray());
        }));
        out.add(report.check("autograd", "grad with respect to an intermediate result", () -> {
            Tensor x = f.of(new double[] {1, -2}, 2).requiresGrad(true);
            Tensor y = x.mul(3.0);
            Tensor z = y.mul(y).sum();
            List<Tensor> g = Autograd.grad(z, List.of(y, x));
            assertArrayEquals(new double[] {6, -12}, g.get(0).toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {18, -36}, g.get(1).toDoubleArray(), 1e-12);
        }));
        out.add(report.check("autograd", "an input used twice gets the sum of both paths", () -> {
            Tensor x = f.of(new double[] {0.5, 3}, 2).requiresGrad(true);
            Tensor y = x.mul(x).add(x).add(x.sin());
            List<Tensor> g = Autograd.grad(y.sum(), List.of(x));
            assertArrayEquals(new double[] {2 * 0.5 + 1 + Math.cos(0.5), 2 * 3 + 1 + Math.cos(3)},
                    g.getFirst().toDoubleArray(), 1e-12);
        }));
        out.add(report.check("autograd", "backward(seed) on a non-scalar output", () -> {
            Tensor x = f.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
            x.mul(3.0).backward(f.of(new double[] {1, 0, -2}, 3));
            assertArrayEquals(new double[] {3, 0, -6}, x.grad().toDoubleArray(), 1e-12);
        }));
        out.add(report.check("autograd", "second order: d/dx Σ d/dx Σ x³ = 6x", () -> {
            Tensor x = f.of(new double[] {0.5, -1, 2}, 3).requiresGrad(true);
            Tensor loss = x.mul(x).mul(x).sum();
            Tensor g = Autograd.grad(loss, List.of(x), null, true).getFirst();
            assertArrayEquals(new double[] {0.75, 3, 12}, g.toDoubleArray(), 1e-12);
            assertTrue(g.requiresGrad(), "with createGraph the gradient is recorded");
            Tensor g2 = Autograd.grad(g.sum(), List.of(x)).getFirst();
            assertArrayEquals(new double[] {3, -6, 12}, g2.toDoubleArray(), 1e-12);
        }));
        out.add(report.check("autograd", "second order through tanh and a matmul", () -> {
            // f(x) = Σ tanh(A x): ∂²f/∂x_j Σ_i ∂/∂x_i ... checked as the Hessian-vector product with ones
            double[] a = {0.3, -0.2, 0.5, 0.1, 0.4, -0.6};
            double[] xv = {0.7, -0.4};
            Tensor at = f.of(a, 3, 2);
            Tensor x = f.of(xv, 2).requiresGrad(true);
            Tensor g = Autograd.grad(at.matmul(x).tanh().sum(), List.of(x), null, true).getFirst();
            Tensor hv = Autograd.grad(g.sum(), List.of(x)).getFirst();
            double[] expected = new double[2];
            for (int i = 0; i < 3; i++) {
                double z = a[2 * i] * xv[0] + a[2 * i + 1] * xv[1];
                double t = Math.tanh(z);
                double second = -2 * t * (1 - t * t);
                double rowSum = a[2 * i] + a[2 * i + 1];
                expected[0] += second * a[2 * i] * rowSum;
                expected[1] += second * a[2 * i + 1] * rowSum;
            }
            assertArrayEquals(expected, hv.toDoubleArray(), 1e-12);
        }));
        out.add(report.check("clamp", "the gradient flows where min <= x <= max, bounds included", () -> {
            Tensor x = f.of(new double[] {-0.5, 0.8, 0.0, 1.0, -2}, 5).requiresGrad(true);
            Tensor g = Autograd.grad(x.clamp(-0.5, 0.8).sum(), List.of(x)).getFirst();
            assertArrayEquals(new double[] {1, 1, 1, 0, 0}, g.toDoubleArray());
        }));
        out.add(report.check("autograd", "integer and bool results carry no gradient", () -> {
            Tensor x = f.of(new double[] {1, -2}, 2).requiresGrad(true);
            assertFalse(x.gt(0.0).requiresGrad(), "comparison");
            assertFalse(x.argmax().requiresGrad(), "argmax");
            assertFalse(x.to(DType.INT64).requiresGrad(), "cast to int");
        }));
        out.add(report.check("autograd", "parameters: addInPlace and assign update in place", () -> {
            Tensor p = f.of(new double[] {1, 2, 3}, 3).toParameter();
            Tensor d = f.of(new double[] {2, 2, -2}, 3);
            assertSame(p, p.addInPlace(d, -0.5));
            assertArrayEquals(new double[] {0, 1, 4}, p.toDoubleArray(), 1e-12);
            p.addInPlace(d, 1.0);
            assertArrayEquals(new double[] {2, 3, 2}, p.toDoubleArray(), 1e-12);
            p.assign(f.of(new double[] {7, 8, 9}, 3));
            assertArrayEquals(new double[] {7, 8, 9}, p.toDoubleArray());
            assertFalse(d.isParameter());
            assertThrows(NablaException.class, () -> d.addInPlace(p, 1.0), "a value is immutable");
            assertThrows(NablaException.class, () -> p.assign(f.of(new double[] {1, 2}, 2)), "shape mismatch");
            p.close();
        }));
        return out;
    }

    // =====================================================================================
    // conversions, toString, metadata
    // =====================================================================================

    static List<DynamicNode> misc(TensorFactory f, Report report) {
        List<DynamicNode> out = new ArrayList<>();
        out.add(report.check("toString", "shows shape, dtype and values", () -> {
            String s = f.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}}).toString();
            assertTrue(s.contains("[2, 3]"), s);
            assertTrue(s.contains("float32"), s);
            assertTrue(s.contains("[[1, 2, 3], [4, 5, 6]]"), s);
            String d = f.zeros(Shape.of(4), DType.FLOAT64).toString();
            assertTrue(d.contains("[4]") && d.contains("float64"), d);
            String i = f.of(new long[] {7}, 1).toString();
            assertTrue(i.contains("int64") && i.contains("7"), i);
            String sc = f.scalar(2.5).toString();
            assertTrue(sc.contains("[]") && sc.contains("2.5"), sc);
            String e = f.zeros(0, 3).toString();
            assertTrue(e.contains("[0, 3]"), e);
            String big = f.ones(64, 65).toString();
            assertTrue(big.length() < 2000, "a large tensor's toString is abbreviated, got " + big.length() + " chars");
            assertTrue(f.ones(2).requiresGrad(false).toString().contains("float32"));
        }));
        out.add(report.check("metadata", "shape, rank, dim, numel, describe", () -> {
            Tensor t = f.zeros(2, 3, 4);
            assertEquals(Shape.of(2, 3, 4), t.shape());
            assertEquals(3, t.rank());
            assertEquals(4, t.dim(-1));
            assertEquals(24, t.numel());
            assertEquals("[2, 3, 4] float32", t.describe());
            assertSame(f.backend(), t.backend());
            assertEquals(f.backend().device(), t.device());
        }));
        out.add(report.check("item", "item() and itemLong() of one-element tensors", () -> {
            assertEquals(-2.5, f.scalar(-2.5).item());
            assertEquals(1L << 50, f.of(new long[] {1L << 50}, 1, 1).itemLong());
            assertEquals(3.0, f.of(new int[] {3}, 1).item());
        }));
        out.add(report.check("toArray", "host arrays in every dtype", () -> {
            Tensor t = f.of(new double[] {-1.5, 0, 2.75}, 3);
            assertArrayEquals(new float[] {-1.5f, 0, 2.75f}, t.toFloatArray());
            assertArrayEquals(new int[] {-1, 0, 2}, t.toIntArray(), "float to int truncates toward zero");
            assertArrayEquals(new long[] {-1, 0, 2}, t.toLongArray());
            assertArrayEquals(new boolean[] {true, false, true}, t.toBooleanArray());
            assertArrayEquals(new double[] {1, 0}, f.of(new boolean[] {true, false}, 2).toDoubleArray());
        }));
        return out;
    }
}
