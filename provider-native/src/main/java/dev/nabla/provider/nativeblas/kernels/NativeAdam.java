package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.nabla.api.backend.AdamKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * The fused Adam update of the native backend (see {@link AdamKernel} for the equations): one pass over θ, g, m
 * and v in runs of {@value #RUN} elements, each run copied into heap arrays in bulk, updated by a plain loop the
 * JIT vectorizes, and copied back — instead of about a dozen kernel calls (two exponential averages, a square, a
 * square root, scalings, a division and a subtraction) per parameter and step. float32 is computed in float,
 * float64 in double, as the composed update does. Large parameters are split across cores.
 */
public final class NativeAdam implements AdamKernel {
    private static final int RUN = 2048;
    /** Each thread's staging arrays (θ, g, m, v), reused by every call: a step allocates nothing on the heap. */
    private static final ThreadLocal<float[][]> F32 = ThreadLocal.withInitial(() -> new float[4][RUN]);
    private static final ThreadLocal<double[][]> F64 = ThreadLocal.withInitial(() -> new double[4][RUN]);

    private final Parallel parallel;

    /** The kernel, splitting large parameters with {@code parallel}. */
    public NativeAdam(Parallel parallel) {
        this.parallel = parallel;
    }

    @Override
    public void adam(Storage param, Storage grad, Storage expAvg, Storage expAvgSq, double beta1, double beta2,
                     double eps, double weightDecay, double stepSize, double invSqrtBc2) {
        String kernel = "adam";
        NativeStorage gs = NativeStorage.of(grad);
        NativeStorage ps = NativeStorage.pin(param);
        NativeStorage ms = NativeStorage.pin(expAvg);
        NativeStorage vs = NativeStorage.pin(expAvgSq);
        DType t = ps.dtype();
        try {
            if (!t.isFloatingPoint() || gs.dtype() != t || ms.dtype() != t || vs.dtype() != t) {
                throw Unsupported.of(kernel, t);
            }
            long n = ps.size();
            if (gs.size() != n || ms.size() != n || vs.size() != n) {
                throw new IllegalArgumentException(kernel + ": sizes differ: param " + n + ", grad " + gs.size()
                        + ", exp_avg " + ms.size() + ", exp_avg_sq " + vs.size());
            }
            MemorySegment p = ps.segment();
            MemorySegment g = gs.segment();
            MemorySegment m = ms.segment();
            MemorySegment v = vs.segment();
            long runs = (n + RUN - 1) / RUN;
            parallel.forRange(runs, 4L * RUN, (r0, r1) -> {
                if (t == DType.FLOAT32) {
                    float[][] a = F32.get();
                    for (long r = r0; r < r1; r++) {
                        long from = r * RUN;
                        runF32(p, g, m, v, from, (int) Math.min(RUN, n - from), a, (float) beta1, (float) beta2,
                                (float) eps, (float) weightDecay, (float) stepSize, (float) invSqrtBc2);
                    }
                } else {
                    double[][] a = F64.get();
                    for (long r = r0; r < r1; r++) {
                        long from = r * RUN;
                        runF64(p, g, m, v, from, (int) Math.min(RUN, n - from), a, beta1, beta2, eps, weightDecay,
                                stepSize, invSqrtBc2);
                    }
                }
            });
        } catch (RuntimeException e) {
            throw NativeStorage.failure(kernel, e, gs, ps, ms, vs);
        } finally {
            ps.unpin();
            ms.unpin();
            vs.unpin();
        }
        NativeStorage.verify(kernel, gs);
    }

    private static void runF32(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, long from, int len,
                               float[][] a, float b1, float b2, float eps, float decay, float step, float inv) {
        float[] pa = a[0];
        float[] ga = a[1];
        float[] ma = a[2];
        float[] va = a[3];
        long at = from * Float.BYTES;
        MemorySegment.copy(p, JAVA_FLOAT, at, pa, 0, len);
        MemorySegment.copy(g, JAVA_FLOAT, at, ga, 0, len);
        MemorySegment.copy(m, JAVA_FLOAT, at, ma, 0, len);
        MemorySegment.copy(v, JAVA_FLOAT, at, va, 0, len);
        float c1 = 1 - b1;
        float c2 = 1 - b2;
        for (int i = 0; i < len; i++) {
            float gi = ga[i] + decay * pa[i];
            float mi = b1 * ma[i] + c1 * gi;
            float vi = b2 * va[i] + c2 * (gi * gi);
            ma[i] = mi;
            va[i] = vi;
            pa[i] = pa[i] - step * mi / ((float) Math.sqrt(vi) * inv + eps);
        }
        MemorySegment.copy(pa, 0, p, JAVA_FLOAT, at, len);
        MemorySegment.copy(ma, 0, m, JAVA_FLOAT, at, len);
        MemorySegment.copy(va, 0, v, JAVA_FLOAT, at, len);
    }

    private static void runF64(MemorySegment p, MemorySegment g, MemorySegment m, MemorySegment v, long from, int len,
                               double[][] a, double b1, double b2, double eps, double decay, double step, double inv) {
        double[] pa = a[0];
        double[] ga = a[1];
        double[] ma = a[2];
        double[] va = a[3];
        long at = from * Double.BYTES;
        MemorySegment.copy(p, JAVA_DOUBLE, at, pa, 0, len);
        MemorySegment.copy(g, JAVA_DOUBLE, at, ga, 0, len);
        MemorySegment.copy(m, JAVA_DOUBLE, at, ma, 0, len);
        MemorySegment.copy(v, JAVA_DOUBLE, at, va, 0, len);
        double c1 = 1 - b1;
        double c2 = 1 - b2;
        for (int i = 0; i < len; i++) {
            double gi = ga[i] + decay * pa[i];
            double mi = b1 * ma[i] + c1 * gi;
            double vi = b2 * va[i] + c2 * (gi * gi);
            ma[i] = mi;
            va[i] = vi;
            pa[i] = pa[i] - step * mi / (Math.sqrt(vi) * inv + eps);
        }
        MemorySegment.copy(pa, 0, p, JAVA_DOUBLE, at, len);
        MemorySegment.copy(ma, 0, m, JAVA_DOUBLE, at, len);
        MemorySegment.copy(va, 0, v, JAVA_DOUBLE, at, len);
    }
}
