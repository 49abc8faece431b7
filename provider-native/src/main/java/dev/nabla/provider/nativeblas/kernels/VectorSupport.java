package dev.nabla.provider.nativeblas.kernels;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import java.lang.foreign.MemorySegment;

/**
 * Whether the kernels may use the Vector API loops of {@link VectorRows} (and the fused kernels' rows of
 * {@code VectorFusedRows}), and the only door to them.
 *
 * <p>The module requires {@code jdk.incubator.vector} statically, so on the module path as on the class
 * path it is resolved only when {@code --add-modules jdk.incubator.vector} is given (the JVM then prints
 * {@code WARNING: Using incubator modules: jdk.incubator.vector} once at startup). Without it, or if
 * {@link VectorRows} fails to initialize for any reason, the backend runs on its plain loops (bit for bit
 * the same for the exact ops, within a few ulps for exp, log, tanh, sigmoid and sums), and
 * {@link #describe} says why. This class names no incubator type, so loading it never fails.
 *
 * <p>A backend uses the vector loops when they are {@linkplain #available() available} and the system
 * property {@value #PROPERTY} is not {@code false} when the backend is created (the benchmark creates
 * one backend of each kind to compare them in one run). exp, log, tanh and sigmoid are written out in
 * exactly rounded vector arithmetic ({@link LaneMath}'s formulas), not with the JDK's vector math library,
 * so they need none and give the same bits interpreted and compiled (see {@code VectorRows}).
 */
public final class VectorSupport {
    /** The system property that turns the vector loops off for backends created after it is set: {@value}. */
    public static final String PROPERTY = "nabla.native.vector";

    /** Null when the vector loops can be used, else why not. */
    private static final String UNAVAILABLE = probe();

    private VectorSupport() {
    }

    private static String probe() {
        Module self = VectorSupport.class.getModule();
        if (self.isNamed() && self.getLayer() != null
                && self.getLayer().findModule("jdk.incubator.vector").isEmpty()) {
            // on the module path the provider requires it statically: resolved only when asked for
            return "jdk.incubator.vector not resolved; --add-modules jdk.incubator.vector resolves it";
        }
        try {
            Class.forName(VectorSupport.class.getPackageName() + ".VectorRows", true,
                    VectorSupport.class.getClassLoader());
            int floats = VectorRows.floatLanes();
            if (floats < 4) {
                return "vectors of " + floats + " floats are too short to pay";
            }
            return null;
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            // the incubator module is not resolved (class path without --add-modules), or not in the image
            return "module jdk.incubator.vector not available (" + e + ")";
        }
    }

    /** Whether the Vector API loops can run in this JVM. */
    public static boolean available() {
        return UNAVAILABLE == null;
    }

    /** Whether a backend created now should use them: available, and {@value #PROPERTY} is not {@code false}. */
    public static boolean requested() {
        return available() && !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /** A short description of the kernels a backend with the given choice runs, for its description. */
    public static String describe(boolean vector) {
        if (vector) {
            return "Vector API loops (" + VectorRows.describe() + ")";
        }
        return "plain loops (" + (UNAVAILABLE != null ? UNAVAILABLE : "-D" + PROPERTY + "=false") + ")";
    }

    // ------------------------------------------------------------------ the door to VectorRows (call only when available)

    /** The vector row of {@code op} for {@code dtype}, or null to use the plain one. */
    static BinaryRows.Row binary(BinaryOp op, DType dtype) {
        return VectorRows.binary(op, dtype);
    }

    /** The vector row of {@code where} over values of {@code dtype}, or null to use the plain loop. */
    static Elementwise.WhereRow where(DType dtype) {
        return VectorRows.where(dtype);
    }

    /** The float32 rectifier gradient over elements {@code [from, from + n)} ({@code VectorFusedRows#reluGrad}). */
    static void reluGradF32(MemorySegment x, MemorySegment g, MemorySegment out, long from, long n) {
        VectorFusedRows.reluGrad(x, g, out, from, n);
    }

    /** The float32 leaky rectifier or its gradient over {@code [from, from + n)} ({@code VectorFusedRows#leakyRelu}). */
    static void leakyReluF32(MemorySegment x, MemorySegment g, float slope, MemorySegment out, long from, long n) {
        VectorFusedRows.leakyRelu(x, g, slope, out, from, n);
    }

    /** One float32 row of layer normalisation forward ({@code VectorFusedRows#forward}). */
    static void layerNormF32(float[] x, int off, int n, float[] gamma, float[] beta, double eps, float[] stats) {
        VectorFusedRows.forward(x, off, n, gamma, beta, eps, stats);
    }

    /** One float32 row of layer normalisation backward ({@code VectorFusedRows#backward}). */
    static void layerNormBackwardF32(float[] g, float[] x, int off, int n, float m, float r, float[] gamma,
                                     float[] sumW, float[] sumB) {
        VectorFusedRows.backward(g, x, off, n, m, r, gamma, sumW, sumB);
    }

    /** The vector loop of {@code op} for {@code dtype}, or null to use the plain one. */
    static UnaryRows.Loop unary(UnaryOp op, DType dtype) {
        return VectorRows.unary(op, dtype);
    }

    /** Adds (maxes, mins) {@code len} contiguous float elements from {@code base} into {@code acc[0..len)}. */
    static void accumulate(ReduceOp op, DType t, MemorySegment x, long base, double[] acc, int len) {
        VectorRows.accumulate(op, t, x, base, acc, len);
    }

    /** The fused attention's float32 softmax row (see {@code VectorRows}); false when no score is finite. */
    static boolean attentionSoftmaxF32(float[] x, float[] a, int limit, float scale) {
        return VectorRows.attentionSoftmaxF32(x, a, limit, scale);
    }

    /** The fused attention's float32 dot product of two rows (see {@code VectorRows}). */
    static float attentionDotF32(float[] a, float[] b, int n) {
        return VectorRows.attentionDotF32(a, b, n);
    }

    /** Reduces {@code n >= 1} contiguous float32 or float64 elements from index {@code from}. */
    static double lane(ReduceOp op, DType t, MemorySegment x, long from, long n) {
        return VectorRows.lane(op, t, x, from, n);
    }
}
