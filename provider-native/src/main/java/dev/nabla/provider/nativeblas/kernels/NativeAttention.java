package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.nabla.api.backend.AttentionKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.StridedAttentionKernel;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The fused scaled dot-product attention of the native backend (see {@link AttentionKernel} for the
 * equations): per head, two GEMMs forward and four backward through the backend's {@link Gemm} on slices
 * of the operands (no copies, the transposes are BLAS flags), and one pass per row of the scores between
 * them — instead of the matmul, scale, mask, log-softmax, exp and matmul kernels and their temporaries of
 * the composed op, and their backward. The row passes work on a copy of the row in a heap array (the
 * float32 ones in the Vector API, {@code VectorRows}, when the backend uses it).
 *
 * <p>Forward, head {@code b}: {@code S = Q·Kᵀ} by GEMM straight into the weights {@code P}; then per row
 * {@code i}, over the keys it may see ({@code j <= i} when causal), {@code x = scale·s + m}, the row
 * maximum, {@code e^(x − max)} by the backend's exp loop (the Vector API one when the backend uses it),
 * its sum (in double) and one multiplication by its inverse; the keys it may not see get 0; a row with no
 * finite score gets NaN, as the composed softmax gives. Then {@code O = P·V} by GEMM. Backward:
 * {@code ∂V = Pᵀ·∂O} and {@code ∂P = ∂O·Vᵀ} by GEMM (the latter into a scratch block of one head,
 * plus the given {@code ∂L/∂P}), per row {@code ∂S = P ⊙ (∂P − ⟨∂P, P⟩)} scaled by {@code scale} in
 * place, then {@code ∂Q = ∂S·K} and {@code ∂K = ∂Sᵀ·Q} by GEMM. float32 rows are computed in float with
 * the sums in double; float64 in double. Heads are split across cores when there are enough of them.
 */
public final class NativeAttention implements AttentionKernel, StridedAttentionKernel {
    private final Gemm gemm;
    private final Parallel parallel;
    private final UnaryRows.Loop expF32;
    private final UnaryRows.Loop expF64;
    private final boolean vector;

    /**
     * The kernel.
     *
     * @param gemm     the backend's matrix product
     * @param parallel where many heads are split
     * @param vector   whether to use the Vector API loops for exp and sums
     */
    public NativeAttention(Gemm gemm, Parallel parallel, boolean vector) {
        this.gemm = gemm;
        this.parallel = parallel;
        this.vector = vector;
        this.expF32 = loop(DType.FLOAT32, vector);
        this.expF64 = loop(DType.FLOAT64, vector);
    }

    private static UnaryRows.Loop loop(DType dtype, boolean vector) {
        UnaryRows.Loop v = vector ? VectorSupport.unary(UnaryOp.EXP, dtype) : null;
        return v != null ? v : UnaryRows.of(UnaryOp.EXP, dtype);
    }

    private static NativeStorage floating(Storage s, String kernel) {
        NativeStorage n = NativeStorage.of(s);
        if (n.dtype() != DType.FLOAT32 && n.dtype() != DType.FLOAT64) {
            throw Unsupported.of(kernel, n.dtype());
        }
        return n;
    }

    /**
     * {@code C = op(A)·op(B)} ({@code [m, n]}, inner size {@code k}) on element offsets and leading dimensions of
     * row-major segments, in the dtype of the call.
     */
    private void mm(boolean f32, boolean ta, boolean tb, int m, int n, int k, MemorySegment a, long ao, int lda,
                    MemorySegment b, long bo, int ldb, MemorySegment c, long co, int ldc) {
        long es = f32 ? 4 : 8;
        MemorySegment pa = a.asSlice(ao * es, extent(ta ? k : m, ta ? m : k, lda) * es);
        MemorySegment pb = b.asSlice(bo * es, extent(tb ? n : k, tb ? k : n, ldb) * es);
        MemorySegment pc = c.asSlice(co * es, extent(m, n, ldc) * es);
        if (f32) {
            gemm.sgemm(ta, tb, m, n, k, pa, lda, pb, ldb, pc, ldc);
        } else {
            gemm.dgemm(ta, tb, m, n, k, pa, lda, pb, ldb, pc, ldc);
        }
    }

