package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
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
 * written, so {@code out} may alias {@code x}. Lanes are split across cores for large inputs. Contiguous
 * float32 lanes (the last axis: a classifier's logits) are staged in float arrays instead and their
 * exponentials taken by the backend's float exp loop (the Vector API one when the backend uses it), with the
 * sums in double: the same formulas, without a scalar double {@code exp} per element.
 */
public final class NativeLogSoftmax implements LogSoftmaxKernel {
    private final Parallel parallel;
    private final UnaryRows.Loop expF32;

    /** The kernel, splitting large inputs with {@code parallel}, with the plain float exp loop. */
    public NativeLogSoftmax(Parallel parallel) {
        this(parallel, false);
    }

    /**
     * The kernel.
     *
     * @param parallel where large inputs are split
     * @param vector   whether float32 lanes use the Vector API's exp loop
     */
    public NativeLogSoftmax(Parallel parallel, boolean vector) {
        this.parallel = parallel;
        UnaryRows.Loop v = vector ? VectorSupport.unary(UnaryOp.EXP, DType.FLOAT32) : null;
        this.expF32 = v != null ? v : UnaryRows.of(UnaryOp.EXP, DType.FLOAT32);
    }

    @Override
    public void logSoftmax(Storage x, Shape shape, int axis, Storage out) {
        NativeStorage in = KernelOperands.floating(x, "logSoftmax");
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
        if (t == DType.FLOAT32 && axis == shape.rank() - 1) {
            forEachRowF32(shape, (base, n, x, e) -> {
                MemorySegment.copy(xs, JAVA_FLOAT, base << 2, x, 0, n);
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    max = Math.max(max, x[j]);
                }
                for (int j = 0; j < n; j++) {
                    e[j] = x[j] - max;
                }
                MemorySegment es = MemorySegment.ofArray(e);
                expF32.run(es, es, 0, n);
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += e[j];
                }
                double shift = max + Math.log(sum);
                for (int j = 0; j < n; j++) {
                    x[j] = (float) (x[j] - shift);
                }
                MemorySegment.copy(x, 0, ys, JAVA_FLOAT, base << 2, n);
            });
            return;
        }
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
        NativeStorage dy = KernelOperands.floating(gradOut, "logSoftmaxBackward");
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
        if (t == DType.FLOAT32 && axis == shape.rank() - 1) {
            forEachRowF32(shape, (base, n, g, v) -> {
                MemorySegment.copy(dys, JAVA_FLOAT, base << 2, g, 0, n);
                MemorySegment.copy(ys, JAVA_FLOAT, base << 2, v, 0, n);
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += g[j];
                }
                MemorySegment vs = MemorySegment.ofArray(v);
                expF32.run(vs, vs, 0, n);
                float s = (float) sum;
                for (int j = 0; j < n; j++) {
                    g[j] = g[j] - v[j] * s;
                }
                MemorySegment.copy(g, 0, dxs, JAVA_FLOAT, base << 2, n);
            });
            return;
        }
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

    /** One lane: elements {@code base + j·step} for {@code j < n}, with two scratch buffers of n. */
    private interface Lane {
        void apply(long base, int n, long step, double[] buf, double[] buf2);
    }

    /** One contiguous float32 row: elements {@code base + j} for {@code j < n}, with two float scratch rows of n. */
    private interface RowF32 {
        void apply(long base, int n, float[] a, float[] b);
    }

    private void forEachRowF32(Shape shape, RowF32 row) {
        if (shape.size() == 0) {
            return;
        }
        int n = shape.dims()[shape.rank() - 1];
        long rows = shape.size() / n;
        parallel.forRange(rows, 4L * n, (r0, r1) -> {
            float[] a = new float[n];
            float[] b = new float[n];
            for (long r = r0; r < r1; r++) {
                row.apply(r * n, n, a, b);
            }
        });
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
