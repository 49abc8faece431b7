package dev.nabla.provider.nativeblas.kernels;

import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * The fused log-softmax of the native backend, one pass per lane instead of the five kernels (max,
 * sub, exp, sum, log) and four temporaries of the composed version:
 * <pre>
 *   y_i  = x_i − m − log Σ_j e^(x_j − m),   m = max_j x_j
 *   dx_i = dy_i − e^(y_i) · Σ_j dy_j
 * </pre>
 * Each lane (the elements along the axis) is staged in a {@code double} buffer, computed in double
 * and written back (rounded once for float32); the input is read completely before the output is
 * written, so {@code out} may alias {@code x}. Lanes are split across cores for large inputs.
 */
public final class NativeLogSoftmax implements LogSoftmaxKernel {
    private final Parallel parallel;

    /** The kernel, splitting large inputs with {@code parallel}. */
    public NativeLogSoftmax(Parallel parallel) {
        this.parallel = parallel;
    }

    @Override
    public void logSoftmax(Storage x, Shape shape, int axis, Storage out) {
        NativeStorage in = floating(x, "logSoftmax");
        NativeStorage y = NativeStorage.pin(out);
        try {
            logSoftmax(in, y, shape, axis);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("logSoftmax", e, in, y);
        } finally {
            y.unpin();
        }
        NativeStorage.verify("logSoftmax", in);
    }

    private void logSoftmax(NativeStorage in, NativeStorage y, Shape shape, int axis) {
        DType t = in.dtype();
        MemorySegment xs = in.segment();
        MemorySegment ys = y.overwrite();
        forEachLane(shape, axis, (base, n, step, buf, unused) -> {
            Convert.toDoubles(xs, t, base, step, buf, n);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, buf[j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(buf[j] - max);
            }
            double shift = max + Math.log(sum);
            for (int j = 0; j < n; j++) {
                buf[j] = buf[j] - shift;
            }
            Convert.fromDoubles(buf, n, ys, t, base, step);
        });
    }

    @Override
    public void logSoftmaxBackward(Storage gradOut, Storage y, Shape shape, int axis, Storage gradIn) {
        NativeStorage dy = floating(gradOut, "logSoftmaxBackward");
        NativeStorage out = NativeStorage.of(y);
        NativeStorage dx = NativeStorage.pin(gradIn);
        try {
            logSoftmaxBackward(dy, out, dx, shape, axis);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("logSoftmaxBackward", e, dy, out, dx);
        } finally {
            dx.unpin();
        }
        NativeStorage.verify("logSoftmaxBackward", dy, out);
    }

    private void logSoftmaxBackward(NativeStorage dy, NativeStorage out, NativeStorage dx, Shape shape, int axis) {
        DType t = dy.dtype();
        MemorySegment dys = dy.segment();
        MemorySegment ys = out.segment();
        MemorySegment dxs = dx.overwrite();
        forEachLane(shape, axis, (base, n, step, g, v) -> {
            Convert.toDoubles(dys, t, base, step, g, n);
            Convert.toDoubles(ys, t, base, step, v, n);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += g[j];
            }
            for (int j = 0; j < n; j++) {
                g[j] = g[j] - Math.exp(v[j]) * sum;
            }
            Convert.fromDoubles(g, n, dxs, t, base, step);
        });
    }

    private static NativeStorage floating(Storage s, String kernel) {
        NativeStorage n = NativeStorage.of(s);
        if (!n.dtype().isFloatingPoint()) {
            throw Unsupported.of(kernel, n.dtype());
        }
        return n;
    }

    /** One lane: elements {@code base + j·step} for {@code j < n}, with two scratch buffers of n. */
    private interface Lane {
        void apply(long base, int n, long step, double[] buf, double[] buf2);
    }

    private void forEachLane(Shape shape, int axis, Lane lane) {
        if (shape.size() == 0) {
            return;
        }
        int[] dims = shape.dims();
        int n = dims[axis];
        long inner = Reductions.product(dims, axis + 1, dims.length);
        long outer = Reductions.product(dims, 0, axis);
        parallel.forRange(outer * inner, 4L * n, (l0, l1) -> {
            double[] buf = new double[n];
            double[] buf2 = new double[n];
            for (long l = l0; l < l1; l++) {
                lane.apply((l / inner) * n * inner + l % inner, n, inner, buf, buf2);
            }
        });
    }
}