    /** Elements spanned by a {@code [rows, cols]} matrix whose rows are {@code ld} apart. */
    private static long extent(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    }

    /** Checks that every head of {@code o}, a {@code [rows, cols]} matrix, lies inside {@code s}. */
    private static void checkOperand(String kernel, String name, NativeStorage s, Operand o,
                                     StridedAttentionKernel.Sizes sizes, int rows, int cols) {
        if (sizes.n() == 0 || rows == 0 || cols == 0) {
            return;
        }
        if (o.rowStride() < cols) {
            throw new IllegalArgumentException("native backend: " + kernel + ": " + name + " rows " + o.rowStride()
                    + " apart overlap their " + cols + " columns");
        }
        long last = o.at(sizes.batch() - 1, sizes.heads() - 1) + extent(rows, cols, o.rowStride());
        if (last > s.size()) {
            throw new IllegalArgumentException("native backend: " + kernel + ": " + name + " at " + o
                    + " reaches element " + last + " of a storage of " + s.size() + " (" + sizes + ")");
        }
    }

    // ------------------------------------------------------------------ forward

    @Override
    public void attention(Storage q, Storage k, Storage v, Storage mask, int maskBatches, int maskRows,
                          boolean causal, double scale, AttentionKernel.Sizes sizes, Storage out, Storage weights) {
        StridedAttentionKernel.Sizes s = dense(sizes);
        attention("attention", q, Operand.dense(1, s.tq(), s.d()), k, Operand.dense(1, s.tk(), s.d()), v,
                Operand.dense(1, s.tk(), s.dv()), mask, maskBatches, maskRows, causal, scale, s, out,
                Operand.dense(1, s.tq(), s.dv()), weights);
    }

    @Override
    public void attention(Storage q, Operand qa, Storage k, Operand ka, Storage v, Operand va, Storage mask,
                          int maskBatches, int maskRows, boolean causal, double scale,
                          StridedAttentionKernel.Sizes sizes, Storage out, Operand oa, Storage weights) {
        attention("stridedAttention", q, qa, k, ka, v, va, mask, maskBatches, maskRows, causal, scale, sizes, out, oa,
                weights);
    }

    /** The dense call's sizes as a strided call's: one head per batch entry. */
    private static StridedAttentionKernel.Sizes dense(AttentionKernel.Sizes s) {
        return new StridedAttentionKernel.Sizes(s.n(), 1, s.tq(), s.tk(), s.d(), s.dv());
    }

