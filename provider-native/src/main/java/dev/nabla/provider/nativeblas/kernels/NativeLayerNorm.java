package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.nabla.api.backend.LayerNormKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The fused layer normalisation of the native backend: one pass per row forward and one backward, instead of the
 * dozen kernels and temporaries of the composed form (mean, sub, square, mean, add, sqrt, div, mul, add, and
 * their gradients with broadcast copies and reductions):
 * <pre>
 *   μ = mean(x),  r = 1 / sqrt(mean((x − μ)²) + ε),  x̂ = (x − μ)·r,  y = x̂·γ + β
 *   ∂x = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)),  ĝ = ∂y·γ;   ∂γ = Σ_rows ∂y·x̂,   ∂β = Σ_rows ∂y
 * </pre>
 * Each row is staged in a heap array by a bulk copy. float32 rows on a backend that uses the Vector API are
 * computed in float by {@code VectorFusedRows} (each sum kept in float lanes, the lanes added in double); the
 * backward's sums over rows ({@code ∂γ}, {@code ∂β}) gather a block of rows (at most 32, about 4,096 floats,
 * staged by one bulk copy) in float, then go into double. Otherwise a
 * row is widened to double, computed in double with four independent accumulators per sum and written back
 * (rounded once for float32). Rows are split across cores for large inputs; the sums over rows are kept per part
 * and added in part order, so a result does not depend on which thread finished first.
 */
public final class NativeLayerNorm implements LayerNormKernel {
    /** Rows at most whose float32 contributions to ∂γ and ∂β are added in float before they go into double. */
    private static final int FLOAT_BLOCK = 32;

    private final Parallel parallel;
    private final boolean vector;

    /**
     * The kernel.
     *
     * @param parallel where large inputs are split
     * @param vector   whether float32 rows use the Vector API ({@code VectorFusedRows})
     */
    public NativeLayerNorm(Parallel parallel, boolean vector) {
        this.parallel = parallel;
        this.vector = vector;
    }

    @Override
    public void layerNorm(Storage x, long rows, int cols, Storage weight, Storage bias, double eps, Storage out,
                          Storage mean, Storage rstd) {
        String kernel = "layerNorm";
        NativeStorage in = KernelOperands.floating(x, kernel);
        NativeStorage w = weight == null ? null : NativeStorage.of(weight);
        NativeStorage b = bias == null ? null : NativeStorage.of(bias);
        NativeStorage y = NativeStorage.pin(out);
        NativeStorage mu = NativeStorage.pin(mean);
        NativeStorage rs = NativeStorage.pin(rstd);
        try {
            forward(in, rows, cols, w, b, eps, y, mu, rs);
        } catch (RuntimeException e) {
            throw NativeStorage.failure(kernel, e, in, w, b, y, mu, rs);
        } finally {
            y.unpin();
            mu.unpin();
            rs.unpin();
        }
        KernelOperands.verifyRead(kernel, in, w, b);
    }

    private void forward(NativeStorage in, long rows, int cols, NativeStorage w, NativeStorage b, double eps,
                         NativeStorage y, NativeStorage mu, NativeStorage rs) {
        DType t = in.dtype();
        if (vector && t == DType.FLOAT32) {
            forwardVectorF32(in, rows, cols, w, b, eps, y, mu, rs);
            return;
        }
        MemorySegment xs = in.segment();
        double[] gamma = w == null ? null : KernelOperands.loadRow(w.segment(), t, 0, cols);
        double[] beta = b == null ? null : KernelOperands.loadRow(b.segment(), t, 0, cols);
        MemorySegment ys = y.overwrite();
        MemorySegment ms = mu.overwrite();
        MemorySegment rss = rs.overwrite();
        parallel.forRange(rows, 6L * cols, (r0, r1) -> {
            double[] row = new double[cols];
            float[] staging = t == DType.FLOAT32 ? new float[cols] : null;
            for (long r = r0; r < r1; r++) {
                long base = r * cols;
                KernelOperands.read(xs, t, base, row, staging, cols);
                double m = sum(row, cols) / cols;
                double v0 = 0;
                double v1 = 0;
                double v2 = 0;
                double v3 = 0;
                int j = 0;
                for (; j + 3 < cols; j += 4) {
                    double d0 = row[j] - m;
                    double d1 = row[j + 1] - m;
                    double d2 = row[j + 2] - m;
                    double d3 = row[j + 3] - m;
                    v0 += d0 * d0;
                    v1 += d1 * d1;
                    v2 += d2 * d2;
                    v3 += d3 * d3;
                }
                for (; j < cols; j++) {
                    double d = row[j] - m;
                    v0 += d * d;
                }
                double inv = 1 / Math.sqrt(((v0 + v1) + (v2 + v3)) / cols + eps);
                for (j = 0; j < cols; j++) {
                    row[j] = (row[j] - m) * inv;
                }
                if (gamma != null) {
                    for (j = 0; j < cols; j++) {
                        row[j] *= gamma[j];
                    }
                }
                if (beta != null) {
                    for (j = 0; j < cols; j++) {
                        row[j] += beta[j];
                    }
                }
                KernelOperands.write(row, staging, ys, t, base, cols);
                KernelOperands.store(ms, t, r, m);
                KernelOperands.store(rss, t, r, inv);
            }
        });
    }

