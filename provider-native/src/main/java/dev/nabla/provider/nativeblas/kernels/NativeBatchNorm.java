package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.nabla.api.backend.BatchNormKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * The fused batch normalisation (training mode) of the native backend: per channel, one pass over its
 * {@code N} planes of {@code P} pixels for the statistics and one for the output; backward, one pass for the sums
 * of {@code g} and {@code g·x̂} and one for {@code ∂x} — instead of the dozen kernels, broadcast copies and
 * reductions of the composed form:
 * <pre>
 *   μ = mean(x),  σ² = mean((x − μ)²),  r = 1 / sqrt(σ² + ε),  y = (x − μ)·a + β,  a = r·γ
 *   ∂β = Σ g,  ∂γ = Σ g·x̂,  ∂x = γ·r·(g − ∂β/m − x̂·∂γ/m)       (m = N·P values per channel)
 * </pre>
 * The statistics are one pass of shifted sums in double ({@code Σ(x − K)} and {@code Σ(x − K)²} with {@code K}
 * the channel's first value, so a large offset does not cancel), as are backward's; every plane is staged in a heap
 * array by a bulk copy. The per-element passes ({@code y = (x − μ)·a + β}, {@code ∂x = γr·g + k·(x − μ) + c}, their
 * coefficients computed in double) run in the dtype itself, so float32 ones are loops the JIT vectorizes. Channels are split across cores; each channel's
 * sums are one thread's, so results do not depend on the split.
 */
public final class NativeBatchNorm implements BatchNormKernel {
    private final Parallel parallel;

    /**
     * The kernel.
     *
     * @param parallel where channels are split
     */
    public NativeBatchNorm(Parallel parallel) {
        this.parallel = parallel;
    }

    @Override
    public void batchNorm(Storage x, int batch, int channels, long pixels, Storage weight, Storage bias, double eps,
                          Storage out, Storage mean, Storage var) {
        String kernel = "batchNorm";
        NativeStorage in = KernelOperands.floating(x, kernel);
        NativeStorage w = weight == null ? null : NativeStorage.of(weight);
        NativeStorage b = bias == null ? null : NativeStorage.of(bias);
        NativeStorage y = NativeStorage.pin(out);
        NativeStorage mu = NativeStorage.pin(mean);
        NativeStorage vs = NativeStorage.pin(var);
        try {
            forward(in, batch, channels, Math.toIntExact(pixels), w, b, eps, y, mu, vs);
        } catch (RuntimeException e) {
            throw NativeStorage.failure(kernel, e, in, w, b, y, mu, vs);
        } finally {
            y.unpin();
            mu.unpin();
            vs.unpin();
        }
        KernelOperands.verifyRead(kernel, in, w, b);
    }

    private void forward(NativeStorage in, int batch, int channels, int pixels, NativeStorage w, NativeStorage b,
                         double eps, NativeStorage y, NativeStorage mu, NativeStorage vs) {
        DType t = in.dtype();
        MemorySegment xs = in.segment();
        MemorySegment ws = w == null ? null : w.segment();
        MemorySegment bs = b == null ? null : b.segment();
        MemorySegment ys = y.overwrite();
        MemorySegment ms = mu.overwrite();
        MemorySegment vss = vs.overwrite();
        double m = (double) batch * pixels;
        parallel.forRange(channels, 4L * batch * pixels, (c0, c1) -> {
            double[] plane = new double[pixels];
            float[] staging = t == DType.FLOAT32 ? new float[pixels] : null;
            for (int c = (int) c0; c < c1; c++) {
                double shift = KernelOperands.load(xs, t, (long) c * pixels);
                double s0 = 0;
                double s1 = 0;
                double q0 = 0;
                double q1 = 0;
                for (int n = 0; n < batch; n++) {
                    KernelOperands.read(xs, t, ((long) n * channels + c) * pixels, plane, staging, pixels);
                    int j = 0;
                    for (; j + 1 < pixels; j += 2) {
                        double d0 = plane[j] - shift;
                        double d1 = plane[j + 1] - shift;
                        s0 += d0;
                        s1 += d1;
                        q0 += d0 * d0;
                        q1 += d1 * d1;
                    }
                    for (; j < pixels; j++) {
                        double d = plane[j] - shift;
                        s0 += d;
                        q0 += d * d;
                    }
                }
                double ds = (s0 + s1) / m;
                double mean = shift + ds;
                double variance = Math.max(0, (q0 + q1) / m - ds * ds);
                double r = 1 / Math.sqrt(variance + eps);
                double a = ws == null ? r : r * KernelOperands.load(ws, t, c);
                double off = bs == null ? 0 : KernelOperands.load(bs, t, c);
                if (staging != null) {
                    // float32: y = (x − μ)·a + β in float over the staged plane (a loop the JIT vectorizes)
                    float mf = (float) mean;
                    float af = (float) a;
                    float bf = (float) off;
                    for (int n = 0; n < batch; n++) {
                        long at = ((long) n * channels + c) * pixels * Float.BYTES;
                        MemorySegment.copy(xs, JAVA_FLOAT, at, staging, 0, pixels);
                        for (int j = 0; j < pixels; j++) {
                            staging[j] = (staging[j] - mf) * af + bf;
                        }
                        MemorySegment.copy(staging, 0, ys, JAVA_FLOAT, at, pixels);
                    }
                } else {
                    for (int n = 0; n < batch; n++) {
                        long base = ((long) n * channels + c) * pixels;
                        KernelOperands.read(xs, t, base, plane, null, pixels);
                        for (int j = 0; j < pixels; j++) {
                            plane[j] = (plane[j] - mean) * a + off;
                        }
                        KernelOperands.write(plane, null, ys, t, base, pixels);
                    }
                }
                KernelOperands.store(ms, t, c, mean);
                KernelOperands.store(vss, t, c, variance);
            }
        });
    }

    @Override
    public void batchNormBackward(Storage gradOut, Storage x, Storage mean, Storage var, Storage weight, double eps,
                                  int batch, int channels, long pixels, Storage gradIn, Storage gradWeight,
                                  Storage gradBias) {
        String kernel = "batchNormBackward";
        NativeStorage dy = KernelOperands.floating(gradOut, kernel);
        NativeStorage in = NativeStorage.of(x);
        NativeStorage mu = NativeStorage.of(mean);
        NativeStorage vs = NativeStorage.of(var);
        NativeStorage w = weight == null ? null : NativeStorage.of(weight);
        NativeStorage dx = NativeStorage.pin(gradIn);
        NativeStorage dw = gradWeight == null ? null : NativeStorage.pin(gradWeight);
        NativeStorage db = gradBias == null ? null : NativeStorage.pin(gradBias);
        try {
            backward(dy, in, mu, vs, w, eps, batch, channels, Math.toIntExact(pixels), dx, dw, db);
        } catch (RuntimeException e) {
            throw NativeStorage.failure(kernel, e, dy, in, mu, vs, w, dx, dw, db);
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
        KernelOperands.verifyRead(kernel, vs, w, null);
    }

    private void backward(NativeStorage dy, NativeStorage in, NativeStorage mu, NativeStorage vs, NativeStorage w,
                          double eps, int batch, int channels, int pixels, NativeStorage dx, NativeStorage dw,
                          NativeStorage db) {
        DType t = dy.dtype();
        MemorySegment gs = dy.segment();
        MemorySegment xs = in.segment();
        MemorySegment ms = mu.segment();
        MemorySegment vss = vs.segment();
        MemorySegment ws = w == null ? null : w.segment();
        MemorySegment dxs = dx.overwrite();
        MemorySegment dws = dw == null ? null : dw.overwrite();
        MemorySegment dbs = db == null ? null : db.overwrite();
        double m = (double) batch * pixels;
        parallel.forRange(channels, 6L * batch * pixels, (c0, c1) -> {
            double[] gp = new double[pixels];
            double[] xp = new double[pixels];
            float[] staging = t == DType.FLOAT32 ? new float[pixels] : null;
            float[] xstaging = t == DType.FLOAT32 ? new float[pixels] : null;
            for (int c = (int) c0; c < c1; c++) {
                double mean = KernelOperands.load(ms, t, c);
                double r = 1 / Math.sqrt(KernelOperands.load(vss, t, c) + eps);
                double sg0 = 0;
                double sg1 = 0;
                double sx0 = 0;
                double sx1 = 0;
                for (int n = 0; n < batch; n++) {
                    long base = ((long) n * channels + c) * pixels;
                    KernelOperands.read(gs, t, base, gp, staging, pixels);
                    KernelOperands.read(xs, t, base, xp, staging, pixels);
                    int j = 0;
                    for (; j + 1 < pixels; j += 2) {
                        sg0 += gp[j];
                        sg1 += gp[j + 1];
                        sx0 += gp[j] * (xp[j] - mean);
                        sx1 += gp[j + 1] * (xp[j + 1] - mean);
                    }
                    for (; j < pixels; j++) {
                        sg0 += gp[j];
                        sx0 += gp[j] * (xp[j] - mean);
                    }
                }
                double sumG = sg0 + sg1;
                double sumGxh = (sx0 + sx1) * r;
                double gr = (ws == null ? 1 : KernelOperands.load(ws, t, c)) * r;
                // ∂x = gr·(g − sumG/m − (x − μ)·r·sumGxh/m) = gr·g + k·(x − μ) + off
                double k = -gr * r * sumGxh / m;
                double off = -gr * sumG / m;
                if (staging != null) {
                    // float32: ∂x = gr·g + k·(x − μ) + c in float over the staged planes (a loop the JIT vectorizes)
                    float mf = (float) mean;
                    float grf = (float) gr;
                    float kf = (float) k;
                    float cf = (float) off;
                    for (int n = 0; n < batch; n++) {
                        long at = ((long) n * channels + c) * pixels * Float.BYTES;
                        MemorySegment.copy(gs, JAVA_FLOAT, at, staging, 0, pixels);
                        MemorySegment.copy(xs, JAVA_FLOAT, at, xstaging, 0, pixels);
                        for (int j = 0; j < pixels; j++) {
                            staging[j] = grf * staging[j] + kf * (xstaging[j] - mf) + cf;
                        }
                        MemorySegment.copy(staging, 0, dxs, JAVA_FLOAT, at, pixels);
                    }
                } else {
                    for (int n = 0; n < batch; n++) {
                        long base = ((long) n * channels + c) * pixels;
                        KernelOperands.read(gs, t, base, gp, null, pixels);
                        KernelOperands.read(xs, t, base, xp, null, pixels);
                        for (int j = 0; j < pixels; j++) {
                            gp[j] = gr * gp[j] + k * (xp[j] - mean) + off;
                        }
                        KernelOperands.write(gp, null, dxs, t, base, pixels);
                    }
                }
                if (dws != null) {
                    KernelOperands.store(dws, t, c, sumGxh);
                }
                if (dbs != null) {
                    KernelOperands.store(dbs, t, c, sumG);
                }
            }
        });
    }

}
