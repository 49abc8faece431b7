package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link LaneMath}'s exp, log, tanh and sigmoid: their accuracy against {@link StrictMath} and {@link Math}
 * evaluated in double, over a sweep of float32 bit patterns (every 613th of all 2^32), random float64
 * values over the whole range and where each function turns, and the edges (±0, ±tiny, subnormals, the
 * overflow and underflow thresholds, NaN, ±∞, negative arguments of log); and that the Vector API loops
 * compute exactly the same bits as the scalar formulas, at every position relative to a vector.
 *
 * <p>Bounds asserted, in ulps of the result's type, against both StrictMath and Math (float32: the double
 * result, as good as exact; float64: each within an ulp or two of the true value themselves): exp 1
 * (float32) and 1 (float64); log 1 and 1; tanh 1.5 and 3; sigmoid 2.5 and 2. Measured maxima: exp 0.99 and
 * 1.0, log 0.77 and 1.0, tanh 1.49 and 3.0 (1.0 against Math.tanh: StrictMath.tanh is the one off there),
 * sigmoid 2.09 and 2.0. Subnormal results are held to the same number of units of the smallest subnormal.
 */
class LaneMathTest {
    private static final float[] EDGES_F = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        -Float.MIN_NORMAL, 1e-40f, -1e-40f, 1e-30f, -1e-30f, 1e-8f, -1e-8f, 1f, -1f, 0.5f, -0.5f, 0.625f, -0.625f,
        Math.nextDown(0.625f), Math.nextUp(-0.625f), 0.34657359f, -0.34657359f, 88f, 88.5f, 88.72283f, 88.722839f,
        88.7229f, 89f, 100f, -87.33655f, -87.5f, -100f, -103.2789f, -103.9720f, -103.98f, -104f, -150f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0x7fc12345), Float.intBitsToFloat(0xffc00001), 9f, -9f, 20f, -20f, 44f, -44f,
        1.4142135f, 0.70710677f, Math.nextUp(1f), Math.nextDown(1f), 2f, 0.1f};
    private static final double[] EDGES_D = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        -Double.MIN_NORMAL, 1e-310, -1e-310, 1e-300, 1e-20, -1e-20, 1e-9, 1, -1, 0.5, -0.5, 0.625, -0.625,
        Math.nextDown(0.625), Math.nextUp(-0.625), 0.34657359027997264, 700, 709, 709.782712893384,
        709.7827128933841, 709.79, 710, 800, -700, -708.3964185322641, -708.5, -740, -745.1332191019411,
        -745.1332191019412, -745.2, -746, -800, -1075, Double.MAX_VALUE, -Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.longBitsToDouble(0x7ff8000000012345L),
        Double.longBitsToDouble(0xfff8000000000001L), 19, -19, 22, -22, 40, -40, 354, -354, 1.4142135623730951,
        0.7071067811865476, Math.nextUp(1.0), Math.nextDown(1.0), 2, 0.1};

    private record Fn(String name, UnaryOp op, FloatFn f32, DoubleUnaryOperator f64, DoubleUnaryOperator strict,
                      DoubleUnaryOperator math, double ulps32, double ulps64) {
    }

    @FunctionalInterface
    private interface FloatFn {
        float apply(float x);
    }

    private static double sigmoidStrict(double x) {
        return x >= 0 ? 1 / (1 + StrictMath.exp(-x)) : StrictMath.exp(x) / (1 + StrictMath.exp(x));
    }

    private static double sigmoidMath(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    private static final Fn[] FNS = {
        new Fn("exp", UnaryOp.EXP, LaneMath::exp, LaneMath::exp, StrictMath::exp, Math::exp, 1, 1),
        new Fn("log", UnaryOp.LOG, LaneMath::log, LaneMath::log, StrictMath::log, Math::log, 1, 1),
        new Fn("tanh", UnaryOp.TANH, LaneMath::tanh, LaneMath::tanh, StrictMath::tanh, Math::tanh, 1.5, 3),
        new Fn("sigmoid", UnaryOp.SIGMOID, LaneMath::sigmoid, LaneMath::sigmoid, LaneMathTest::sigmoidStrict,
                LaneMathTest::sigmoidMath, 2.5, 2),
    };

    /** The error of {@code got} in ulps of the float nearest {@code exact}; NaN and ∞ must match exactly. */
    private static double ulps32(float got, double exact) {
        float e = (float) exact;
        if (Double.isNaN(exact) || Float.isInfinite(e) || Float.isInfinite(got) || Float.isNaN(got)) {
            if (Double.isNaN(exact) ? Float.isNaN(got) : got == e) {
                return 0;
            }
            // a true value within an ulp of the overflow threshold may round either way
            return Float.isInfinite(got) && Math.abs(exact) > Float.MAX_VALUE ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(got - exact) / Math.ulp(e);
    }

    private static double ulps64(double got, double exact) {
        if (Double.isNaN(exact) || Double.isInfinite(exact) || Double.isInfinite(got) || Double.isNaN(got)) {
            return (Double.isNaN(exact) ? Double.isNaN(got) : got == exact) ? 0 : Double.POSITIVE_INFINITY;
        }
        // exact minus got can be off by a rounding itself; that is far below an ulp of either
        return Math.abs(got - exact) / Math.ulp(exact);
    }

    private static float[] floats() {
        int stride = 613;
        int n = (int) ((1L << 32) / stride) + 1;
        float[] v = new float[n + EDGES_F.length];
        long bits = 0;
        for (int i = 0; i < n; i++, bits += stride) {
            v[i] = Float.intBitsToFloat((int) bits);
        }
        System.arraycopy(EDGES_F, 0, v, n, EDGES_F.length);
        return v;
    }

    private static double[] doubles() {
        SplittableRandom r = new SplittableRandom(20250611);
        int n = 400_000;
        double[] v = new double[5 * n + EDGES_D.length];
        int i = 0;
        for (int j = 0; j < n; j++) {
            v[i++] = Double.longBitsToDouble(r.nextLong()); // the whole range, NaNs included
            v[i++] = r.nextDouble(-750, 712); // where exp is finite and nonzero
            v[i++] = r.nextDouble(-25, 25); // where tanh and sigmoid turn
            v[i++] = r.nextDouble(-1, 1);
            v[i++] = Math.exp(r.nextDouble(-745, 709)); // positive, log-uniform
        }
        System.arraycopy(EDGES_D, 0, v, i, EDGES_D.length);
        return v;
    }

    @Test
    void float32IsWithinItsBoundOfStrictMathAndMath() {
        float[] xs = floats();
        StringBuilder report = new StringBuilder();
        StringBuilder failures = new StringBuilder();
        for (Fn fn : FNS) {
            double worstStrict = 0;
            double worstMath = 0;
            float worstAt = 0;
            for (float x : xs) {
                float got = fn.f32.apply(x);
                double s = ulps32(got, fn.strict.applyAsDouble(x));
                double m = ulps32(got, fn.math.applyAsDouble(x));
                if (s > worstStrict) {
                    worstStrict = s;
                    worstAt = x;
                }
                worstMath = Math.max(worstMath, m);
            }
            report.append(String.format("%s f32: max %.3f ulp vs StrictMath (at %s), %.3f vs Math; ", fn.name,
                    worstStrict, worstAt, worstMath));
            if (worstStrict > fn.ulps32 || worstMath > fn.ulps32) {
                failures.append(fn.name).append(" float32 over its bound of ").append(fn.ulps32).append("; ");
            }
        }
        System.out.println(report);
        assertEquals("", failures.toString(), report.toString());
    }

    @Test
    void float64IsWithinItsBoundOfStrictMath() {
        double[] xs = doubles();
        StringBuilder report = new StringBuilder();
        StringBuilder failures = new StringBuilder();
        for (Fn fn : FNS) {
            double worst = 0;
            double worstMath = 0;
            double worstAt = 0;
            for (double x : xs) {
                double got = fn.f64.applyAsDouble(x);
                double s = ulps64(got, fn.strict.applyAsDouble(x));
                if (s > worst) {
                    worst = s;
                    worstAt = x;
                }
                worstMath = Math.max(worstMath, ulps64(got, fn.math.applyAsDouble(x)));
            }
            report.append(String.format("%s f64: max %.3f ulp vs StrictMath (at %s), %.3f vs Math; ", fn.name, worst,
                    worstAt, worstMath));
            if (worst > fn.ulps64 || worstMath > fn.ulps64) {
                failures.append(fn.name).append(" float64 over its bound of ").append(fn.ulps64).append("; ");
            }
        }
        System.out.println(report);
        assertEquals("", failures.toString(), report.toString());
    }

    @Test
    void edgesAreExact() {
        assertEquals(1f, LaneMath.exp(0f));
        assertEquals(1f, LaneMath.exp(-0f));
        assertEquals(Float.POSITIVE_INFINITY, LaneMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, LaneMath.exp(89f));
        assertEquals(0f, LaneMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals(0f, LaneMath.exp(-104f));
        assertEquals(Float.MIN_VALUE, LaneMath.exp(-103.5f)); // e^-103.5 = 1.09e-45, the smallest subnormal
        assertEquals(1.0, LaneMath.exp(0.0));
        assertEquals(Double.POSITIVE_INFINITY, LaneMath.exp(710.0));
        assertEquals(0.0, LaneMath.exp(-746.0));
        assertEquals(Double.MIN_VALUE, LaneMath.exp(-745.0));
        assertEquals(0f, LaneMath.log(1f));
        assertEquals(0.0, LaneMath.log(1.0));
        assertEquals(Float.NEGATIVE_INFINITY, LaneMath.log(0f));
        assertEquals(Float.NEGATIVE_INFINITY, LaneMath.log(-0f));
        assertEquals(Double.NEGATIVE_INFINITY, LaneMath.log(-0.0));
        assertEquals(Float.POSITIVE_INFINITY, LaneMath.log(Float.POSITIVE_INFINITY));
        assertEquals(Double.POSITIVE_INFINITY, LaneMath.log(Double.POSITIVE_INFINITY));
        assertEquals((float) Math.log(Float.MIN_VALUE), LaneMath.log(Float.MIN_VALUE));
        assertEquals(Math.log(Double.MIN_VALUE), LaneMath.log(Double.MIN_VALUE));
        assertTrue(Float.isNaN(LaneMath.log(-1f)) && Float.isNaN(LaneMath.log(Float.NEGATIVE_INFINITY)));
        assertTrue(Double.isNaN(LaneMath.log(-Double.MIN_VALUE)));
        assertEquals(1f, LaneMath.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, LaneMath.tanh(-20f));
        assertEquals(-1.0, LaneMath.tanh(Double.NEGATIVE_INFINITY));
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(LaneMath.tanh(-0f)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(LaneMath.tanh(-0.0)));
        assertEquals(-Float.MIN_VALUE, LaneMath.tanh(-Float.MIN_VALUE));
        assertEquals(1e-300, LaneMath.tanh(1e-300));
        assertEquals(0.5f, LaneMath.sigmoid(0f));
        assertEquals(1f, LaneMath.sigmoid(Float.POSITIVE_INFINITY));
        assertEquals(0f, LaneMath.sigmoid(Float.NEGATIVE_INFINITY));
        assertEquals(0.0, LaneMath.sigmoid(-800.0));
        for (Fn fn : FNS) {
            for (float nan : new float[] {Float.NaN, Float.intBitsToFloat(0xffc00001)}) {
                assertEquals(Float.floatToRawIntBits(Float.NaN), Float.floatToRawIntBits(fn.f32.apply(nan)), fn.name);
            }
            assertEquals(Double.doubleToRawLongBits(Double.NaN),
                    Double.doubleToRawLongBits(fn.f64.applyAsDouble(Double.longBitsToDouble(0xfff8000000000001L))));
        }
    }

    /**
     * The vector loops against the scalar formulas, bit for bit, with every element at every position in a
     * vector (the loop run from offsets 0 to one vector), before and after the JIT has had a go at the loops.
     */
    @Test
    void vectorLoopsComputeTheScalarFormulasBitForBit() {
        assertTrue(VectorSupport.available(), VectorSupport.describe(false));
        float[] fs = floats();
        double[] ds = doubles();
        int n = 1 << 14;
        SplittableRandom r = new SplittableRandom(7);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment x32 = arena.allocate(4L * n, 64);
            MemorySegment x64 = arena.allocate(8L * n, 64);
            MemorySegment o = arena.allocate(8L * n, 64);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < n; i++) {
                    x32.setAtIndex(JAVA_FLOAT, i, fs[r.nextInt(fs.length)]);
                    x64.setAtIndex(JAVA_DOUBLE, i, ds[r.nextInt(ds.length)]);
                }
                for (int i = 0; i < EDGES_F.length; i++) {
                    x32.setAtIndex(JAVA_FLOAT, 100 + i, EDGES_F[i]);
                }
                for (int i = 0; i < EDGES_D.length; i++) {
                    x64.setAtIndex(JAVA_DOUBLE, 100 + i, EDGES_D[i]);
                }
                for (Fn fn : FNS) {
                    UnaryRows.Loop v32 = VectorSupport.unary(fn.op, DType.FLOAT32);
                    UnaryRows.Loop v64 = VectorSupport.unary(fn.op, DType.FLOAT64);
                    for (int from = 0; from <= 16; from++) {
                        // round 0 likely runs the Vector API's Java fallback; warm the loops up for the next
                        int reps = round == 0 ? 1 : 40;
                        for (int k = 0; k < reps; k++) {
                            v32.run(x32, o, from, n - from / 2);
                        }
                        for (int i = from; i < n - from / 2; i++) {
                            float xi = x32.getAtIndex(JAVA_FLOAT, i);
                            int want = Float.floatToRawIntBits(fn.f32.apply(xi));
                            int got = Float.floatToRawIntBits(o.getAtIndex(JAVA_FLOAT, i));
                            if (want != got) {
                                fail(fn.name + " float32 at " + xi + " (index " + i + ", from " + from + "): vector "
                                        + Float.intBitsToFloat(got) + ", scalar " + Float.intBitsToFloat(want));
                            }
                        }
                        for (int k = 0; k < reps; k++) {
                            v64.run(x64, o, from, n - from / 2);
                        }
                        for (int i = from; i < n - from / 2; i++) {
                            double xi = x64.getAtIndex(JAVA_DOUBLE, i);
                            long want = Double.doubleToRawLongBits(fn.f64.applyAsDouble(xi));
                            long got = Double.doubleToRawLongBits(o.getAtIndex(JAVA_DOUBLE, i));
                            if (want != got) {
                                fail(fn.name + " float64 at " + xi + " (index " + i + ", from " + from + "): vector "
                                        + Double.longBitsToDouble(got) + ", scalar " + Double.longBitsToDouble(want));
                            }
                        }
                    }
                }
            }
        }
    }
}
