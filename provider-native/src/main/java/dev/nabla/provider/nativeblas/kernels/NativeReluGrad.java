package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.nabla.api.backend.ReluGradKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * The fused gradient of the rectifier of the native backend, {@code ∂x_i = x_i > 0 ? ∂y_i : 0}, one pass over
 * the two operands (float32 in the Vector API, {@code VectorFusedRows}, when the backend uses it) instead of a
 * comparison into a bool temporary and a select. Split across cores for large inputs.
 */
public final class NativeReluGrad implements ReluGradKernel {
    private final Parallel parallel;
    private final boolean vector;

    /**
     * The kernel.
     *
     * @param parallel where large inputs are split
     * @param vector   whether float32 uses the Vector API
     */
    public NativeReluGrad(Parallel parallel, boolean vector) {
        this.parallel = parallel;
        this.vector = vector;
    }

    @Override
    public void reluGrad(Storage x, Storage gradOut, Storage gradIn) {
        String kernel = "reluGrad";
        NativeStorage xs = NativeStorage.of(x);
        NativeStorage gs = NativeStorage.of(gradOut);
        NativeStorage out = NativeStorage.pin(gradIn);
        DType t = xs.dtype();
        try {
            if (!t.isFloatingPoint() || gs.dtype() != t || out.dtype() != t) {
                throw Unsupported.of(kernel, t);
            }
            if (gs.size() != xs.size() || out.size() != xs.size()) {
                throw new IllegalArgumentException(kernel + ": sizes differ: x " + xs.size() + ", gradOut "
                        + gs.size() + ", gradIn " + out.size());
            }
            MemorySegment xm = xs.segment();
            MemorySegment gm = gs.segment();
            MemorySegment om = out.overwrite();
            boolean f32 = t == DType.FLOAT32;
            parallel.forRange(xs.size(), (from, to) -> {
                if (f32 && vector) {
                    VectorSupport.reluGradF32(xm, gm, om, from, to - from);
                } else if (f32) {
                    for (long i = from; i < to; i++) {
                        om.setAtIndex(JAVA_FLOAT, i, xm.getAtIndex(JAVA_FLOAT, i) > 0 ? gm.getAtIndex(JAVA_FLOAT, i) : 0f);
                    }
                } else {
                    for (long i = from; i < to; i++) {
                        om.setAtIndex(JAVA_DOUBLE, i, xm.getAtIndex(JAVA_DOUBLE, i) > 0 ? gm.getAtIndex(JAVA_DOUBLE, i) : 0.0);
                    }
                }
            });
        } catch (RuntimeException e) {
            throw NativeStorage.failure(kernel, e, xs, gs, out);
        } finally {
            out.unpin();
        }
        NativeStorage.verify(kernel, xs, gs);
    }
}
