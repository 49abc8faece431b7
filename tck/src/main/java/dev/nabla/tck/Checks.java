package dev.nabla.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.tck.OpInfo.Env;
import dev.nabla.tck.OpInfo.Input;
import dev.nabla.tck.OpInfo.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.opentest4j.AssertionFailedError;

/**
 * The generic checks run on every row of the op table: forward values against the reference, and
 * gradients against central finite differences. Also the host/tensor conversions and the value
 * comparison with its tolerances.
 */
final class Checks {
    /** Relative tolerance of float64 results. */
    static final double RTOL64 = 1e-10;
    /** Relative tolerance of float32 results (compared with the float64 reference). */
    static final double RTOL32 = 1e-5;
    /** Central-difference step. */
    static final double EPS = 1e-6;
    /** Gradient tolerance: |analytic - numeric| <= GRAD_ATOL + GRAD_RTOL·|numeric|. */
    static final double GRAD_ATOL = 1e-6;
    static final double GRAD_RTOL = 1e-5;

    private Checks() {
    }

    // ------------------------------------------------------------------ host <-> tensor

    /** A tensor of {@code dtype} holding {@code x}'s values, made with the factory's array constructors. */
    static Tensor tensor(TensorFactory f, Nd x, DType dtype) {
        int n = x.size();
        return switch (dtype) {
            case FLOAT64 -> f.of(x.v.clone(), x.shape);
            case FLOAT32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) x.v[i];
                }
                yield f.of(a, x.shape);
            }
            case INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (int) x.v[i];
                }
                yield f.of(a, x.shape);
            }
            case INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (long) x.v[i];
                }
                yield f.of(a, x.shape);
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = x.v[i] != 0;
                }
                yield f.of(a, x.shape);
            }
        };
    }

    /** The host values an input holds when the check runs in {@code dtype}. */
    static Nd hostValue(Input in, DType dtype) {
        DType d = in.fixed() != null ? in.fixed() : dtype;
        return d == DType.FLOAT32 ? in.value().roundedToFloat() : in.value();
    }

    static DType dtypeOf(Input in, DType run) {
        return in.fixed() != null ? in.fixed() : run;
    }

    /** The values of {@code t} as doubles (exact for every dtype but int64 beyond 2^53). */
    static double[] values(Tensor t) {
        if (t.dtype() == DType.INT64) {
            long[] l = t.toLongArray();
            double[] d = new double[l.length];
            for (int i = 0; i < l.length; i++) {
                d[i] = l[i];
            }
            return d;
        }
        return t.toDoubleArray();
    }

    static double rtol(DType d) {
        return d == DType.FLOAT32 ? RTOL32 : d == DType.FLOAT64 ? RTOL64 : 0;
    }

    /**
     * Asserts that {@code t} has the expected dtype, shape and values: exactly for integer and bool
     * results, within {@code rtol·(|expected| + slack)} for floating ones; NaN must match NaN and
     * infinities must match exactly.
     */
    static void assertMatches(String what, Nd expected, DType expectedDType, Tensor t, double slack) {
        assertEquals(expectedDType, t.dtype(), what + ": dtype");
        assertEquals(Shape.of(expected.shape), t.shape(), what + ": shape");
        double[] got = values(t);
        assertEquals(expected.size(), got.length, what + ": element count");
        double rtol = rtol(expectedDType);
        for (int i = 0; i < got.length; i++) {
            // a float32 result is the float64 value rounded to float32 (overflow to ±inf included)
            double e = expectedDType == DType.FLOAT32 ? (float) expected.v[i] : expected.v[i];
            double g = got[i];
            boolean ok;
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                ok = Double.compare(e, g) == 0 || Double.isNaN(e) && Double.isNaN(g);
            } else {
                ok = Math.abs(g - e) <= rtol * (Math.abs(e) + slack);
            }
            if (!ok) {
                throw new AssertionFailedError(what + ": value at " + Arrays.toString(Nd.unravel(i, expected.shape))
                        + " (flat " + i + ") is " + g + ", expected " + e + " (tolerance "
                        + rtol * (Math.abs(e) + slack) + ", " + expectedDType + ")", e, g);
            }
        }
    }

    // ------------------------------------------------------------------ forward

    /** Applies the op in {@code dtype} and compares with the reference computed on the same (rounded) inputs. */
    static void forward(TensorFactory f, OpInfo op, Sample s, DType dtype) {
        List<Nd> host = new ArrayList<>();
        List<Tensor> ts = new ArrayList<>();
        for (Input in : s.inputs()) {
            Nd h = hostValue(in, dtype);
            host.add(h);
            ts.add(tensor(f, h, dtypeOf(in, dtype)));
        }
        Tensor y = s.apply().apply(new Env(f, dtype), ts);
        Nd expected = s.reference().apply(host);
        DType expectedDType = expected.dtype == null ? dtype : expected.dtype;
        assertMatches(op.name() + " " + s.label() + " in " + dtype, expected, expectedDType, y, op.slack());
        // tensors are values: the op must not have written into its inputs
        for (int i = 0; i < ts.size(); i++) {
            if (ts.get(i) != y) {
                assertMatches(op.name() + ": input " + i + " after the op (inputs are immutable)", host.get(i),
                        dtypeOf(s.inputs().get(i), dtype), ts.get(i), 0);
            }
        }
    }

    // ------------------------------------------------------------------ gradients

    /**
     * In float64: the gradient of {@code Σ op(inputs)·R} (R fixed random) from {@link Autograd#grad}
     * against central finite differences on every element of every floating input.
     */
    static void gradient(TensorFactory f, OpInfo op, Sample s) {
        DType d = DType.FLOAT64;
        Env env = new Env(f, d);
        List<Nd> host = new ArrayList<>();
        List<Tensor> ts = new ArrayList<>();
        List<Tensor> leaves = new ArrayList<>();
        List<Integer> leafIndex = new ArrayList<>();
        for (int i = 0; i < s.inputs().size(); i++) {
            Input in = s.inputs().get(i);
            Nd h = hostValue(in, d);
            host.add(h);
            Tensor t = tensor(f, h, dtypeOf(in, d));
            if (in.isMain()) {
                t.requiresGrad(true);
                leaves.add(t);
                leafIndex.add(i);
            }
            ts.add(t);
        }
        Tensor y = s.apply().apply(env, ts);
        assertTrue(y.requiresGrad(), op.name() + ": the result of a differentiable op on inputs that require grad"
                + " must require grad");
        SplittableRandom rnd = new SplittableRandom((op.name() + s.label()).hashCode());
        double[] r = new double[(int) y.numel()];
        for (int i = 0; i < r.length; i++) {
            r[i] = rnd.nextDouble(-1, 1);
        }
        Nd weights = new Nd(y.shape().dims(), r);
        Tensor loss = y.mul(tensor(f, weights, d)).sum();
        List<Tensor> grads = Autograd.grad(loss, leaves);
        assertEquals(leaves.size(), grads.size(), op.name() + ": one gradient per input");
        for (int k = 0; k < leaves.size(); k++) {
            int i = leafIndex.get(k);
            Tensor g = grads.get(k);
            String what = op.name() + " " + s.label() + ": gradient of input " + i;
            assertEquals(d, g.dtype(), what + ": dtype");
            assertEquals(leaves.get(k).shape(), g.shape(), what + ": shape");
            double[] analytic = g.toDoubleArray();
            Nd base = host.get(i);
            for (int j = 0; j < base.size(); j++) {
                double plus = perturbedLoss(env, s, host, i, j, EPS, weights);
                double minus = perturbedLoss(env, s, host, i, j, -EPS, weights);
                double numeric = (plus - minus) / (2 * EPS);
                double a = analytic[j];
                if (!(Math.abs(a - numeric) <= GRAD_ATOL + GRAD_RTOL * Math.abs(numeric))) {
                    throw new AssertionFailedError(what + " at " + Arrays.toString(Nd.unravel(j, base.shape))
                            + ": autograd gives " + a + ", finite differences " + numeric, numeric, a);
                }
            }
        }
    }

    /**
     * Second order, in float64: with {@code h(x) = Σ ∇ₓ(Σ op(x)·R) · S} (R, S fixed random), the
     * gradient of h obtained by differentiating the recorded backward pass ({@code createGraph})
     * against central finite differences of h, where h is evaluated by first-order autodiff.
     */
    static void gradgrad(TensorFactory f, OpInfo op, Sample s) {
        DType d = DType.FLOAT64;
        Env env = new Env(f, d);
        List<Nd> host = new ArrayList<>();
        List<Integer> leafIndex = new ArrayList<>();
        for (int i = 0; i < s.inputs().size(); i++) {
            Input in = s.inputs().get(i);
            host.add(hostValue(in, d));
            if (in.isMain()) {
                leafIndex.add(i);
            }
        }
        SplittableRandom rnd = new SplittableRandom((op.name() + s.label() + "gradgrad").hashCode());
        List<Nd> seeds = new ArrayList<>();
        for (int i : leafIndex) {
            double[] v = new double[host.get(i).size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = rnd.nextDouble(-1, 1);
            }
            seeds.add(new Nd(host.get(i).shape, v));
        }
        // the analytic second-order gradient
        List<Tensor> leaves = new ArrayList<>();
        Tensor h = firstOrderDot(env, s, host, leafIndex, seeds, true, leaves);
        List<double[]> analytic = new ArrayList<>();
        if (h.requiresGrad()) {
            // an input may drop out of the first-order gradient (a bias: ∂/∂b is constant)
            for (Tensor g : Autograd.grad(h, leaves, null, false, true)) {
                analytic.add(g.toDoubleArray());
            }
        } else {
            // the gradient does not depend on the inputs at all (a linear op): its derivative is zero
            for (Tensor leaf : leaves) {
                analytic.add(new double[(int) leaf.numel()]);
            }
        }
        for (int k = 0; k < leafIndex.size(); k++) {
            int i = leafIndex.get(k);
            Nd base = host.get(i);
            for (int j = 0; j < base.size(); j++) {
                double plus = perturbedFirstOrder(env, s, host, leafIndex, seeds, i, j, EPS);
                double minus = perturbedFirstOrder(env, s, host, leafIndex, seeds, i, j, -EPS);
                double numeric = (plus - minus) / (2 * EPS);
                double a = analytic.get(k)[j];
                if (!(Math.abs(a - numeric) <= GRAD_ATOL + GRAD_RTOL * Math.abs(numeric))) {
                    throw new AssertionFailedError(op.name() + " " + s.label() + ": second-order gradient of input "
                            + i + " at " + Arrays.toString(Nd.unravel(j, base.shape)) + ": autograd (createGraph) gives "
                            + a + ", finite differences of the first-order gradient " + numeric, numeric, a);
                }
            }
        }
    }

    /**
     * {@code Σ_k ∇_{x_k}(Σ op(x)·R) · S_k} as a tensor; with {@code createGraph} it is recorded and the
     * leaves are returned in {@code leavesOut}.
     */
    private static Tensor firstOrderDot(Env env, Sample s, List<Nd> host, List<Integer> leafIndex, List<Nd> seeds,
                                        boolean createGraph, List<Tensor> leavesOut) {
        List<Tensor> ts = new ArrayList<>();
        List<Tensor> leaves = new ArrayList<>();
        for (int k = 0; k < host.size(); k++) {
            Tensor t = tensor(env.factory(), host.get(k), dtypeOf(s.inputs().get(k), env.dtype()));
            if (leafIndex.contains(k)) {
                t.requiresGrad(true);
                leaves.add(t);
            }
            ts.add(t);
        }
        leavesOut.addAll(leaves);
        Tensor y = s.apply().apply(env, ts);
        SplittableRandom rnd = new SplittableRandom(s.label().hashCode());
        double[] r = new double[(int) y.numel()];
        for (int i = 0; i < r.length; i++) {
            r[i] = rnd.nextDouble(-1, 1);
        }
        Tensor loss = y.mul(tensor(env.factory(), new Nd(y.shape().dims(), r), env.dtype())).sum();
        List<Tensor> grads = Autograd.grad(loss, leaves, null, createGraph);
        Tensor h = null;
        for (int k = 0; k < grads.size(); k++) {
            Tensor term = grads.get(k).mul(tensor(env.factory(), seeds.get(k), env.dtype())).sum();
            h = h == null ? term : h.add(term);
        }
        return h;
    }

    private static double perturbedFirstOrder(Env env, Sample s, List<Nd> host, List<Integer> leafIndex,
                                              List<Nd> seeds, int i, int j, double delta) {
        try (Scope scope = Scope.open()) {
            List<Nd> moved = new ArrayList<>(host);
            double[] v = host.get(i).v.clone();
            v[j] += delta;
            moved.set(i, new Nd(host.get(i).shape, v));
            return firstOrderDot(env, s, moved, leafIndex, seeds, false, new ArrayList<>()).item();
        }
    }

    /** {@code Σ op(inputs with input i, element j moved by delta)·R}, computed without recording. */
    private static double perturbedLoss(Env env, Sample s, List<Nd> host, int i, int j, double delta, Nd weights) {
        try (GradMode ignored = Autograd.noGrad(); Scope scope = Scope.open()) {
            List<Tensor> ts = new ArrayList<>();
            for (int k = 0; k < host.size(); k++) {
                Nd h = host.get(k);
                if (k == i) {
                    double[] v = h.v.clone();
                    v[j] += delta;
                    h = new Nd(h.shape, v);
                }
                ts.add(tensor(env.factory(), h, dtypeOf(s.inputs().get(k), env.dtype())));
            }
            double[] y = s.apply().apply(env, ts).toDoubleArray();
            double sum = 0;
            for (int k = 0; k < y.length; k++) {
                sum += y[k] * weights.v[k];
            }
            return sum;
        }
    }
}
