package dev.nabla.provider.reference.kernels;

import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.reference.storage.HeapStorage;

/**
 * Reductions and scans: {@code reduce} over a set of axes, {@code argReduce} along one axis, and
 * {@code cumsum}.
 *
 * <p>Floating sums are compensated (Neumaier) in {@code double}, so the reference is at least as accurate
 * as any provider it judges; integer sums are exact in {@code long} and wrap on store for int32.
 */
final class Reductions {
    private Reductions() {
    }

    static void reduce(ReduceOp op, HeapStorage x, Shape shape, int[] axes, HeapStorage out) {
        DType dtype = x.dtype();
        if (dtype == DType.BOOL) {
            throw Unsupported.of("reduce", op, dtype);
        }
        // Walk x in order; each element lands on the out offset with the reduced axes' strides zeroed.
        int[] dims = shape.dims();
        int[] outDims = dims.clone();
        for (int axis : axes) {
            outDims[axis] = 1;
        }
        long[] outStrides = Shape.of(outDims).strides();
        for (int axis : axes) {
            outStrides[axis] = 0;
        }
        int m = out.length();
        int n = x.length();
        StridedCursor c = StridedCursor.over(dims, outStrides);
        if (dtype.isFloatingPoint()) {
            double[] acc = new double[m];
            if (op == ReduceOp.SUM) {
                double[] comp = new double[m];
                for (int i = 0; i < n; i++) {
                    int o = c.at(0);
                    double v = x.getDouble(i);
                    double t = acc[o] + v;
                    comp[o] += Math.abs(acc[o]) >= Math.abs(v) ? (acc[o] - t) + v : (v - t) + acc[o];
                    acc[o] = t;
                    c.advance();
                }
                for (int o = 0; o < m; o++) {
                    // An infinite or NaN partial sum makes the compensation NaN; keep the plain sum then.
                    out.setDouble(o, Double.isFinite(acc[o]) ? acc[o] + comp[o] : acc[o]);
                }
            } else {
                boolean max = op == ReduceOp.MAX;
                java.util.Arrays.fill(acc, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
                for (int i = 0; i < n; i++) {
                    int o = c.at(0);
                    double v = x.getDouble(i);
                    acc[o] = max ? Math.max(acc[o], v) : Math.min(acc[o], v);
                    c.advance();
                }
                for (int o = 0; o < m; o++) {
                    out.setDouble(o, acc[o]);
                }
            }
        } else {
            long[] acc = new long[m];
            if (op != ReduceOp.SUM) {
                java.util.Arrays.fill(acc, op == ReduceOp.MAX ? Long.MIN_VALUE : Long.MAX_VALUE);
            }
            for (int i = 0; i < n; i++) {
                int o = c.at(0);
                long v = x.getLong(i);
                acc[o] = switch (op) {
                    case SUM -> acc[o] + v;
                    case MAX -> Math.max(acc[o], v);
                    case MIN -> Math.min(acc[o], v);
                };
                c.advance();
            }
            for (int o = 0; o < m; o++) {
                out.setLong(o, acc[o]);
            }
        }
    }

    static void argReduce(boolean max, HeapStorage x, Shape shape, int axis, HeapStorage.Int64 out) {
        long[] result = out.data();
        if (result.length == 0) {
            return;
        }
        int[] dims = shape.dims();
        int n = dims[axis];
        int inner = StridedCursor.inner(dims, axis);
        int outer = result.length / Math.max(inner, 1);
        boolean floating = x.dtype().isFloatingPoint();
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in;
                int best = 0;
                if (floating) {
                    best = argFloating(max, x, base, n, inner);
                } else if (n > 0) {
                    long bestValue = x.getLong(base);
                    for (int j = 1; j < n; j++) {
                        long v = x.getLong(base + j * inner);
                        if (max ? v > bestValue : v < bestValue) {
                            best = j;
                            bestValue = v;
                        }
                    }
                }
                result[o * inner + in] = best;
            }
        }
    }

    /** The first extreme of {@code n} doubles at {@code base + j·step}; the first NaN wins outright. */
    private static int argFloating(boolean max, HeapStorage x, int base, int n, int step) {
        int best = 0;
        double bestValue = n > 0 ? x.getDouble(base) : 0.0;
        if (Double.isNaN(bestValue)) {
            return 0;
        }
        for (int j = 1; j < n; j++) {
            double v = x.getDouble(base + j * step);
            if (Double.isNaN(v)) {
                return j;
            }
            if (max ? v > bestValue : v < bestValue) {
                best = j;
                bestValue = v;
            }
        }
        return best;
    }

    static void cumsum(HeapStorage x, Shape shape, int axis, HeapStorage out) {
        DType dtype = x.dtype();
        if (dtype == DType.BOOL) {
            throw Unsupported.of("cumsum", dtype);
        }
        int size = x.length();
        if (size == 0) {
            return;
        }
        int[] dims = shape.dims();
        int n = dims[axis];
        int inner = StridedCursor.inner(dims, axis);
        int outer = size / (n * inner);
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * n * inner + in;
                if (dtype.isFloatingPoint()) {
                    double sum = 0;
                    double comp = 0;
                    for (int j = 0; j < n; j++) {
                        int p = base + j * inner;
                        double v = x.getDouble(p);
                        double t = sum + v;
                        comp += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
                        sum = t;
                        out.setDouble(p, Double.isFinite(sum) ? sum + comp : sum);
                    }
                } else {
                    long sum = 0;
                    for (int j = 0; j < n; j++) {
                        int p = base + j * inner;
                        sum += x.getLong(p);
                        out.setLong(p, sum);
                    }
                }
            }
        }
    }
}
