package dev.nabla.provider.reference.kernels;

/**
 * The error function in double precision, to about 1e-15 relative.
 *
 * <p>For {@code |x| < 2.5} it sums the everywhere-positive series
 * {@code erf(x) = 2/√π · e^(-x²) · Σ_n 2^n x^(2n+1) / (1·3·…·(2n+1))}, which has no cancellation.
 * For larger {@code |x|} it evaluates {@code erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))}
 * as a continued fraction (modified Lentz) and returns {@code 1 - erfc}. Beyond 6, {@code erf} is 1 to
 * double precision.
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double ONE_OVER_SQRT_PI = 1.0 / Math.sqrt(Math.PI);
    private static final double TINY = 1e-300;

    private Erf() {
    }

    /** {@code erf(x)}; odd, NaN for NaN, ±1 at ±∞. */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double r;
        if (a < 2.5) {
            r = series(a);
        } else if (a < 6.0) {
            r = 1.0 - erfcContinuedFraction(a);
        } else {
            r = 1.0;
        }
        return x < 0 ? -r : r;
    }

    /** The positive series, for {@code 0 <= a < 2.5}. */
    private static double series(double a) {
        if (a == 0) {
            return 0.0;
        }
        double x2 = a * a;
        double term = a;
        double sum = a;
        for (int n = 0; n < 200; n++) {
            term *= 2 * x2 / (2 * n + 3);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /** {@code erfc(a)} for {@code a >= 2.5} by the continued fraction with partial numerators n/2. */
    private static double erfcContinuedFraction(double a) {
        // f = a + (1/2)/(a + (2/2)/(a + (3/2)/(a + ...))), evaluated by the modified Lentz method.
        double f = a;
        double c = a;
        double d = 0.0;
        for (int n = 1; n < 5000; n++) {
            double an = n * 0.5;
            d = a + an * d;
            d = d == 0 ? TINY : d;
            c = a + an / c;
            c = c == 0 ? TINY : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return ONE_OVER_SQRT_PI * Math.exp(-a * a) / f;
    }
}
