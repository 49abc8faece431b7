package dev.nabla.api.tensor;

import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;

/**
 * Index-driven operations: index-select and gather, their adjoints index-add and scatter-add (each
 * is the other's gradient), and one-hot encoding. Indices are validated on the host before any
 * kernel runs, so an out-of-range index is an error naming the op, never a wrong read.
 */
final class Indexing {
    private Indexing() {
    }

    /** The index as int64, with every entry checked to lie in {@code [0, size)}. */
    static Tensor checkedIndex(String op, Tensor index, int size, String where) {
        index.checkLive(op);
        Ops.requireIndex(op, index);
        Tensor idx;
        try (GradMode ignored = Autograd.noGrad()) {
            idx = index.dtype() == DType.INT64 ? index : index.to(DType.INT64);
            if (idx.numel() > 0) {
                int[] all = Ops.allAxes(idx);
                long min = Reductions.reduceRaw(op, ReduceOp.MIN, idx, all).itemLong();
                long max = Reductions.reduceRaw(op, ReduceOp.MAX, idx, all).itemLong();
                if (min < 0 || max >= size) {
                    throw new ShapeException(op + ": index " + (min < 0 ? min : max) + " is out of range for "
                            + where + " of size " + size + " (valid: 0 to " + (size - 1) + ")");
                }
            }
        }
        return idx;
    }

    static Tensor indexSelect(Tensor x, int axisIn, Tensor index) {
        String op = "indexSelect";
        x.checkLive(op);
        Ops.sameBackend(op, x, index);
        int axis = x.shape().normalizeAxis(op, axisIn);
        Tensor idx = checkedIndex(op, index, x.dim(axis), "axis " + axis + " of shape " + x.shape());
        Tensor flat = idx.rank() == 1 ? idx : idx.reshape(-1);
        int[] kd = x.shape().dims();
        kd[axis] = (int) flat.numel();
        Tensor y = Ops.alloc(x.backend(), x.dtype(), Shape.of(kd));
        Ops.k(x).indexSelect(x.storage(), x.shape(), axis, flat.storage(), y.storage());
        Shape xs = x.shape();
        Tensor flatResult = Ops.record(y, op, g -> new Tensor[] {
            Ops.zerosLike(x).indexAdd(axis, flat, g)}, x);
        if (idx.rank() == 1) {
            return flatResult;
        }
        int[] od = new int[xs.rank() - 1 + idx.rank()];
        int n = 0;
        for (int i = 0; i < axis; i++) {
            od[n++] = xs.dim(i);
        }
        for (int i = 0; i < idx.rank(); i++) {
            od[n++] = idx.dim(i);
        }
        for (int i = axis + 1; i < xs.rank(); i++) {
            od[n++] = xs.dim(i);
        }
        return flatResult.reshape(od);
    }

    static Tensor indexAdd(Tensor x, int axisIn, Tensor index, Tensor src) {
        String op = "indexAdd";
        x.checkLive(op);
        src.checkLive(op);
        Ops.sameBackend(op, x, src);
        Ops.sameBackend(op, x, index);
        Ops.sameDType(op, x, src);
        Ops.requireNumeric(op, x);
        int axis = x.shape().normalizeAxis(op, axisIn);
        Ops.requireRank(op, "index", index, 1);
        Tensor idx = checkedIndex(op, index, x.dim(axis), "axis " + axis + " of shape " + x.shape());
        int[] expect = x.shape().dims();
        expect[axis] = idx.dim(0);
        if (!src.shape().equals(Shape.of(expect))) {
            throw new ShapeException(op + ": src has shape " + src.shape() + " but must be " + Shape.of(expect)
                    + " (shape " + x.shape() + " with axis " + axis + " set to the " + idx.dim(0) + " indices)");
        }
        Tensor y = Ops.alloc(x.backend(), x.dtype(), x.shape());
        Ops.k(x).copy(x.storage(), y.storage());
        Ops.k(x).indexAdd(src.storage(), idx.storage(), axis, y.storage(), y.shape());
        return Ops.record(y, op, g -> new Tensor[] {g, src.requiresGrad() ? g.indexSelect(axis, idx) : null}, x, src);
    }

    static Tensor gather(Tensor x, int axisIn, Tensor index) {
        String op = "gather";
        x.checkLive(op);
        Ops.sameBackend(op, x, index);
        int axis = x.shape().normalizeAxis(op, axisIn);
        checkGatherShapes(op, x.shape(), index, axis);
        Tensor idx = checkedIndex(op, index, x.dim(axis), "axis " + axis + " of shape " + x.shape());
        Tensor y = Ops.alloc(x.backend(), x.dtype(), idx.shape());
        Ops.k(x).gather(x.storage(), x.shape(), axis, idx.storage(), idx.shape(), y.storage());
        return Ops.record(y, op, g -> new Tensor[] {Ops.zerosLike(x).scatterAdd(axis, idx, g)}, x);
    }

    private static void checkGatherShapes(String op, Shape xs, Tensor index, int axis) {
        if (index.rank() != xs.rank()) {
            throw new ShapeException(op + ": index has shape " + index.shape() + " but must have the rank of "
                    + xs + " (" + xs.rank() + ")");
        }
        for (int i = 0; i < xs.rank(); i++) {
            if (i != axis && index.dim(i) > xs.dim(i)) {
                throw new ShapeException(op + ": index shape " + index.shape() + " exceeds " + xs
                        + " on axis " + i + " (only axis " + axis + " may be larger)");
            }
        }
    }

    static Tensor scatterAdd(Tensor x, int axisIn, Tensor index, Tensor src) {
        String op = "scatterAdd";
        x.checkLive(op);
        src.checkLive(op);
        Ops.sameBackend(op, x, src);
        Ops.sameBackend(op, x, index);
        Ops.sameDType(op, x, src);
        Ops.requireNumeric(op, x);
        int axis = x.shape().normalizeAxis(op, axisIn);
        checkGatherShapes(op, x.shape(), index, axis);
        if (!src.shape().equals(index.shape())) {
            throw new ShapeException(op + ": src has shape " + src.shape() + " but index has " + index.shape()
                    + "; they must match");
        }
        Tensor idx = checkedIndex(op, index, x.dim(axis), "axis " + axis + " of shape " + x.shape());
        Tensor y = Ops.alloc(x.backend(), x.dtype(), x.shape());
        Ops.k(x).copy(x.storage(), y.storage());
        Ops.k(x).scatterAdd(src.storage(), idx.storage(), idx.shape(), axis, y.storage(), y.shape());
        return Ops.record(y, op, g -> new Tensor[] {g, src.requiresGrad() ? g.gather(axis, idx) : null}, x, src);
    }

    static Tensor oneHot(Tensor x, int numClasses) {
        String op = "oneHot";
        if (numClasses <= 0) {
            throw new ShapeException(op + ": numClasses must be positive, got " + numClasses);
        }
        Tensor idx = checkedIndex(op, x, numClasses, "numClasses");
        Tensor classes = x.factory().arange(0, numClasses, 1);
        return idx.unsqueeze(-1).eq(classes).to(DType.FLOAT32);
    }
}
