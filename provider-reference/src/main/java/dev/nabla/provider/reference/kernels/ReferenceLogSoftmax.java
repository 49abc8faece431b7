package dev.nabla.provider.reference.kernels;

import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.reference.storage.HeapStorage;

/**
 * The fused, numerically stable log-softmax of the reference backend, computed in {@code double} along
 * one axis. Output may alias the input: every lane is read fully before it is written.
 */
public final class ReferenceLogSoftmax implements LogSoftmaxKernel {
    /** Creates the kernel; it is stateless. */
    public ReferenceLogSoftmax() {
    }

    @Override
    public void logSoftmax(Storage x, Shape shape, int axis, Storage out) {
        try {
            logSoftmax(x, shape, axis, out, 0);
        } catch (RuntimeException e) {
            throw HeapStorage.failure("logSoftmax", e, x, out);
        }
        HeapStorage.verify("logSoftmax", x, out);
    }

    private void logSoftmax(Storage x, Shape shape, int axis, Storage out, int unused) {
        HeapStorage in = floating(x, "logSoftmax");
        HeapStorage y = HeapStorage.of(out);
        forEachLane(shape, axis, (base, n, step) -> {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, in.getDouble(base + j * step));
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(in.getDouble(base + j * step) - max);
            }
            double logSum = Math.log(sum);
            for (int j = 0; j < n; j++) {
                int p = base + j * step;
                y.setDouble(p, in.getDouble(p) - max - logSum);
            }
        });
    }

    @Override
    public void logSoftmaxBackward(Storage gradOut, Storage y, Shape shape, int axis, Storage gradIn) {
        try {
            logSoftmaxBackward(gradOut, y, shape, axis, gradIn, 0);
        } catch (RuntimeException e) {
            throw HeapStorage.failure("logSoftmaxBackward", e, gradOut, y, gradIn);
        }
        HeapStorage.verify("logSoftmaxBackward", gradOut, y, gradIn);
    }

    private void logSoftmaxBackward(Storage gradOut, Storage y, Shape shape, int axis, Storage gradIn, int unused) {
        HeapStorage dy = floating(gradOut, "logSoftmaxBackward");
        HeapStorage out = HeapStorage.of(y);
        HeapStorage dx = HeapStorage.of(gradIn);
        forEachLane(shape, axis, (base, n, step) -> {
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += dy.getDouble(base + j * step);
            }
            for (int j = 0; j < n; j++) {
                int p = base + j * step;
                dx.setDouble(p, dy.getDouble(p) - Math.exp(out.getDouble(p)) * sum);
            }
        });
    }

    private static HeapStorage floating(Storage s, String kernel) {
        HeapStorage h = HeapStorage.of(s);
        if (!h.dtype().isFloatingPoint()) {
            throw Unsupported.of(kernel, h.dtype());
        }
        return h;
    }

    /** One lane along the axis: elements {@code base + j·step} for {@code j < n}. */
    private interface Lane {
        void apply(int base, int n, int step);
    }

    private static void forEachLane(Shape shape, int axis, Lane lane) {
        if (shape.size() == 0) {
            return;
        }
        int[] dims = shape.dims();
        int n = dims[axis];
        int inner = StridedCursor.inner(dims, axis);
        int outer = StridedCursor.outer(dims, axis);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                lane.apply(o * n * inner + in, n, inner);
            }
        }
    }
}
