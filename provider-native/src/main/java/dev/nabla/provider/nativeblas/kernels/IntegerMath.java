package dev.nabla.provider.nativeblas.kernels;

/** Exact integer arithmetic with the contract's semantics: floor division and non-negative powers. */
final class IntegerMath {
    private IntegerMath() {
    }

    /** Floor division, as Python's {@code //}; division by zero throws {@link ArithmeticException}. */
    static long floorDiv(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException(
                    "native backend: div: integer division by zero (binary(DIV) on an integer dtype)");
        }
        return Math.floorDiv(a, b);
    }

    /** {@code a^b} for {@code b >= 0} by repeated squaring, wrapping like long multiplication. */
    static long pow(long a, long b) {
        if (b < 0) {
            throw new ArithmeticException("native backend: pow: negative integer exponent " + b
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
