package dev.nabla.api.backend;

/**
 * The exact scalar meaning of the kernel operations whose Java library form is not obvious, in one
 * place, so every Java backend computes them the same way: the error function, an overflow-free
 * logistic sigmoid, flooring integer division and integer powers ({@link UnaryOp#ERF},
 * {@link UnaryOp#SIGMOID}, {@link BinaryOp#DIV} and {@link BinaryOp#POW} on integers).
 *
 * <p>{@code erf} to about 1e-15 relative: for {@code |x| < 2.5} the everywhere-positive series
 * {@code erf(x) = 2/√π · e^(-x²) · Σ_n 2^n x^(2n+1) / (1·3·…·(2n+1))}; for larger {@code |x|}
 * {@code 1 − erfc(x)} with {@code erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …))))} as a
 * continued fraction (modified Lentz); beyond 6 it is 1 to double precision. The conformance kit checks
 * backends against its own independent references, not against this class.
 */
public final class KernelMath {
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double ONE_OVER_SQRT_PI = 1.0 / Math.sqrt(Math.PI);
    private static final double TINY = 1e-300;

    private KernelMath() {
    }

    /** {@code 1 / (1 + e^-x)}, through {@code e^x / (1 + e^x)} for negative x so nothing overflows. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /** {@code erf(x)}; odd, NaN for NaN, ±1 at ±∞. */
    public static double erf(double x) {
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

    private static double erfcContinuedFraction(double a) {
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

    /** Floor division, as Python's {@code //}; division by zero throws {@link ArithmeticException}. */
    public static long floorDiv(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException(
                    "div: integer division by zero (binary(DIV) on an integer dtype)");
        }
        return Math.floorDiv(a, b);
    }

    /** {@code a^b} for {@code b >= 0} by repeated squaring, wrapping like long multiplication. */
    public static long pow(long a, long b) {
        if (b < 0) {
            throw new ArithmeticException("pow: negative integer exponent " + b
                    + " (the result is not an integer; use a floating dtype)");
        }
        long result = 1;
        long base = a;
        long e = b;
        while (e > 0) {
            if ((e & 1) != 0) {
                result *= base;
            }
            base *= base;
            e >>= 1;
        }
        return result;
    }
}
