package dev.nabla.provider.nativeblas.kernels;

/**
 * exp, log, tanh and sigmoid written only with operations that IEEE 754 rounds exactly (+ − × ÷, fma,
 * comparisons, selections and bit manipulation): one lane of the Vector API loops of {@code VectorRows},
 * which compute the very same formulas on whole vectors, operation for operation, and call these methods
 * for their scalar tails. So a result does not depend on whether a loop ran interpreted, in C1 or as a C2
 * intrinsic, nor on where an element fell relative to the vector loop's bound: same input, same bits.
 * ({@code lanewise(EXP)} and friends of the Vector API give no such promise: the intrinsic calls the JDK's
 * vector math library, the fallback {@link Math#exp} per lane, and they differ by ulps; which one runs
 * depends on JIT timing.)
 *
 * <p>float32 is computed in float, float64 in double. NaN in gives {@link Float#NaN} / {@link Double#NaN}
 * out (one bit pattern, whatever the NaN's payload). Accuracy, in ulps of the result's type, as asserted by
 * {@code LaneMathTest} against {@link StrictMath} and {@link Math} evaluated in double over a sweep of all
 * float32 values, random float64 values and the edges (measured maxima in brackets):
 * <ul>
 *   <li>exp ≤ 1 ulp float32 (0.99), ≤ 1 ulp float64 (1.0): Cody–Waite reduction x = k·ln2 + r, |r| ≤ ln2/2
 *       (r by two fmas), e^r by a polynomial (Cephes' minimax for float32, Taylor to degree 13 for float64),
 *       times 2^k built from exponent bits in two halves, so that subnormal results round once and overflow
 *       gives +∞; the argument is first clamped to [−104, 89] (float32), [−746, 710] (float64);</li>
 *   <li>log ≤ 1 ulp float32 (0.77), ≤ 1 ulp float64 (1.0): x = 2^k·m with m in [√2/2, √2), log m = 2·atanh(s),
 *       s = f/(2+f), f = m − 1, by fdlibm's polynomials; subnormals are scaled by 2^25 (2^54) first;
 *       log ±0 = −∞, log x&lt;0 = NaN, log +∞ = +∞;</li>
 *   <li>tanh ≤ 1.5 ulp float32 (1.49), ≤ 3 ulp float64 (3.0 against StrictMath, 1.0 against Math): for
 *       |x| &lt; 0.625 x + x³·P(x²) (Cephes' polynomial for float32, its rational function for float64), above
 *       (1 − e)/(1 + e) with e = e^(−2|x|) (never overflows, no cancellation); the sign is copied from x, so
 *       tanh(−0.0) = −0.0;</li>
 *   <li>sigmoid ≤ 2.5 ulp float32 (2.09), ≤ 2 ulp float64 (2.0): e = e^(−|x|), then 1/(1+e) for x ≥ 0 and
 *       e/(1+e) below, as {@code KernelMath.sigmoid}; it underflows to 0 below about −104 (−746) as the true
 *       value does.</li>
 * </ul>
 */
final class LaneMath {
    private LaneMath() {
    }

    // ------------------------------------------------------------------ exp

    /** exp's argument is clamped to this range first: below, e^x rounds to 0; above, it overflows. */
    static final float EXP_LO_F = -104f;
    static final float EXP_HI_F = 89f;
    static final double EXP_LO_D = -746.0;
    static final double EXP_HI_D = 710.0;
    static final float LOG2E_F = 1.44269504088896341f;
    static final double LOG2E_D = 1.44269504088896338700e+00;
    /** 1.5·2^23 (1.5·2^52): adding it rounds to an integer, which lands in the low mantissa bits. */
    static final float SHIFTER_F = 12582912f;
    static final double SHIFTER_D = 6755399441055744.0;
    static final int SHIFTER_F_BITS = 0x4B400000;
    static final long SHIFTER_D_BITS = 0x4338000000000000L;
    /** ln2 = LN2_HI + LN2_LO (Cephes' split for float, fdlibm's for double). */
    static final float LN2_HI_F = 0.693359375f;
    static final float LN2_LO_F = -2.12194440e-4f;
    static final double LN2_HI_D = 6.93147180369123816490e-01;
    static final double LN2_LO_D = 1.90821492927058770002e-10;
    /** Cephes expf: e^r ≈ 1 + r + r²·(P0·r^5 + … + P5) on |r| ≤ ln2/2. */
    static final float EXP_P0_F = 1.9875691500e-4f;
    static final float EXP_P1_F = 1.3981999507e-3f;
    static final float EXP_P2_F = 8.3334519073e-3f;
    static final float EXP_P3_F = 4.1665795894e-2f;
    static final float EXP_P4_F = 1.6666665459e-1f;
    static final float EXP_P5_F = 5.0000001201e-1f;
    /** 1/n!, n = 2..13: e^r ≈ 1 + r + r²·(C2 + C3·r + … + C13·r^11); the remainder is below 2^-57 on |r| ≤ ln2/2. */
    static final double EXP_C2 = 1.0 / 2;
    static final double EXP_C3 = 1.0 / 6;
    static final double EXP_C4 = 1.0 / 24;
    static final double EXP_C5 = 1.0 / 120;
    static final double EXP_C6 = 1.0 / 720;
    static final double EXP_C7 = 1.0 / 5040;
    static final double EXP_C8 = 1.0 / 40320;
    static final double EXP_C9 = 1.0 / 362880;
    static final double EXP_C10 = 1.0 / 3628800;
    static final double EXP_C11 = 1.0 / 39916800;
    static final double EXP_C12 = 1.0 / 479001600;
    static final double EXP_C13 = 1.0 / 6227020800.0;