    private void forwardVectorF32(NativeStorage in, long rows, int cols, NativeStorage w, NativeStorage b, double eps,
                                  NativeStorage y, NativeStorage mu, NativeStorage rs) {
        MemorySegment xs = in.segment();
        float[] gamma = w == null ? null : loadF32(w.segment(), cols);
        float[] beta = b == null ? null : loadF32(b.segment(), cols);
        MemorySegment ys = y.overwrite();
        MemorySegment ms = mu.overwrite();
        MemorySegment rss = rs.overwrite();
        int block = rowsPerCopy(cols);
        parallel.forRange(rows, 6L * cols, (r0, r1) -> {
            float[] buf = new float[block * cols];
            float[] stats = new float[2];
            for (long r = r0; r < r1; r += block) {
                int count = (int) Math.min(block, r1 - r);
                long at = r * cols * Float.BYTES;
                MemorySegment.copy(xs, JAVA_FLOAT, at, buf, 0, count * cols);
                for (int k = 0; k < count; k++) {
                    VectorSupport.layerNormF32(buf, k * cols, cols, gamma, beta, eps, stats);
                    ms.setAtIndex(JAVA_FLOAT, r + k, stats[0]);
                    rss.setAtIndex(JAVA_FLOAT, r + k, stats[1]);
                }
                MemorySegment.copy(buf, 0, ys, JAVA_FLOAT, at, count * cols);
            }
        });
    }

    /** Rows staged per bulk copy: about 4,096 floats, so that short rows do not pay a copy each. */
    private static int rowsPerCopy(int cols) {
        return Math.max(1, Math.min(FLOAT_BLOCK, 4096 / Math.max(1, cols)));
    }

    @Override
    public void layerNormBackward(Storage gradOut, Storage x, Storage mean, Storage rstd, Storage weight, long rows,
                                  int cols, Storage gradIn, Storage gradWeight, Storage gradBias) {
        String kernel = "layerNormBackward";
        NativeStorage dy = KernelOperands.floating(gradOut, kernel);
        NativeStorage in = NativeStorage.of(x);
        NativeStorage mu = NativeStorage.of(mean);
        NativeStorage rs = NativeStorage.of(rstd);
        NativeStorage w = weight == null ? null : NativeStorage.of(weight);
        NativeStorage dx = NativeStorage.pin(gradIn);
        NativeStorage dw = gradWeight == null ? null : NativeStorage.pin(gradWeight);
        NativeStorage db = gradBias == null ? null : NativeStorage.pin(gradBias);
        try {
            backward(dy, in, mu, rs, w, rows, cols, dx, dw, db);
        } catch (RuntimeException e) {
            throw NativeStorage.failure(kernel, e, dy, in, mu, rs, w, dx, dw, db);
        } finally {
            dx.unpin();
            if (dw != null) {
                dw.unpin();
            }
            if (db != null) {
                db.unpin();
            }
        }
        KernelOperands.verifyRead(kernel, dy, in, mu);
        KernelOperands.verifyRead(kernel, rs, w, null);
    }

    private void backward(NativeStorage dy, NativeStorage in, NativeStorage mu, NativeStorage rs, NativeStorage w,
                          long rows, int cols, NativeStorage dx, NativeStorage dw, NativeStorage db) {
        DType t = dy.dtype();
        if (vector && t == DType.FLOAT32) {
            backwardVectorF32(dy, in, mu, rs, w, rows, cols, dx, dw, db);
            return;
        }
        MemorySegment dys = dy.segment();
        MemorySegment xs = in.segment();
        MemorySegment ms = mu.segment();
        MemorySegment rss = rs.segment();
        double[] gamma = w == null ? null : KernelOperands.loadRow(w.segment(), t, 0, cols);
        MemorySegment dxs = dx.overwrite();
        boolean sums = dw != null || db != null;
        // the sums over rows are kept per part: a fixed split, added in order
        int parts = (int) Math.max(1, Math.min(parallel.threads(), rows));
        double[][] partW = new double[parts][];
        double[][] partB = new double[parts][];
        parallel.forRange(parts, rows * cols * 8 / parts, (p0, p1) -> {
            double[] g = new double[cols];
            double[] xh = new double[cols];
            float[] staging = t == DType.FLOAT32 ? new float[cols] : null;
            for (long p = p0; p < p1; p++) {
                double[] pw = sums ? new double[cols] : null;
                double[] pb = sums ? new double[cols] : null;
                for (long r = rows * p / parts, end = rows * (p + 1) / parts; r < end; r++) {
                    long base = r * cols;
                    KernelOperands.read(dys, t, base, g, staging, cols);
                    KernelOperands.read(xs, t, base, xh, staging, cols);
                    double m = KernelOperands.load(ms, t, r);
                    double rr = KernelOperands.load(rss, t, r);
                    for (int j = 0; j < cols; j++) {
                        xh[j] = (xh[j] - m) * rr;
                    }
                    if (sums) {
                        for (int j = 0; j < cols; j++) {
                            pb[j] += g[j];
                            pw[j] += g[j] * xh[j];
                        }
                    }
                    if (gamma != null) {
                        for (int j = 0; j < cols; j++) {
                            g[j] *= gamma[j];
                        }
                    }
                    double a = sum(g, cols) / cols;
                    double c = dot(g, xh, cols) / cols;
                    for (int j = 0; j < cols; j++) {
                        g[j] = rr * (g[j] - a - xh[j] * c);
                    }
                    KernelOperands.write(g, staging, dxs, t, base, cols);
                }
                partW[(int) p] = pw;
                partB[(int) p] = pb;
            }
        });
        writeSums(partW, partB, parts, cols, t, dw, db);
    }