    private void attention(String name, Storage q, Operand qa, Storage k, Operand ka, Storage v, Operand va,
                           Storage mask, int maskBatches, int maskRows, boolean causal, double scale,
                           StridedAttentionKernel.Sizes sizes, Storage out, Operand oa, Storage weights) {
        NativeStorage qs = floating(q, name);
        NativeStorage ks = NativeStorage.of(k);
        NativeStorage vs = NativeStorage.of(v);
        NativeStorage ms = mask == null ? null : NativeStorage.of(mask);
        int tq = sizes.tq();
        int tk = sizes.tk();
        int d = sizes.d();
        int dv = sizes.dv();
        int heads = sizes.heads();
        checkOperand(name, "queries", qs, qa, sizes, tq, d);
        checkOperand(name, "keys", ks, ka, sizes, tk, d);
        checkOperand(name, "values", vs, va, sizes, tk, dv);
        checkOperand(name, "output", NativeStorage.of(out), oa, sizes, tq, dv);
        NativeStorage os = NativeStorage.pin(out);
        NativeStorage ps = NativeStorage.pin(weights);
        boolean f32 = qs.dtype() == DType.FLOAT32;
        try {
            MemorySegment qm = qs.segment();
            MemorySegment km = ks.segment();
            MemorySegment vm = vs.segment();
            MemorySegment maskm = ms == null ? null : ms.segment();
            MemorySegment om = os.overwrite();
            MemorySegment pm = ps.overwrite();
            long maskBatch = ms == null || maskBatches == 1 ? 0 : (long) maskRows * tk;
            long maskRow = ms == null || maskRows == 1 ? 0 : tk;
            parallel.forRange(sizes.n(), 2L * tq * tk * Math.max(1, d + dv) / 16 + 1, (b0, b1) -> {
                Rows rows = new Rows(f32, tk);
                for (long b = b0; b < b1; b++) {
                    long e = b / heads;
                    long h = b % heads;
                    long po = b * tq * tk;
                    if (d > 0) {
                        mm(f32, false, true, tq, tk, d, qm, qa.at(e, h), qa.rowStride(), km, ka.at(e, h),
                                ka.rowStride(), pm, po, tk);
                    } else {
                        fill(f32, pm, po, (long) tq * tk, 0);
                    }
                    for (int i = 0; i < tq; i++) {
                        int limit = causal ? Math.min(tk, i + 1) : tk;
                        long row = po + (long) i * tk;
                        long mo = b * maskBatch + i * maskRow;
                        if (f32) {
                            rows.softmaxF32(pm, row, tk, limit, maskm, mo, (float) scale);
                        } else {
                            rows.softmaxF64(pm, row, tk, limit, maskm, mo, scale);
                        }
                    }
                    if (dv > 0) {
                        mm(f32, false, false, tq, dv, tk, pm, po, tk, vm, va.at(e, h), va.rowStride(), om, oa.at(e, h),
                                oa.rowStride());
                    }
                }
            });
        } catch (RuntimeException e) {
            throw NativeStorage.failure(name, e, qs, ks, vs, os, ps);
        } finally {
            ps.unpin();
            os.unpin();
        }
        NativeStorage.verify(name, qs, ks, vs);
        if (ms != null) {
            NativeStorage.verify(name, ms);
        }
    }

    private static void fill(boolean f32, MemorySegment s, long from, long n, double value) {
        for (long j = 0; j < n; j++) {
            if (f32) {
                s.setAtIndex(JAVA_FLOAT, from + j, (float) value);
            } else {
                s.setAtIndex(JAVA_DOUBLE, from + j, value);
            }
        }
    }

    // ------------------------------------------------------------------ backward

    @Override
    public void attentionBackward(Storage gradOut, Storage gradWeights, Storage q, Storage k, Storage v,
                                  Storage weights, double scale, AttentionKernel.Sizes sizes, Storage gradQ,
                                  Storage gradK, Storage gradV, Storage gradScores) {
        StridedAttentionKernel.Sizes s = dense(sizes);
        Operand qa = Operand.dense(1, s.tq(), s.d());
        Operand ka = Operand.dense(1, s.tk(), s.d());
        Operand va = Operand.dense(1, s.tk(), s.dv());
        attentionBackward("attentionBackward", gradOut, Operand.dense(1, s.tq(), s.dv()), gradWeights, q, qa, k, ka,
                v, va, weights, scale, s, gradQ, qa, gradK, ka, gradV, va, gradScores);
    }

    @Override
    public void attentionBackward(Storage gradOut, Operand ga, Storage gradWeights, Storage q, Operand qa, Storage k,
                                  Operand ka, Storage v, Operand va, Storage weights, double scale,
                                  StridedAttentionKernel.Sizes sizes, Storage gradQ, Operand gqa, Storage gradK,
                                  Operand gka, Storage gradV, Operand gva, Storage gradScores) {
        attentionBackward("stridedAttentionBackward", gradOut, ga, gradWeights, q, qa, k, ka, v, va, weights, scale,
                sizes, gradQ, gqa, gradK, gka, gradV, gva, gradScores);
    }

