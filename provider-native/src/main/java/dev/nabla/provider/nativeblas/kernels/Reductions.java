package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Reductions and scans: {@code reduce} over a set of axes, {@code argReduce} and {@code cumsum} along
 * one axis.
 *
 * <p>{@code reduce} drops size-1 axes and merges neighbouring axes that are both reduced or both
 * kept. When one block of reduced axes remains, the input is {@code [outer, n, inner]} and reducing
 * is either a contiguous lane of {@code n} per output ({@code inner = 1}: four independent
 * accumulators) or rows of {@code inner} added into an accumulator row (vectorizable); both are split
 * across cores for large inputs — a single huge lane into per-thread partial results. A reduced block,
 * a kept one and a reduced one ({@code [a, k, n]} over {@code a} and {@code n}, as NCHW summed over batch and
 * pixels for a bias gradient or batch statistics) combines contiguous lanes of {@code n}. Other axis sets
 * take a general odometer path. Floating values accumulate in {@code double} (float32 rounds once at
 * the end), integers in {@code long} (int32 wraps on store, as the reference does). With the Vector
 * API a float lane is reduced, and a float row added into the accumulator row, by {@code VectorRows}
 * (double lanes for sums, so only the order of the additions changes). Sums are not compensated,
 * unlike the reference backend's Neumaier sums: they agree with it within the conformance kit's
 * tolerances, but not where cancellation swallows small terms.
 */
final class Reductions {
    private final Parallel parallel;
    private final boolean vector;

    /** Reductions split by {@code parallel}, with the Vector API lanes of float operands if {@code vector}. */
    Reductions(Parallel parallel, boolean vector) {
        this.parallel = parallel;
        this.vector = vector;
    }

    /** Lanes shorter than this are reduced by the plain loop: setting up vectors costs more than it saves. */
    private static final long VECTOR_LANE_MIN = 32;

    private double lane(ReduceOp op, DType t, MemorySegment x, long from, long n) {
        return vector && n >= VECTOR_LANE_MIN ? VectorSupport.lane(op, t, x, from, n) : laneDouble(op, t, x, from, n);
    }

    void reduce(ReduceOp op, NativeStorage x, Shape shape, int[] axes, NativeStorage out) {
        DType t = x.dtype();
        if (t == DType.BOOL) {
            throw Unsupported.of("reduce", op, t);
        }
        if (out.size() == 0) {
            return;
        }
        int[] dims = shape.dims();
        boolean[] reduced = new boolean[dims.length];
        for (int a : axes) {
            reduced[a] = true;
        }
        // neighbouring kept axes merged into blocks: block i has blockSize[i] elements, reduced or not
        long[] blockSize = new long[dims.length];
        boolean[] blockReduced = new boolean[dims.length];
        int blocks = 0;
        int reducedBlocks = 0;
        for (int d = 0; d < dims.length; d++) {
            if (dims[d] == 1) {
                continue;
            }
            if (blocks > 0 && blockReduced[blocks - 1] == reduced[d]) {
                blockSize[blocks - 1] *= dims[d];
            } else {
                blockSize[blocks] = dims[d];
                blockReduced[blocks] = reduced[d];
                if (reduced[d]) {
                    reducedBlocks++;
                }
                blocks++;
            }
        }
        if (x.size() > 0 && blocks == 3 && blockReduced[0] && !blockReduced[1] && blockReduced[2]) {
            // [a, k, n] reduced over a and n: a batch-and-pixels reduction of NCHW (a bias's or a
            // BatchNorm2d's gradient and statistics), one contiguous lane of n per (a, k)
            outerLanes(op, t, x.segment(), blockSize[0], blockSize[1], blockSize[2], out.overwrite());
            return;
        }
        if (x.size() == 0 || reducedBlocks > 1) {
            general(op, x, dims, reduced, out);
            return;
        }
        if (reducedBlocks == 0) {
            MemorySegment.copy(x.segment(), 0, out.overwrite(), 0, x.byteSize());
            return;
        }
        long outer = 1;
        long n = 1;
        long inner = 1;
        boolean seen = false;
        for (int i = 0; i < blocks; i++) {
            if (blockReduced[i]) {
                n = blockSize[i];
                seen = true;
            } else if (seen) {
                inner = blockSize[i];
            } else {
                outer = blockSize[i];
            }
        }
        if (inner == 1) {
            lanes(op, t, x.segment(), outer, n, out.overwrite());
        } else {
            rows(op, t, x.segment(), outer, n, inner, out.overwrite());
        }
    }