    private void backwardVectorF32(NativeStorage dy, NativeStorage in, NativeStorage mu, NativeStorage rs,
                                   NativeStorage w, long rows, int cols, NativeStorage dx, NativeStorage dw,
                                   NativeStorage db) {
        MemorySegment dys = dy.segment();
        MemorySegment xs = in.segment();
        MemorySegment ms = mu.segment();
        MemorySegment rss = rs.segment();
        float[] gamma = w == null ? null : loadF32(w.segment(), cols);
        MemorySegment dxs = dx.overwrite();
        boolean sums = dw != null || db != null;
        int parts = (int) Math.max(1, Math.min(parallel.threads(), rows));
        double[][] partW = new double[parts][];
        double[][] partB = new double[parts][];
        int block = rowsPerCopy(cols);
        parallel.forRange(parts, rows * cols * 8 / parts, (p0, p1) -> {
            float[] g = new float[block * cols];
            float[] x = new float[block * cols];
            float[] blockW = sums ? new float[cols] : null;
            float[] blockB = sums ? new float[cols] : null;
            for (long p = p0; p < p1; p++) {
                double[] pw = sums ? new double[cols] : null;
                double[] pb = sums ? new double[cols] : null;
                for (long r = rows * p / parts, end = rows * (p + 1) / parts; r < end; r += block) {
                    // a block of rows: one copy in and out, and their float sums into double at its end
                    int count = (int) Math.min(block, end - r);
                    long at = r * cols * Float.BYTES;
                    MemorySegment.copy(dys, JAVA_FLOAT, at, g, 0, count * cols);
                    MemorySegment.copy(xs, JAVA_FLOAT, at, x, 0, count * cols);
                    for (int k = 0; k < count; k++) {
                        VectorSupport.layerNormBackwardF32(g, x, k * cols, cols, ms.getAtIndex(JAVA_FLOAT, r + k),
                                rss.getAtIndex(JAVA_FLOAT, r + k), gamma, blockW, blockB);
                    }
                    MemorySegment.copy(g, 0, dxs, JAVA_FLOAT, at, count * cols);
                    if (sums) {
                        for (int j = 0; j < cols; j++) {
                            pw[j] += blockW[j];
                            pb[j] += blockB[j];
                        }
                        Arrays.fill(blockW, 0f);
                        Arrays.fill(blockB, 0f);
                    }
                }
                partW[(int) p] = pw;
                partB[(int) p] = pb;
            }
        });
        writeSums(partW, partB, parts, cols, DType.FLOAT32, dw, db);
    }

    /** ∂γ and ∂β (each when asked for): the parts' sums over rows added in part order. */
    private static void writeSums(double[][] partW, double[][] partB, int parts, int cols, DType t, NativeStorage dw,
                                  NativeStorage db) {
        if (dw != null || db != null) {
            double[] sw = new double[cols];
            double[] sb = new double[cols];
            for (int p = 0; p < parts; p++) {
                for (int j = 0; j < cols; j++) {
                    sw[j] += partW[p][j];
                    sb[j] += partB[p][j];
                }
            }
            float[] staging = t == DType.FLOAT32 ? new float[cols] : null;
            if (dw != null) {
                KernelOperands.write(sw, staging, dw.overwrite(), t, 0, cols);
            }
            if (db != null) {
                KernelOperands.write(sb, staging, db.overwrite(), t, 0, cols);
            }
        }
    }

    // ------------------------------------------------------------------ rows

    /** Σ v[j] for j < n, with four independent accumulators. */
    private static double sum(double[] v, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += v[j];
            s1 += v[j + 1];
            s2 += v[j + 2];
            s3 += v[j + 3];
        }
        for (; j < n; j++) {
            s0 += v[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ a[j]·b[j] for j < n, with four independent accumulators. */
    private static double dot(double[] a, double[] b, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < n; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static float[] loadF32(MemorySegment s, int n) {
        float[] v = new float[n];
        MemorySegment.copy(s, JAVA_FLOAT, 0, v, 0, n);
        return v;
    }
}