    /** e^x in float32. */
    static float exp(float x) {
        if (x != x) {
            return Float.NaN;
        }
        float xc = Math.min(Math.max(x, EXP_LO_F), EXP_HI_F);
        float t = xc * LOG2E_F + SHIFTER_F;
        float kf = t - SHIFTER_F;
        int k = Float.floatToRawIntBits(t) - SHIFTER_F_BITS;
        float r = Math.fma(kf, -LN2_HI_F, xc);
        r = Math.fma(kf, -LN2_LO_F, r);
        float p = Math.fma(EXP_P0_F, r, EXP_P1_F);
        p = Math.fma(p, r, EXP_P2_F);
        p = Math.fma(p, r, EXP_P3_F);
        p = Math.fma(p, r, EXP_P4_F);
        p = Math.fma(p, r, EXP_P5_F);
        float y = Math.fma(p, r * r, r) + 1f;
        int k1 = k >> 1;
        int k2 = k - k1;
        return y * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
    }

    /** e^x in float64. */
    static double exp(double x) {
        if (x != x) {
            return Double.NaN;
        }
        double xc = Math.min(Math.max(x, EXP_LO_D), EXP_HI_D);
        double t = xc * LOG2E_D + SHIFTER_D;
        double kd = t - SHIFTER_D;
        long k = Double.doubleToRawLongBits(t) - SHIFTER_D_BITS;
        double r = Math.fma(kd, -LN2_HI_D, xc);
        r = Math.fma(kd, -LN2_LO_D, r);
        double p = Math.fma(EXP_C13, r, EXP_C12);
        p = Math.fma(p, r, EXP_C11);
        p = Math.fma(p, r, EXP_C10);
        p = Math.fma(p, r, EXP_C9);
        p = Math.fma(p, r, EXP_C8);
        p = Math.fma(p, r, EXP_C7);
        p = Math.fma(p, r, EXP_C6);
        p = Math.fma(p, r, EXP_C5);
        p = Math.fma(p, r, EXP_C4);
        p = Math.fma(p, r, EXP_C3);
        p = Math.fma(p, r, EXP_C2);
        double y = Math.fma(p, r * r, r) + 1.0;
        long k1 = k >> 1;
        long k2 = k - k1;
        return y * Double.longBitsToDouble((k1 + 1023) << 52) * Double.longBitsToDouble((k2 + 1023) << 52);
    }

    // ------------------------------------------------------------------ log

    /** fdlibm / musl logf: log(1+f) = f − f²/2 + s·(f²/2 + R(s²)), s = f/(2+f). */
    static final float LG1_F = 0xaaaaaa.0p-24f;
    static final float LG2_F = 0xccce13.0p-25f;
    static final float LG3_F = 0x91e9ee.0p-25f;
    static final float LG4_F = 0xf89e26.0p-26f;
    static final float LOG_LN2_HI_F = 6.9313812256e-01f;
    static final float LOG_LN2_LO_F = 9.0580006145e-06f;
    static final double LG1 = 6.666666666666735130e-01;
    static final double LG2 = 3.999999999940941908e-01;
    static final double LG3 = 2.857142874366239149e-01;
    static final double LG4 = 2.222219843214978396e-01;
    static final double LG5 = 1.818357216161805012e-01;
    static final double LG6 = 1.531383769920937332e-01;
    static final double LG7 = 1.479819860511658591e-01;
    /** The bits of √2/2 (float) and the high word of √2/2 (double): m is put in [√2/2, √2). */
    static final int SQRT_HALF_F_BITS = 0x3f3504f3;
    static final long SQRT_HALF_D_BITS = 0x3fe6a09e00000000L;
    /** Subnormal arguments are multiplied by 2^25 (2^54) first. */
    static final float SUBNORMAL_SCALE_F = 0x1p25f;
    static final double SUBNORMAL_SCALE_D = 0x1p54;

    /** The natural logarithm in float32. */
    static float log(float x) {
        boolean sub = x < Float.MIN_NORMAL;
        float xs = sub ? x * SUBNORMAL_SCALE_F : x;
        float adj = sub ? -25f : 0f;
        int ix = Float.floatToRawIntBits(xs) + (0x3f800000 - SQRT_HALF_F_BITS);
        int k = (ix >>> 23) - 0x7f;
        float m = Float.intBitsToFloat((ix & 0x007fffff) + SQRT_HALF_F_BITS);
        float f = m - 1f;
        float s = f / (2f + f);
        float z = s * s;
        float w = z * z;
        float t1 = w * (LG2_F + w * LG4_F);
        float t2 = z * (LG1_F + w * LG3_F);
        float rr = t2 + t1;
        float hfsq = 0.5f * f * f;
        float dk = k + adj;
        float r = s * (hfsq + rr) + dk * LOG_LN2_LO_F - hfsq + f + dk * LOG_LN2_HI_F;
        if (x == Float.POSITIVE_INFINITY) {
            return Float.POSITIVE_INFINITY;
        }
        if (x == 0f) {
            return Float.NEGATIVE_INFINITY;
        }
        return x < 0f || x != x ? Float.NaN : r;
    }