    // ------------------------------------------------------------------ contiguous lanes (inner == 1)

    private void lanes(ReduceOp op, DType t, MemorySegment x, long outer, long n, MemorySegment out) {
        if (outer == 1 && parallel.threads() > 1 && n >= Parallel.GRAIN) {
            int parts = parallel.threads();
            double[] dp = new double[parts];
            long[] lp = new long[parts];
            parallel.forRange(parts, Parallel.GRAIN, (p0, p1) -> {
                for (long p = p0; p < p1; p++) {
                    long from = n * p / parts;
                    long to = n * (p + 1) / parts;
                    if (t.isFloatingPoint()) {
                        dp[(int) p] = lane(op, t, x, from, to - from);
                    } else {
                        lp[(int) p] = laneLong(op, t, x, from, to - from);
                    }
                }
            });
            if (t.isFloatingPoint()) {
                double r = dp[0];
                for (int p = 1; p < parts; p++) {
                    r = combine(op, r, dp[p]);
                }
                Convert.fromDoubles(new double[] {r}, 1, out, t, 0, 1);
            } else {
                long r = lp[0];
                for (int p = 1; p < parts; p++) {
                    r = combine(op, r, lp[p]);
                }
                Convert.fromLongs(new long[] {r}, 1, out, t, 0, 1);
            }
            return;
        }
        parallel.forRange(outer, n, (o0, o1) -> {
            int len = (int) (o1 - o0);
            if (t.isFloatingPoint()) {
                double[] r = new double[len];
                for (long o = o0; o < o1; o++) {
                    r[(int) (o - o0)] = lane(op, t, x, o * n, n);
                }
                Convert.fromDoubles(r, len, out, t, o0, 1);
            } else {
                long[] r = new long[len];
                for (long o = o0; o < o1; o++) {
                    r[(int) (o - o0)] = laneLong(op, t, x, o * n, n);
                }
                Convert.fromLongs(r, len, out, t, o0, 1);
            }
        });
    }

    /**
     * {@code x [a, k, n]} reduced over {@code a} and {@code n}: output {@code kk} combines the {@code a} contiguous
     * lanes of {@code n} that start at {@code (j·k + kk)·n}, each lane reduced as {@link #lanes} reduces one.
     */
    private void outerLanes(ReduceOp op, DType t, MemorySegment x, long a, long k, long n, MemorySegment out) {
        parallel.forRange(k, a * n, (k0, k1) -> {
            int len = (int) (k1 - k0);
            if (t.isFloatingPoint()) {
                double[] r = new double[len];
                for (long kk = k0; kk < k1; kk++) {
                    double acc = lane(op, t, x, kk * n, n);
                    for (long j = 1; j < a; j++) {
                        acc = combine(op, acc, lane(op, t, x, (j * k + kk) * n, n));
                    }
                    r[(int) (kk - k0)] = acc;
                }
                Convert.fromDoubles(r, len, out, t, k0, 1);
            } else {
                long[] r = new long[len];
                for (long kk = k0; kk < k1; kk++) {
                    long acc = laneLong(op, t, x, kk * n, n);
                    for (long j = 1; j < a; j++) {
                        acc = combine(op, acc, laneLong(op, t, x, (j * k + kk) * n, n));
                    }
                    r[(int) (kk - k0)] = acc;
                }
                Convert.fromLongs(r, len, out, t, k0, 1);
            }
        });
    }

