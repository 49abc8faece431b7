package dev.nabla.api.tensor;

import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;

/** Reductions over sets of axes (sum, mean, max, min, logsumexp, variance), arg-reductions and scans. */
final class Reductions {
    private Reductions() {
    }

    /** The shape with each of {@code axes} (normalized) set to 1. */
    static Shape keepShape(Shape s, int[] axes) {
        int[] d = s.dims();
        for (int a : axes) {
            d[a] = 1;
        }
        return Shape.of(d);
    }

    /** The shape with each of {@code axes} (normalized) removed. */
    static Shape dropShape(Shape s, int[] axes) {
        int[] d = new int[s.rank() - axes.length];
        int n = 0;
        int j = 0;
        for (int i = 0; i < s.rank(); i++) {
            if (j < axes.length && axes[j] == i) {
                j++;
            } else {
                d[n++] = s.dim(i);
            }
        }
        return Shape.of(d);
    }

    /** Runs a reduction kernel into a keep-dims tensor, without recording. */
    static Tensor reduceRaw(String op, ReduceOp kop, Tensor x, int[] axes) {
        Tensor y = Ops.alloc(x.backend(), x.dtype(), keepShape(x.shape(), axes));
        Ops.k(x).reduce(kop, x.storage(op), x.shape(), axes, y.storage());
        return y;
    }

    static Tensor reduce(String op, ReduceOp kop, Tensor x, int[] axesIn, boolean keepDims) {
        x.checkLive(op);
        Ops.requireNumeric(op, x);
        int[] axes = Ops.normalizeAxes(op, x.shape(), axesIn);
        if (kop != ReduceOp.SUM) {
            for (int a : axes) {
                if (x.shape().dim(a) == 0) {
                    throw new ShapeException(op + ": cannot reduce over axis " + a + " of size 0 in shape "
                            + x.shape() + " (the " + op + " of nothing is undefined)");
                }
            }
        }
        Tensor kept = reduceRaw(op, kop, x, axes);
        Shape inShape = x.shape();
        Tensor y = keepDims ? kept : Ops.view(kept, dropShape(inShape, axes));
        return Ops.record(y, op, g -> {
            Tensor gk = g.reshape(kept.shape().dims());
            if (kop == ReduceOp.SUM) {
                return new Tensor[] {gk.broadcastTo(inShape)};
            }
            // max / min: the gradient goes to the extremal elements, shared evenly on ties
            Tensor hit = x.eq(kept).to(x.dtype());
            Tensor count = hit.sum(axes, true);
            return new Tensor[] {hit.mul(gk.div(count))};
        }, x);
    }

    static Tensor mean(Tensor x, int[] axesIn, boolean keepDims) {
        x.checkLive("mean");
        Ops.requireFloat("mean", x);
        int[] axes = Ops.normalizeAxes("mean", x.shape(), axesIn);
        long n = 1;
        for (int a : axes) {
            n *= x.shape().dim(a);
        }
        return reduce("mean", ReduceOp.SUM, x, axes, keepDims).div((double) n);
    }

    static Tensor arg(String op, boolean max, Tensor x, int axisIn, boolean keepDims) {
        x.checkLive(op);
        Ops.requireNumeric(op, x);
        int axis = x.shape().normalizeAxis(op, axisIn);
        if (x.shape().dim(axis) == 0) {
            throw new ShapeException(op + ": cannot take " + op + " over axis " + axis + " of size 0 in shape "
                    + x.shape());
        }
        Shape kept = keepShape(x.shape(), new int[] {axis});
        Tensor y = Ops.alloc(x.backend(), DType.INT64, kept);
        Ops.k(x).argReduce(max, x.storage(), x.shape(), axis, y.storage());
        return keepDims ? y : Ops.view(y, dropShape(x.shape(), new int[] {axis}));
    }

    static Tensor logsumexp(Tensor x, int[] axesIn, boolean keepDims) {
        String op = "logsumexp";
        x.checkLive(op);
        Ops.requireFloat(op, x);
        int[] axes = Ops.normalizeAxes(op, x.shape(), axesIn);
        Tensor kept;
        try (GradMode ignored = Autograd.noGrad()) {
            Tensor m = reduce(op, ReduceOp.MAX, x, axes, true);
            // an all -inf (or +inf) slice would give inf - inf = NaN: shift those by 0 instead
            Tensor shift = Tensor.where(m.abs().lt(Double.POSITIVE_INFINITY), m, Ops.scalarLike(m, 0.0));
            kept = x.sub(shift).exp().sum(axes, true).log().add(shift);
        }
        Shape inShape = x.shape();
        Tensor y = keepDims ? kept : Ops.view(kept, dropShape(inShape, axes));
        return Ops.record(y, op, g -> {
            Tensor gk = g.reshape(kept.shape().dims());
            // the recorded output y (not the unrecorded kept), so that a recorded backward pass
            // (createGraph) sees the dependence of the result on x
            Tensor yk = y.reshape(kept.shape().dims());
            return new Tensor[] {gk.mul(x.sub(yk).exp())};
        }, x);
    }

    /** Variance with {@code N - correction} in the denominator; {@code op} names the user's call in errors. */
    static Tensor variance(String op, Tensor x, int[] axesIn, int correction, boolean keepDims) {
        x.checkLive(op);
        Ops.requireFloat(op, x);
        int[] axes = Ops.normalizeAxes(op, x.shape(), axesIn);
        if (correction < 0) {
            throw new IllegalArgumentException(op + ": correction must be >= 0, got " + correction);
        }
        long n = 1;
        for (int a : axes) {
            n *= x.shape().dim(a);
        }
        Tensor centered = x.sub(x.mean(axes, true));
        return centered.square().sum(axes, keepDims).div((double) Math.max(n - correction, 0));
    }

    static Tensor cumsum(Tensor x, int axisIn) {
        String op = "cumsum";
        x.checkLive(op);
        Ops.requireNumeric(op, x);
        int axis = x.shape().normalizeAxis(op, axisIn);
        Tensor y = Ops.alloc(x.backend(), x.dtype(), x.shape());
        Ops.k(x).cumsum(x.storage(), x.shape(), axis, y.storage());
        // the adjoint of an inclusive prefix sum is the reversed prefix sum of the reversed gradient
        return Ops.record(y, op, g -> new Tensor[] {g.flip(axis).cumsum(axis).flip(axis)}, x);
    }
}