    private void attentionBackward(String name, Storage gradOut, Operand ga, Storage gradWeights, Storage q,
                                   Operand qa, Storage k, Operand ka, Storage v, Operand va, Storage weights,
                                   double scale, StridedAttentionKernel.Sizes sizes, Storage gradQ, Operand gqa,
                                   Storage gradK, Operand gka, Storage gradV, Operand gva, Storage gradScores) {
        NativeStorage dos = floating(gradOut, name);
        NativeStorage dws = gradWeights == null ? null : NativeStorage.of(gradWeights);
        NativeStorage qs = NativeStorage.of(q);
        NativeStorage ks = NativeStorage.of(k);
        NativeStorage vs = NativeStorage.of(v);
        NativeStorage ps = NativeStorage.of(weights);
        int tq = sizes.tq();
        int tk = sizes.tk();
        int d = sizes.d();
        int dv = sizes.dv();
        int heads = sizes.heads();
        checkOperand(name, "output gradient", dos, ga, sizes, tq, dv);
        checkOperand(name, "queries", qs, qa, sizes, tq, d);
        checkOperand(name, "keys", ks, ka, sizes, tk, d);
        checkOperand(name, "values", vs, va, sizes, tk, dv);
        checkOperand(name, "query gradient", NativeStorage.of(gradQ), gqa, sizes, tq, d);
        checkOperand(name, "key gradient", NativeStorage.of(gradK), gka, sizes, tk, d);
        checkOperand(name, "value gradient", NativeStorage.of(gradV), gva, sizes, tk, dv);
        NativeStorage dqs = NativeStorage.pin(gradQ);
        NativeStorage dks = NativeStorage.pin(gradK);
        NativeStorage dvs = NativeStorage.pin(gradV);
        NativeStorage dss = gradScores == null ? null : NativeStorage.pin(gradScores);
        boolean f32 = dos.dtype() == DType.FLOAT32;
        long es = f32 ? 4 : 8;
        try {
            MemorySegment dom = dos.segment();
            MemorySegment dwm = dws == null ? null : dws.segment();
            MemorySegment qm = qs.segment();
            MemorySegment km = ks.segment();
            MemorySegment vm = vs.segment();
            MemorySegment pm = ps.segment();
            MemorySegment dqm = dqs.overwrite();
            MemorySegment dkm = dks.overwrite();
            MemorySegment dvm = dvs.overwrite();
            MemorySegment dsm = dss == null ? null : dss.overwrite();
            parallel.forRange(sizes.n(), 4L * tq * tk * Math.max(1, d + dv) / 16 + 1, (b0, b1) -> {
                Rows rows = new Rows(f32, tk);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment work = arena.allocate((long) tq * tk * es, 64);
                    for (long b = b0; b < b1; b++) {
                        long e = b / heads;
                        long h = b % heads;
                        long po = b * tq * tk;
                        if (dv > 0) {
                            mm(f32, true, false, tk, dv, tq, pm, po, tk, dom, ga.at(e, h), ga.rowStride(), dvm,
                                    gva.at(e, h), gva.rowStride());
                            mm(f32, false, true, tq, tk, dv, dom, ga.at(e, h), ga.rowStride(), vm, va.at(e, h),
                                    va.rowStride(), work, 0, tk);
                        } else {
                            fill(f32, work, 0, (long) tq * tk, 0);
                        }
                        for (int i = 0; i < tq; i++) {
                            long row = (long) i * tk;
                            if (f32) {
                                rows.scoreGradF32(work, row, pm, po + row, dwm, dsm, tk, (float) scale);
                            } else {
                                rows.scoreGradF64(work, row, pm, po + row, dwm, dsm, tk, scale);
                            }
                        }
                        if (d > 0) {
                            mm(f32, false, false, tq, d, tk, work, 0, tk, km, ka.at(e, h), ka.rowStride(), dqm,
                                    gqa.at(e, h), gqa.rowStride());
                            mm(f32, true, false, tk, d, tq, work, 0, tk, qm, qa.at(e, h), qa.rowStride(), dkm,
                                    gka.at(e, h), gka.rowStride());
                        }
                    }
                }
            });
        } catch (RuntimeException e) {
            throw NativeStorage.failure(name, e, dos, qs, ks, vs, ps, dqs, dks, dvs);
        } finally {
            if (dss != null) {
                dss.unpin();
            }
            dvs.unpin();
            dks.unpin();
            dqs.unpin();
        }
        NativeStorage.verify(name, dos, qs, ks);
        NativeStorage.verify(name, vs, ps);
        if (dws != null) {
            NativeStorage.verify(name, dws);
        }
    }

    /**
     * The per-row passes, on copies of the rows in heap arrays of one part's own (bulk-copied in and out):
     * there the JIT vectorizes the plain loops, and the exp runs the backend's loop over the array.
     */
    private final class Rows {
        private final float[] xf;
        private final float[] yf;
        private final float[] zf;
        private final double[] xd;
        private final double[] yd;
        private final double[] zd;
        private final MemorySegment xs;

        Rows(boolean f32, int tk) {
            xf = f32 ? new float[tk] : null;
            yf = f32 ? new float[tk] : null;
            zf = f32 ? new float[tk] : null;
            xd = f32 ? null : new double[tk];
            yd = f32 ? null : new double[tk];
            zd = f32 ? null : new double[tk];
            xs = f32 ? MemorySegment.ofArray(xf) : MemorySegment.ofArray(xd);
        }

        /** Row {@code row} of {@code p} (the scores) becomes its softmax over the first {@code limit} keys. */
        void softmaxF32(MemorySegment p, long row, int tk, int limit, MemorySegment m, long mo, float scale) {
            float[] x = xf;
            MemorySegment.copy(p, JAVA_FLOAT, row << 2, x, 0, limit);
            float[] a = null;
            if (m != null) {
                a = yf;
                MemorySegment.copy(m, JAVA_FLOAT, mo << 2, a, 0, limit);
            }
            boolean finite = vector ? VectorSupport.attentionSoftmaxF32(x, a, limit, scale)
                    : plainSoftmaxF32(x, a, limit, scale);
            if (finite) {
                Arrays.fill(x, limit, tk, 0f);
            } else {
                Arrays.fill(x, 0, tk, Float.NaN);
            }
            MemorySegment.copy(x, 0, p, JAVA_FLOAT, row << 2, tk);
        }

        /** {@code x[0, limit) := softmax(scale·x + a)} in plain loops; false when no score is finite. */
        private boolean plainSoftmaxF32(float[] x, float[] a, int limit, float scale) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < limit; j++) {
                x[j] = x[j] * scale + (a == null ? 0f : a[j]);
                max = Math.max(max, x[j]);
            }
            if (max == Float.NEGATIVE_INFINITY || Float.isNaN(max)) {
                return false;
            }
            for (int j = 0; j < limit; j++) {
                x[j] -= max;
            }
            expF32.run(xs, xs, 0, limit);
            double sum = 0;
            for (int j = 0; j < limit; j++) {
                sum += x[j];
            }
            float inv = (float) (1 / sum);
            for (int j = 0; j < limit; j++) {
                x[j] *= inv;
            }
            return true;
        }

        void softmaxF64(MemorySegment p, long row, int tk, int limit, MemorySegment m, long mo, double scale) {
            double[] x = xd;
            MemorySegment.copy(p, JAVA_DOUBLE, row << 3, x, 0, limit);
            double max = Double.NEGATIVE_INFINITY;
            double[] a = yd;
            if (m != null) {
                MemorySegment.copy(m, JAVA_DOUBLE, mo << 3, a, 0, limit);
            }
            for (int j = 0; j < limit; j++) {
                x[j] = x[j] * scale + (m == null ? 0 : a[j]);
                max = Math.max(max, x[j]);
            }
            if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
                Arrays.fill(x, 0, tk, Double.NaN);
                MemorySegment.copy(x, 0, p, JAVA_DOUBLE, row << 3, tk);
                return;
            }
            for (int j = 0; j < limit; j++) {
                x[j] -= max;
            }
            expF64.run(xs, xs, 0, limit);
            double sum = 0;
            for (int j = 0; j < limit; j++) {
                sum += x[j];
            }
            for (int j = 0; j < limit; j++) {
                x[j] /= sum;
            }
            Arrays.fill(x, limit, tk, 0.0);
            MemorySegment.copy(x, 0, p, JAVA_DOUBLE, row << 3, tk);
        }

        /**
         * One row: {@code work} holds {@code ∂O·Vᵀ}; adds {@code ∂L/∂P} if given, then writes
         * {@code ∂S = P ⊙ (∂P − ⟨∂P, P⟩)} to {@code ds} (at the same offset as {@code P}) if asked, and
         * {@code scale·∂S} back into {@code work}.
         */
        void scoreGradF32(MemorySegment work, long row, MemorySegment p, long pRow, MemorySegment dw,
                          MemorySegment ds, int tk, float scale) {
            float[] g = xf;
            float[] w = yf;
            MemorySegment.copy(work, JAVA_FLOAT, row << 2, g, 0, tk);
            MemorySegment.copy(p, JAVA_FLOAT, pRow << 2, w, 0, tk);
            if (dw != null) {
                float[] a = zf;
                MemorySegment.copy(dw, JAVA_FLOAT, pRow << 2, a, 0, tk);
                for (int j = 0; j < tk; j++) {
                    g[j] += a[j];
                }
            }
            float c = vector ? VectorSupport.attentionDotF32(g, w, tk) : plainDotF32(g, w, tk);
            for (int j = 0; j < tk; j++) {
                g[j] = w[j] * (g[j] - c);
            }
            if (ds != null) {
                MemorySegment.copy(g, 0, ds, JAVA_FLOAT, pRow << 2, tk);
            }
            for (int j = 0; j < tk; j++) {
                g[j] *= scale;
            }
            MemorySegment.copy(g, 0, work, JAVA_FLOAT, row << 2, tk);
        }

        private static float plainDotF32(float[] a, float[] b, int n) {
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += a[j] * b[j];
            }
            return (float) dot;
        }

        void scoreGradF64(MemorySegment work, long row, MemorySegment p, long pRow, MemorySegment dw,
                          MemorySegment ds, int tk, double scale) {
            double[] g = xd;
            double[] w = yd;
            MemorySegment.copy(work, JAVA_DOUBLE, row << 3, g, 0, tk);
            MemorySegment.copy(p, JAVA_DOUBLE, pRow << 3, w, 0, tk);
            if (dw != null) {
                double[] a = zd;
                MemorySegment.copy(dw, JAVA_DOUBLE, pRow << 3, a, 0, tk);
                for (int j = 0; j < tk; j++) {
                    g[j] += a[j];
                }
            }
            double dot = 0;
            for (int j = 0; j < tk; j++) {
                dot += g[j] * w[j];
            }
            for (int j = 0; j < tk; j++) {
                g[j] = w[j] * (g[j] - dot);
            }
            if (ds != null) {
                MemorySegment.copy(g, 0, ds, JAVA_DOUBLE, pRow << 3, tk);
            }
            for (int j = 0; j < tk; j++) {
                g[j] *= scale;
            }
            MemorySegment.copy(g, 0, work, JAVA_DOUBLE, row << 3, tk);
        }
    }
}