    private static double combine(ReduceOp op, double a, double b) {
        return switch (op) {
            case SUM -> a + b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    private static long combine(ReduceOp op, long a, long b) {
        return switch (op) {
            case SUM -> a + b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    /** Reduces {@code n >= 1} contiguous floating elements from {@code from}. */
    static double laneDouble(ReduceOp op, DType t, MemorySegment x, long from, long n) {
        boolean f32 = t == DType.FLOAT32;
        if (op == ReduceOp.SUM) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            long i = 0;
            if (f32) {
                for (; i + 3 < n; i += 4) {
                    s0 += x.getAtIndex(JAVA_FLOAT, from + i);
                    s1 += x.getAtIndex(JAVA_FLOAT, from + i + 1);
                    s2 += x.getAtIndex(JAVA_FLOAT, from + i + 2);
                    s3 += x.getAtIndex(JAVA_FLOAT, from + i + 3);
                }
                for (; i < n; i++) {
                    s0 += x.getAtIndex(JAVA_FLOAT, from + i);
                }
            } else {
                for (; i + 3 < n; i += 4) {
                    s0 += x.getAtIndex(JAVA_DOUBLE, from + i);
                    s1 += x.getAtIndex(JAVA_DOUBLE, from + i + 1);
                    s2 += x.getAtIndex(JAVA_DOUBLE, from + i + 2);
                    s3 += x.getAtIndex(JAVA_DOUBLE, from + i + 3);
                }
                for (; i < n; i++) {
                    s0 += x.getAtIndex(JAVA_DOUBLE, from + i);
                }
            }
            return (s0 + s1) + (s2 + s3);
        }
        boolean max = op == ReduceOp.MAX;
        double m = max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (f32) {
            for (long i = 0; i < n; i++) {
                double v = x.getAtIndex(JAVA_FLOAT, from + i);
                m = max ? Math.max(m, v) : Math.min(m, v);
            }
        } else {
            for (long i = 0; i < n; i++) {
                double v = x.getAtIndex(JAVA_DOUBLE, from + i);
                m = max ? Math.max(m, v) : Math.min(m, v);
            }
        }
        return m;
    }

    /** Reduces {@code n >= 1} contiguous integer elements from {@code from}, exactly in long. */
    static long laneLong(ReduceOp op, DType t, MemorySegment x, long from, long n) {
        boolean i32 = t == DType.INT32;
        long r = switch (op) {
            case SUM -> 0L;
            case MAX -> Long.MIN_VALUE;
            case MIN -> Long.MAX_VALUE;
        };
        switch (op) {
            case SUM -> {
                if (i32) {
                    for (long i = 0; i < n; i++) {
                        r += x.getAtIndex(JAVA_INT, from + i);
                    }
                } else {
                    for (long i = 0; i < n; i++) {
                        r += x.getAtIndex(JAVA_LONG, from + i);
                    }
                }
            }
            case MAX, MIN -> {
                boolean max = op == ReduceOp.MAX;
                for (long i = 0; i < n; i++) {
                    long v = i32 ? x.getAtIndex(JAVA_INT, from + i) : x.getAtIndex(JAVA_LONG, from + i);
                    r = max ? Math.max(r, v) : Math.min(r, v);
                }
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ rows added into an accumulator row

    private void rows(ReduceOp op, DType t, MemorySegment x, long outer, long n, long inner, MemorySegment out) {
        parallel.forRange(inner, outer * n, (k0, k1) -> {
            int len = (int) (k1 - k0);
            if (t.isFloatingPoint()) {
                double[] acc = new double[len];
                for (long o = 0; o < outer; o++) {
                    Arrays.fill(acc, op == ReduceOp.SUM ? 0.0
                            : op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
                    for (long j = 0; j < n; j++) {
                        long base = (o * n + j) * inner + k0;
                        if (vector) {
                            VectorSupport.accumulate(op, t, x, base, acc, len);
                        } else {
                            accumulate(op, t, x, base, acc, len);
                        }
                    }
                    Convert.fromDoubles(acc, len, out, t, o * inner + k0, 1);
                }
            } else {
                long[] acc = new long[len];
                for (long o = 0; o < outer; o++) {
                    Arrays.fill(acc, op == ReduceOp.SUM ? 0L : op == ReduceOp.MAX ? Long.MIN_VALUE : Long.MAX_VALUE);
                    for (long j = 0; j < n; j++) {
                        long base = (o * n + j) * inner + k0;
                        accumulate(op, t, x, base, acc, len);
                    }
                    Convert.fromLongs(acc, len, out, t, o * inner + k0, 1);
                }
            }
        });
    }

    private static void accumulate(ReduceOp op, DType t, MemorySegment x, long base, double[] acc, int len) {
        if (t == DType.FLOAT32) {
            switch (op) {
                case SUM -> {
                    for (int k = 0; k < len; k++) {
                        acc[k] += x.getAtIndex(JAVA_FLOAT, base + k);
                    }
                }
                case MAX -> {
                    for (int k = 0; k < len; k++) {
                        acc[k] = Math.max(acc[k], x.getAtIndex(JAVA_FLOAT, base + k));
                    }
                }
                case MIN -> {
                    for (int k = 0; k < len; k++) {
                        acc[k] = Math.min(acc[k], x.getAtIndex(JAVA_FLOAT, base + k));
                    }
                }
            }
        } else {
            switch (op) {
                case SUM -> {
                    for (int k = 0; k < len; k++) {
                        acc[k] += x.getAtIndex(JAVA_DOUBLE, base + k);
                    }
                }
                case MAX -> {
                    for (int k = 0; k < len; k++) {
                        acc[k] = Math.max(acc[k], x.getAtIndex(JAVA_DOUBLE, base + k));
                    }
                }
                case MIN -> {
                    for (int k = 0; k < len; k++) {
                        acc[k] = Math.min(acc[k], x.getAtIndex(JAVA_DOUBLE, base + k));
                    }
                }
            }
        }
    }

    private static void accumulate(ReduceOp op, DType t, MemorySegment x, long base, long[] acc, int len) {
        if (t == DType.INT32) {
            switch (op) {
                case SUM -> {
                    for (int k = 0; k < len; k++) {
                        acc[k] += x.getAtIndex(JAVA_INT, base + k);
                    }
                }
                case MAX -> {
                    for (int k = 0; k < len; k++) {
                        acc[k] = Math.max(acc[k], x.getAtIndex(JAVA_INT, base + k));
                    }
                }
                case MIN -> {
                    for (int k = 0; k < len; k++) {
                        acc[k] = Math.min(acc[k], x.getAtIndex(JAVA_INT, base + k));
                    }
                }
            }
        } else {
            switch (op) {
                case SUM -> {
                    for (int k = 0; k < len; k++) {
                        acc[k] += x.getAtIndex(JAVA_LONG, base + k);
                    }
                }
                case MAX -> {
                    for (int k = 0; k < len; k++) {
                        acc[k] = Math.max(acc[k], x.getAtIndex(JAVA_LONG, base + k));
                    }
                }
                case MIN -> {
                    for (int k = 0; k < len; k++) {
                        acc[k] = Math.min(acc[k], x.getAtIndex(JAVA_LONG, base + k));
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ any set of axes

    /** Walks x in order; each element lands on its output offset (reduced axes' strides zeroed). */
    private static void general(ReduceOp op, NativeStorage x, int[] dims, boolean[] reduced, NativeStorage out) {
        DType t = x.dtype();
        int[] outDims = dims.clone();
        for (int d = 0; d < dims.length; d++) {
            if (reduced[d]) {
                outDims[d] = 1;
            }
        }
        long[] outStrides = Shape.of(outDims).strides();
        for (int d = 0; d < dims.length; d++) {
            if (reduced[d]) {
                outStrides[d] = 0;
            }
        }
        int m = Math.toIntExact(out.size());
        long n = x.size();
        Odometer c = Odometer.of(dims, outStrides);
        MemorySegment xs = x.segment();
        if (t.isFloatingPoint()) {
            double[] acc = new double[m];
            Arrays.fill(acc, op == ReduceOp.SUM ? 0.0
                    : op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            double[] buf = new double[Convert.CHUNK];
            for (long i = 0; i < n; i += Convert.CHUNK) {
                int len = (int) Math.min(Convert.CHUNK, n - i);
                Convert.toDoubles(xs, t, i, 1, buf, len);
                for (int j = 0; j < len; j++) {
                    int o = (int) c.at(0);
                    acc[o] = combine(op, acc[o], buf[j]);
                    c.advance();
                }
            }
            Convert.fromDoubles(acc, m, out.overwrite(), t, 0, 1);
        } else {
            long[] acc = new long[m];
            Arrays.fill(acc, op == ReduceOp.SUM ? 0L : op == ReduceOp.MAX ? Long.MIN_VALUE : Long.MAX_VALUE);
            long[] buf = new long[Convert.CHUNK];
            for (long i = 0; i < n; i += Convert.CHUNK) {
                int len = (int) Math.min(Convert.CHUNK, n - i);
                Convert.toLongs(xs, t, i, 1, buf, len);
                for (int j = 0; j < len; j++) {
                    int o = (int) c.at(0);
                    acc[o] = combine(op, acc[o], buf[j]);
                    c.advance();
                }
            }
            Convert.fromLongs(acc, m, out.overwrite(), t, 0, 1);
        }
    }

    // ------------------------------------------------------------------ argmax / argmin, cumsum

    void argReduce(boolean max, NativeStorage x, Shape shape, int axis, NativeStorage out) {
        if (out.size() == 0) {
            return;
        }
        int[] dims = shape.dims();
        int n = dims[axis];
        long inner = product(dims, axis + 1, dims.length);
        long outer = product(dims, 0, axis);
        DType t = x.dtype();
        MemorySegment xs = x.segment();
        MemorySegment os = out.overwrite();
        parallel.forRange(outer * inner, n, (l0, l1) -> {
            double[] dbuf = t.isFloatingPoint() ? new double[n] : null;
            long[] lbuf = t.isFloatingPoint() ? null : new long[n];
            for (long lane = l0; lane < l1; lane++) {
                long o = lane / inner;
                long k = lane % inner;
                long base = o * n * inner + k;
                int best = 0;
                if (dbuf != null) {
                    Convert.toDoubles(xs, t, base, inner, dbuf, n);
                    best = argFloating(max, dbuf, n);
                } else if (n > 0) {
                    Convert.toLongs(xs, t, base, inner, lbuf, n);
                    long bestValue = lbuf[0];
                    for (int j = 1; j < n; j++) {
                        long v = lbuf[j];
                        if (max ? v > bestValue : v < bestValue) {
                            best = j;
                            bestValue = v;
                        }
                    }
                }
                os.setAtIndex(JAVA_LONG, lane, best);
            }
        });
    }

    /** The first extreme of {@code v[0..n)}; the first NaN wins outright (NumPy's choice). */
    private static int argFloating(boolean max, double[] v, int n) {
        if (n == 0 || Double.isNaN(v[0])) {
            return 0;
        }
        int best = 0;
        double bestValue = v[0];
        for (int j = 1; j < n; j++) {
            double x = v[j];
            if (Double.isNaN(x)) {
                return j;
            }
            if (max ? x > bestValue : x < bestValue) {
                best = j;
                bestValue = x;
            }
        }
        return best;
    }

    void cumsum(NativeStorage x, Shape shape, int axis, NativeStorage out) {
        DType t = x.dtype();
        if (t == DType.BOOL) {
            throw Unsupported.of("cumsum", t);
        }
        if (x.size() == 0) {
            return;
        }
        int[] dims = shape.dims();
        int n = dims[axis];
        long inner = product(dims, axis + 1, dims.length);
        long outer = product(dims, 0, axis);
        MemorySegment xs = x.segment();
        MemorySegment os = out.overwrite();
        parallel.forRange(outer * inner, n, (l0, l1) -> {
            double[] dbuf = t.isFloatingPoint() ? new double[n] : null;
            long[] lbuf = t.isFloatingPoint() ? null : new long[n];
            for (long lane = l0; lane < l1; lane++) {
                long base = (lane / inner) * n * inner + lane % inner;
                if (dbuf != null) {
                    Convert.toDoubles(xs, t, base, inner, dbuf, n);
                    for (int j = 1; j < n; j++) {
                        dbuf[j] += dbuf[j - 1];
                    }
                    Convert.fromDoubles(dbuf, n, os, t, base, inner);
                } else {
                    Convert.toLongs(xs, t, base, inner, lbuf, n);
                    for (int j = 1; j < n; j++) {
                        lbuf[j] += lbuf[j - 1];
                    }
                    Convert.fromLongs(lbuf, n, os, t, base, inner);
                }
            }
        });
    }

    static long product(int[] dims, int from, int to) {
        long p = 1;
        for (int d = from; d < to; d++) {
            p *= dims[d];
        }
        return p;
    }
}