    /** The natural logarithm in float64. */
    static double log(double x) {
        boolean sub = x < Double.MIN_NORMAL;
        double xs = sub ? x * SUBNORMAL_SCALE_D : x;
        double adj = sub ? -54.0 : 0.0;
        long ix = Double.doubleToRawLongBits(xs) + (0x3ff0000000000000L - SQRT_HALF_D_BITS);
        long k = (ix >>> 52) - 0x3ff;
        double m = Double.longBitsToDouble((ix & 0x000fffffffffffffL) + SQRT_HALF_D_BITS);
        double f = m - 1.0;
        double hfsq = 0.5 * f * f;
        double s = f / (2.0 + f);
        double z = s * s;
        double w = z * z;
        double t1 = w * (LG2 + w * (LG4 + w * LG6));
        double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
        double rr = t2 + t1;
        double dk = k + adj;
        double r = s * (hfsq + rr) + dk * LN2_LO_D - hfsq + f + dk * LN2_HI_D;
        if (x == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        if (x == 0.0) {
            return Double.NEGATIVE_INFINITY;
        }
        return x < 0.0 || x != x ? Double.NaN : r;
    }

    // ------------------------------------------------------------------ tanh

    /** Below this |x|, tanh is the small-argument polynomial (Cephes' switch point). */
    static final float TANH_SMALL_F = 0.625f;
    static final double TANH_SMALL_D = 0.625;
    /** Cephes tanhf: tanh x ≈ x + x·z·P(z), z = x². */
    static final float TANH_P0_F = -5.70498872745e-3f;
    static final float TANH_P1_F = 2.06390887954e-2f;
    static final float TANH_P2_F = -5.37397155531e-2f;
    static final float TANH_P3_F = 1.33314422036e-1f;
    static final float TANH_P4_F = -3.33332819422e-1f;
    /** Cephes tanh: tanh x ≈ x + x·z·P(z)/Q(z), z = x², Q monic. */
    static final double TANH_P0 = -9.64399179425052238628e-1;
    static final double TANH_P1 = -9.92877231001918586564e1;
    static final double TANH_P2 = -1.61468768441708447952e3;
    static final double TANH_Q0 = 1.12811678491632931402e2;
    static final double TANH_Q1 = 2.23548839060100448583e3;
    static final double TANH_Q2 = 4.84406305325125486048e3;

    /** tanh in float32. */
    static float tanh(float x) {
        float a = Math.abs(x);
        float z = a * a;
        float p = Math.fma(TANH_P0_F, z, TANH_P1_F);
        p = Math.fma(p, z, TANH_P2_F);
        p = Math.fma(p, z, TANH_P3_F);
        p = Math.fma(p, z, TANH_P4_F);
        float small = Math.fma(p, a * z, a);
        float e = exp(a * -2f);
        float large = (1f - e) / (1f + e);
        float r = a < TANH_SMALL_F ? small : large;
        r = Float.intBitsToFloat(Float.floatToRawIntBits(r) | (Float.floatToRawIntBits(x) & 0x80000000));
        return x != x ? Float.NaN : r;
    }

    /** tanh in float64. */
    static double tanh(double x) {
        double a = Math.abs(x);
        double z = a * a;
        double p = Math.fma(TANH_P0, z, TANH_P1);
        p = Math.fma(p, z, TANH_P2);
        double q = z + TANH_Q0;
        q = Math.fma(q, z, TANH_Q1);
        q = Math.fma(q, z, TANH_Q2);
        double small = Math.fma(a * z, p / q, a);
        double e = exp(a * -2.0);
        double large = (1.0 - e) / (1.0 + e);
        double r = a < TANH_SMALL_D ? small : large;
        r = Double.longBitsToDouble(Double.doubleToRawLongBits(r) | (Double.doubleToRawLongBits(x) & Long.MIN_VALUE));
        return x != x ? Double.NaN : r;
    }

    // ------------------------------------------------------------------ sigmoid

    /** The logistic function 1/(1 + e^−x) in float32. */
    static float sigmoid(float x) {
        float e = exp(-Math.abs(x));
        float r = (x < 0f ? e : 1f) / (e + 1f);
        return x != x ? Float.NaN : r;
    }

    /** The logistic function 1/(1 + e^−x) in float64. */
    static double sigmoid(double x) {
        double e = exp(-Math.abs(x));
        double r = (x < 0.0 ? e : 1.0) / (e + 1.0);
        return x != x ? Double.NaN : r;
    }
}
