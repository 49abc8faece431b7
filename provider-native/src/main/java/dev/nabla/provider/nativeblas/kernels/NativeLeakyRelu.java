package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.nabla.api.backend.LeakyReluKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * The fused leaky rectifier of the native backend, {@code y = x > 0 ? x : slope·x} and
 * {@code ∂x = x > 0 ? ∂y : slope·∂y}, one pass each instead of a comparison into a bool temporary, a product and a
 * select. Float32 on a backend that uses the Vector API is a blend under the mask {@code x > 0}
 * ({@code VectorFusedRows}); otherwise blocks of {@value #BLOCK} elements are staged in heap arrays by bulk copies
 * (element accesses of native segments are slow) and computed in the dtype itself. (A scalar select on the sign
 * is a branch the CPU mispredicts on half of random signs: that first version made the DCGAN step 25 ms slower.)
 * Split across cores for large inputs.
 */
public final class NativeLeakyRelu implements LeakyReluKernel {
    /** Elements staged per bulk copy. */
    private static final int BLOCK = 4096;

    private final Parallel parallel;
    private final boolean vector;

    /**
     * The kernel.
     *
     * @param parallel where large inputs are split
     * @param vector   whether float32 uses the Vector API
     */
    public NativeLeakyRelu(Parallel parallel, boolean vector) {
        this.parallel = parallel;
        this.vector = vector;
    }

    @Override
    public void leakyRelu(Storage x, double slope, Storage out) {
        run("leakyRelu", x, null, slope, out);
    }

    @Override
    public void leakyReluGrad(Storage x, Storage gradOut, double slope, Storage gradIn) {
        run("leakyReluGrad", x, gradOut, slope, gradIn);
    }

    /** {@code out = x > 0 ? v : slope·v} with {@code v} the gradient, or {@code x} itself when there is none. */
    private void run(String kernel, Storage x, Storage gradOut, double slope, Storage result) {
        NativeStorage xs = NativeStorage.of(x);
        NativeStorage gs = gradOut == null ? null : NativeStorage.of(gradOut);
        NativeStorage out = NativeStorage.pin(result);
        DType t = xs.dtype();
        try {
            if (!t.isFloatingPoint() || (gs != null && gs.dtype() != t) || out.dtype() != t) {
                throw Unsupported.of(kernel, t);
            }
            if ((gs != null && gs.size() != xs.size()) || out.size() != xs.size()) {
                throw new IllegalArgumentException(kernel + ": sizes differ: x " + xs.size() + ", gradOut "
                        + (gs == null ? "-" : gs.size()) + ", out " + out.size());
            }
            MemorySegment xm = xs.segment();
            MemorySegment gm = gs == null ? null : gs.segment();
            MemorySegment om = out.overwrite();
            if (t == DType.FLOAT32 && vector) {
                float s = (float) slope;
                parallel.forRange(xs.size(), (from, to) -> VectorSupport.leakyReluF32(xm, gm, s, om, from, to - from));
            } else if (t == DType.FLOAT32) {
                float s = (float) slope;
                parallel.forRange(xs.size(), (from, to) -> {
                    float[] xb = new float[(int) Math.min(BLOCK, to - from)];
                    float[] gb = gm == null ? xb : new float[xb.length];
                    for (long i = from; i < to; i += BLOCK) {
                        int n = (int) Math.min(BLOCK, to - i);
                        MemorySegment.copy(xm, JAVA_FLOAT, i * Float.BYTES, xb, 0, n);
                        if (gm != null) {
                            MemorySegment.copy(gm, JAVA_FLOAT, i * Float.BYTES, gb, 0, n);
                        }
                        for (int j = 0; j < n; j++) {
                            gb[j] = xb[j] > 0 ? gb[j] : s * gb[j];
                        }
                        MemorySegment.copy(gb, 0, om, JAVA_FLOAT, i * Float.BYTES, n);
                    }
                });
            } else {
                parallel.forRange(xs.size(), (from, to) -> {
                    double[] xb = new double[(int) Math.min(BLOCK, to - from)];
                    double[] gb = gm == null ? xb : new double[xb.length];
                    for (long i = from; i < to; i += BLOCK) {
                        int n = (int) Math.min(BLOCK, to - i);
                        MemorySegment.copy(xm, JAVA_DOUBLE, i * Double.BYTES, xb, 0, n);
                        if (gm != null) {
                            MemorySegment.copy(gm, JAVA_DOUBLE, i * Double.BYTES, gb, 0, n);
                        }
                        for (int j = 0; j < n; j++) {
                            gb[j] = xb[j] > 0 ? gb[j] : slope * gb[j];
                        }
                        MemorySegment.copy(gb, 0, om, JAVA_DOUBLE, i * Double.BYTES, n);
                    }
                });
            }
        } catch (RuntimeException e) {
            throw NativeStorage.failure(kernel, e, xs, gs, out);
        } finally {
            out.unpin();
        }
        NativeStorage.verify(kernel, xs);
        if (gs != null) {
            NativeStorage.verify(kernel, gs);
        }
    }
}
