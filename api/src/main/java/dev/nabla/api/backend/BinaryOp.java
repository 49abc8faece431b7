package dev.nabla.api.backend;

/**
 * The elementwise binary kernels a backend implements, {@code out[i] = f(a[i], b[i])} with
 * broadcasting (see {@link Kernels#binary}).
 *
 * <p>Both operands have the same dtype. Arithmetic ops apply to float32, float64, int32 and int64 and
 * produce that dtype; comparisons apply to every dtype including bool and produce {@code bool};
 * logical ops apply to bool only.
 */
public enum BinaryOp {
    /** {@code a + b}. */
    ADD,
    /** {@code a - b}. */
    SUB,
    /** {@code a * b}. */
    MUL,
    /** {@code a / b}; on integers, floor division (rounds toward negative infinity, as Python's {@code //}); integer division by zero throws {@link ArithmeticException}. */
    DIV,
    /** {@code a ^ b} ({@link Math#pow} semantics); on integers, the exact power for {@code b >= 0}. */
    POW,
    /** Larger of the two; NaN if either is NaN. */
    MAX,
    /** Smaller of the two; NaN if either is NaN. */
    MIN,
    /** {@code a == b}, bool result. */
    EQ,
    /** {@code a != b}, bool result. */
    NE,
    /** {@code a < b}, bool result. */
    LT,
    /** {@code a <= b}, bool result. */
    LE,
    /** {@code a > b}, bool result. */
    GT,
    /** {@code a >= b}, bool result. */
    GE,
    /** {@code a AND b}; bool only. */
    AND,
    /** {@code a OR b}; bool only. */
    OR;

    /** True for the comparisons, whose result dtype is bool whatever the operands'. */
    public boolean isComparison() {
        return switch (this) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /** True for the logical ops, which apply to bool operands only. */
    public boolean isLogical() {
        return this == AND || this == OR;
    }
}
