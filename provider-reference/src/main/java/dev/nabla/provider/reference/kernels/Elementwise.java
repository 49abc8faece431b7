package dev.nabla.provider.reference.kernels;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.reference.storage.HeapStorage;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * The elementwise kernels: {@code unary}, {@code binary} (with broadcasting) and {@code where}.
 *
 * <p>Every loop reads element {@code i} of an operand that aliases {@code out} before writing element
 * {@code i} of {@code out}, so in-place use is safe wherever the contract allows it.
 */
final class Elementwise {
    private Elementwise() {
    }

    static void unary(UnaryOp op, HeapStorage x, HeapStorage out) {
        int n = out.length();
        switch (x) {
            case HeapStorage.Float32 fx -> {
                DoubleUnaryOperator f = floatingOrThrow(op, x.dtype());
                float[] src = fx.data();
                float[] dst = ((HeapStorage.Float32) out).data();
                for (int i = 0; i < n; i++) {
                    dst[i] = (float) f.applyAsDouble(src[i]);
                }
            }
            case HeapStorage.Float64 dx -> {
                DoubleUnaryOperator f = floatingOrThrow(op, x.dtype());
                double[] src = dx.data();
                double[] dst = ((HeapStorage.Float64) out).data();
                for (int i = 0; i < n; i++) {
                    dst[i] = f.applyAsDouble(src[i]);
                }
            }
            case HeapStorage.Int32 ignored -> integerUnary(op, x, out, n);
            case HeapStorage.Int64 ignored -> integerUnary(op, x, out, n);
            case HeapStorage.Bool bx -> {
                if (op != UnaryOp.LOGICAL_NOT) {
                    throw Unsupported.of("unary", op, DType.BOOL);
                }
                boolean[] src = bx.data();
                boolean[] dst = ((HeapStorage.Bool) out).data();
                for (int i = 0; i < n; i++) {
                    dst[i] = !src[i];
                }
            }
        }
    }

    private static void integerUnary(UnaryOp op, HeapStorage x, HeapStorage out, int n) {
        LongUnaryOperator f = ScalarFunctions.integer(op);
        if (f == null) {
            throw Unsupported.of("unary", op, x.dtype());
        }
        for (int i = 0; i < n; i++) {
            out.setLong(i, f.applyAsLong(x.getLong(i)));
        }
    }

    private static DoubleUnaryOperator floatingOrThrow(UnaryOp op, DType dtype) {
        DoubleUnaryOperator f = ScalarFunctions.floating(op);
        if (f == null) {
            throw Unsupported.of("unary", op, dtype);
        }
        return f;
    }

    static void binary(BinaryOp op, HeapStorage a, Shape aShape, HeapStorage b, Shape bShape,
                       HeapStorage out, Shape outShape) {
        DType dtype = a.dtype();
        int n = out.length();
        if (n == 0) {
            checkSupported(op, dtype);
            return;
        }
        boolean sameShape = aShape.equals(outShape) && bShape.equals(outShape);
        if (op.isComparison()) {
            compare(op, a, aShape, b, bShape, (HeapStorage.Bool) out, outShape, n);
        } else if (op.isLogical()) {
            logical(op, a, aShape, b, bShape, out, outShape, n);
        } else if (dtype.isFloatingPoint()) {
            DoubleBinaryOperator f = ScalarFunctions.floating(op);
            if (sameShape && a instanceof HeapStorage.Float32 fa) {
                float[] x = fa.data();
                float[] y = ((HeapStorage.Float32) b).data();
                float[] z = ((HeapStorage.Float32) out).data();
                for (int i = 0; i < n; i++) {
                    z[i] = (float) f.applyAsDouble(x[i], y[i]);
                }
            } else if (sameShape && a instanceof HeapStorage.Float64 da) {
                double[] x = da.data();
                double[] y = ((HeapStorage.Float64) b).data();
                double[] z = ((HeapStorage.Float64) out).data();
                for (int i = 0; i < n; i++) {
                    z[i] = f.applyAsDouble(x[i], y[i]);
                }
            } else {
                StridedCursor c = cursor(outShape, aShape, bShape);
                for (int i = 0; i < n; i++) {
                    out.setDouble(i, f.applyAsDouble(a.getDouble(c.at(0)), b.getDouble(c.at(1))));
                    c.advance();
                }
            }
        } else if (dtype.isInteger()) {
            LongBinaryOperator f = ScalarFunctions.integer(op);
            StridedCursor c = cursor(outShape, aShape, bShape);
            for (int i = 0; i < n; i++) {
                out.setLong(i, f.applyAsLong(a.getLong(c.at(0)), b.getLong(c.at(1))));
                c.advance();
            }
        } else {
            throw Unsupported.of("binary", op, dtype);
        }
    }

    private static void checkSupported(BinaryOp op, DType dtype) {
        boolean ok = op.isComparison()
                || (op.isLogical() ? dtype == DType.BOOL : dtype != DType.BOOL);
        if (!ok) {
            throw Unsupported.of("binary", op, dtype);
        }
    }

    private static void compare(BinaryOp op, HeapStorage a, Shape aShape, HeapStorage b, Shape bShape,
                                HeapStorage.Bool out, Shape outShape, int n) {
        boolean[] z = out.data();
        StridedCursor c = cursor(outShape, aShape, bShape);
        if (a.dtype().isFloatingPoint()) {
            for (int i = 0; i < n; i++) {
                z[i] = ScalarFunctions.compare(op, a.getDouble(c.at(0)), b.getDouble(c.at(1)));
                c.advance();
            }
        } else {
            for (int i = 0; i < n; i++) {
                z[i] = ScalarFunctions.compare(op, a.getLong(c.at(0)), b.getLong(c.at(1)));
                c.advance();
            }
        }
    }

    private static void logical(BinaryOp op, HeapStorage a, Shape aShape, HeapStorage b,
                                Shape bShape, HeapStorage out, Shape outShape, int n) {
        if (!(a instanceof HeapStorage.Bool ba)) {
            throw Unsupported.of("binary", op, a.dtype());
        }
        boolean[] x = ba.data();
        boolean[] y = ((HeapStorage.Bool) b).data();
        boolean[] z = ((HeapStorage.Bool) out).data();
        boolean and = op == BinaryOp.AND;
        StridedCursor c = cursor(outShape, aShape, bShape);
        for (int i = 0; i < n; i++) {
            boolean p = x[c.at(0)];
            boolean q = y[c.at(1)];
            z[i] = and ? p && q : p || q;
            c.advance();
        }
    }

    static void where(HeapStorage.Bool cond, Shape condShape, HeapStorage a, Shape aShape, HeapStorage b,
                      Shape bShape, HeapStorage out, Shape outShape) {
        int n = out.length();
        boolean[] m = cond.data();
        StridedCursor c = cursor(outShape, condShape, aShape, bShape);
        for (int i = 0; i < n; i++) {
            if (m[c.at(0)]) {
                out.setFrom(i, a, c.at(1));
            } else {
                out.setFrom(i, b, c.at(2));
            }
            c.advance();
        }
    }

    /** A cursor over {@code outShape} tracking each operand's broadcast offset. */
    private static StridedCursor cursor(Shape outShape, Shape... operands) {
        long[][] strides = new long[operands.length][];
        for (int k = 0; k < operands.length; k++) {
            strides[k] = StridedCursor.broadcastStrides(operands[k], outShape);
        }
        return StridedCursor.over(outShape.dims(), strides);
    }
}
