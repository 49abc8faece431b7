package dev.nabla.provider.reference.kernels;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.KernelMath;
import dev.nabla.api.backend.UnaryOp;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * The scalar meaning of every unary and binary op, once in {@code double} (for the floating dtypes)
 * and once in {@code long} (for the integer dtypes). Each lookup returns {@code null} when the op has
 * no meaning in that domain; the caller turns that into an {@link dev.nabla.api.types.UnsupportedKernelException}.
 */
final class ScalarFunctions {
    private ScalarFunctions() {
    }

    /** The floating-point function of {@code op}, or null if it is not a floating op. */
    static DoubleUnaryOperator floating(UnaryOp op) {
        return switch (op) {
            case NEG -> x -> -x;
            case ABS -> Math::abs;
            case SIGN -> x -> x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : x;
            case EXP -> Math::exp;
            case EXPM1 -> Math::expm1;
            case LOG -> Math::log;
            case LOG1P -> Math::log1p;
            case SQRT -> Math::sqrt;
            case SIN -> Math::sin;
            case COS -> Math::cos;
            case TANH -> Math::tanh;
            case SIGMOID -> KernelMath::sigmoid;
            case RELU -> x -> x > 0 ? x : x == x ? 0.0 : x;
            case ERF -> KernelMath::erf;
            case FLOOR -> Math::floor;
            case LOGICAL_NOT -> null;
        };
    }

    /** The integer function of {@code op} (exact in long; int32 wraps on store), or null. */
    static LongUnaryOperator integer(UnaryOp op) {
        return switch (op) {
            case NEG -> x -> -x;
            case ABS -> Math::abs;
            case SIGN -> Long::signum;
            case RELU -> x -> Math.max(x, 0L);
            default -> null;
        };
    }

    /** The floating-point function of an arithmetic {@code op}, or null if {@code op} is not arithmetic. */
    static DoubleBinaryOperator floating(BinaryOp op) {
        return switch (op) {
            case ADD -> Double::sum;
            case SUB -> (a, b) -> a - b;
            case MUL -> (a, b) -> a * b;
            case DIV -> (a, b) -> a / b;
            case POW -> Math::pow;
            case MAX -> Math::max;
            case MIN -> Math::min;
            default -> null;
        };
    }

    /** The integer function of an arithmetic {@code op}, exact in long arithmetic, or null. */
    static LongBinaryOperator integer(BinaryOp op) {
        return switch (op) {
            case ADD -> Long::sum;
            case SUB -> (a, b) -> a - b;
            case MUL -> (a, b) -> a * b;
            case DIV -> KernelMath::floorDiv;
            case POW -> KernelMath::pow;
            case MAX -> Math::max;
            case MIN -> Math::min;
            default -> null;
        };
    }

    /** The result of comparison {@code op} on doubles, IEEE style: NaN compares unequal to everything. */
    static boolean compare(BinaryOp op, double a, double b) {
        return switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
            default -> throw new IllegalArgumentException("not a comparison: " + op);
        };
    }

    /** The result of comparison {@code op} on exact integers (bool compares as 0 and 1). */
    static boolean compare(BinaryOp op, long a, long b) {
        return switch (op) {
            case EQ -> a == b;
            case NE -> a != b;
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
            default -> throw new IllegalArgumentException("not a comparison: " + op);
        };
    }
}
