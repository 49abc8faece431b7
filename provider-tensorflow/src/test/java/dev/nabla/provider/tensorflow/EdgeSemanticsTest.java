package dev.nabla.provider.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.api.Nabla;
import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import java.lang.reflect.Array;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Kernel by kernel, the TensorFlow backend against the reference on the inputs where TensorFlow's own
 * ops differ from Nabla's contract: integer floor division (negative operands, {@code MIN / -1},
 * division by zero), saturating float-to-integer casts with NaN and infinities, NaN in max/min and
 * their reductions, first-tie and first-NaN argmax/argmin, strided writes with and without
 * accumulation over overlapping and negative strides, repeated indices in the scatter kernels, and
 * in-place writes. Results must be identical (floats: equal, or both NaN). The fused log-softmax is
 * held to the reference's fused kernel on every axis, forward and backward, to 1e-12.
 */
class EdgeSemanticsTest {
    private final Backend tfBackend = new TensorflowBackendProvider().create();
    private final Kernels tf = tfBackend.kernels();
    private final Kernels ref = Nabla.backend("reference").kernels();

    /** Runs {@code kernel} on both backends over copies of {@code inputs} and compares the storages it returns. */
    private void same(String what, BiFunction<Kernels, Storage[], Storage> kernel, Object... inputs) {
        Object expected = run(ref, kernel, inputs);
        Object actual = run(tf, kernel, inputs);
        assertSameArray(what, expected, actual);
    }

    private static Object run(Kernels k, BiFunction<Kernels, Storage[], Storage> kernel, Object[] inputs) {
        Storage[] s = new Storage[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            s[i] = k.fromArray(inputs[i]);
        }
        Storage out = kernel.apply(k, s);
        Object result = k.toArray(out);
        for (Storage x : s) {
            x.release();
        }
        out.release();
        return result;
    }

    private static void assertSameArray(String what, Object expected, Object actual) {
        assertEquals(expected.getClass(), actual.getClass(), what + ": array type");
        int n = Array.getLength(expected);
        assertEquals(n, Array.getLength(actual), what + ": length");
        for (int i = 0; i < n; i++) {
            Object e = Array.get(expected, i);
            Object a = Array.get(actual, i);
            if (e instanceof Double d && a instanceof Double g) {
                if (!(d.isNaN() && g.isNaN()) && d.doubleValue() != g.doubleValue()) {
                    fail(what + ": element " + i + " expected " + d + " but was " + g);
                }
            } else if (e instanceof Float d && a instanceof Float g) {
                if (!(d.isNaN() && g.isNaN()) && d.floatValue() != g.floatValue()) {
                    fail(what + ": element " + i + " expected " + d + " but was " + g);
                }
            } else if (!e.equals(a)) {
                fail(what + ": element " + i + " expected " + e + " but was " + a);
            }
        }
    }

    private static Storage binary(Kernels k, BinaryOp op, Storage a, Shape as, Storage b, Shape bs, Shape os,
                                  DType outType) {
        Storage out = k.allocate(outType, os.size());
        k.binary(op, a, as, b, bs, out, os);
        return out;
    }

    @Test
    void integerDivisionFloorsAndWrapsMinOverMinusOne() {
        int[] a = {7, -7, 7, -7, 0, Integer.MIN_VALUE, Integer.MIN_VALUE, 5};
        int[] b = {2, 2, -2, -2, 3, -1, 1, -1};
        Shape s = Shape.of(8);
        same("int32 div", (k, x) -> binary(k, BinaryOp.DIV, x[0], s, x[1], s, s, DType.INT32), a, b);
        long[] la = {7, -7, 7, -7, Long.MIN_VALUE, Long.MIN_VALUE, -1, 9};
        long[] lb = {2, 2, -2, -2, -1, 1, 5, -4};
        same("int64 div", (k, x) -> binary(k, BinaryOp.DIV, x[0], s, x[1], s, s, DType.INT64), la, lb);
        // broadcast divisor column
        Shape m = Shape.of(2, 4);
        Shape col = Shape.of(2, 1);
        same("int64 div broadcast", (k, x) -> binary(k, BinaryOp.DIV, x[0], m, x[1], col, m, DType.INT64),
                la, new long[] {-1, 3});
    }

    @Test
    void integerDivisionByZeroAndNegativePowersThrowArithmeticException() {
        Storage a = tf.fromArray(new int[] {1, 2, 3});
        Storage b = tf.fromArray(new int[] {1, 0, 3});
        Storage out = tf.allocate(DType.INT32, 3);
        Shape s = Shape.of(3);
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> tf.binary(BinaryOp.DIV, a, s, b, s, out, s));
        assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
        Storage neg = tf.fromArray(new int[] {2, -1, 2});
        assertThrows(ArithmeticException.class, () -> tf.binary(BinaryOp.POW, a, s, neg, s, out, s));
        same("int pow", (k, x) -> binary(k, BinaryOp.POW, x[0], s, x[1], s, s, DType.INT64),
                new long[] {3, -2, 7}, new long[] {4, 3, 0});
        for (Storage x : new Storage[] {a, b, out, neg}) {
            x.release();
        }
    }

    @Test
    void floatToIntegerCastsTruncateSaturateAndMapNanToZero() {
        double[] d = {2.7, -2.7, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e20, -1e20,
                9.223372036854775807E18, 2147483647.9, -2147483648.9, 0.0, -0.0};
        float[] f = {2.7f, -2.7f, Float.NaN, Float.POSITIVE_INFINITY, -3e9f, 3e9f, 1e19f, -1e19f};
        for (DType to : new DType[] {DType.INT32, DType.INT64, DType.BOOL, DType.FLOAT32}) {
            same("float64 -> " + to, (k, x) -> cast(k, x[0], to), d);
            same("float32 -> " + to, (k, x) -> cast(k, x[0], to), f);
        }
        same("int64 -> int32 wraps", (k, x) -> cast(k, x[0], DType.INT32),
                new long[] {Long.MAX_VALUE, 1L << 32, -(1L << 31) - 1, 5});
        same("bool -> float32", (k, x) -> cast(k, x[0], DType.FLOAT32), new boolean[] {true, false});
        same("int32 -> bool", (k, x) -> cast(k, x[0], DType.BOOL), new int[] {0, -3, 4});
    }

    private static Storage cast(Kernels k, Storage x, DType to) {
        Storage out = k.allocate(to, x.size());
        k.cast(x, out);
        return out;
    }

    @Test
    void fillConvertsLikeAJavaCast() {
        for (DType t : new DType[] {DType.INT32, DType.INT64, DType.BOOL, DType.FLOAT32}) {
            for (double v : new double[] {Double.NaN, 1e20, -2.5, 0.0}) {
                same("fill " + t + " " + v, (k, x) -> {
                    Storage out = k.allocate(t, 3);
                    k.fill(out, v);
                    return out;
                });
            }
        }
    }

    @Test
    void maxAndMinPropagateNanFromEitherSideAndInReductions() {
        double[] a = {1, Double.NaN, 3, Double.NaN, -0.5, 2};
        double[] b = {Double.NaN, 2, 1, Double.NaN, 4, -2};
        Shape s = Shape.of(6);
        for (BinaryOp op : new BinaryOp[] {BinaryOp.MAX, BinaryOp.MIN}) {
            same(op + " float64", (k, x) -> binary(k, op, x[0], s, x[1], s, s, DType.FLOAT64), a, b);
        }
        Shape m = Shape.of(2, 3);
        for (ReduceOp op : ReduceOp.values()) {
            same("reduce " + op, (k, x) -> {
                Storage out = k.allocate(DType.FLOAT64, 2);
                k.reduce(op, x[0], m, new int[] {1}, out);
                return out;
            }, a);
        }
    }

    @Test
    void argReduceTakesTheFirstTieAndTheFirstNan() {
        Shape m = Shape.of(3, 4);
        double[] x = {1, 5, 5, 2, Double.NaN, 1, Double.NaN, 9, -1, -1, 0, -1};
        for (boolean max : new boolean[] {true, false}) {
            for (int axis = 0; axis < 2; axis++) {
                int ax = axis;
                same("arg" + (max ? "max" : "min") + " axis " + axis, (k, s) -> {
                    Storage out = k.allocate(DType.INT64, ax == 0 ? 4 : 3);
                    k.argReduce(max, s[0], m, ax, out);
                    return out;
                }, x);
            }
        }
        same("argmax int32 ties", (k, s) -> {
            Storage out = k.allocate(DType.INT64, 2);
            k.argReduce(true, s[0], Shape.of(2, 3), 1, out);
            return out;
        }, new int[] {4, 4, 1, -1, 7, 7});
    }

    @Test
    void stridedWritesAccumulateOverlapsAndLeaveOtherElementsAlone() {
        float[] src = {1, 2, 3, 4, 5, 6};
        float[] target = {10, 20, 30, 40, 50, 60, 70};
        // overlapping windows: positions 1 + i + j for a [2, 3] source
        same("stridedWrite accumulate", (k, s) -> {
            k.stridedWrite(s[0], Shape.of(2, 3), s[1], 1, new long[] {1, 1}, true);
            return s[1];
        }, src, target);
        // negative strides (a flip), assigned
        same("stridedWrite assign flipped", (k, s) -> {
            k.stridedWrite(s[0], Shape.of(6), s[1], 6, new long[] {-1}, false);
            return s[1];
        }, src, target);
        same("stridedRead broadcast and flip", (k, s) -> {
            Storage out = k.allocate(DType.FLOAT32, 6);
            k.stridedRead(s[0], 5, new long[] {0, -2}, Shape.of(2, 3), out);
            return out;
        }, src);
    }

    @Test
    void scatterKernelsAccumulateRepeatedIndices() {
        float[] x = {0, 0, 0, 0, 0, 0};
        float[] src = {1, 2, 3, 4, 5, 6};
        long[] idx = {2, 0, 2};
        same("indexAdd axis 1 with repeats", (k, s) -> {
            k.indexAdd(s[1], s[2], 1, s[0], Shape.of(2, 3));
            return s[0];
        }, x, src, idx);
        same("scatterAdd axis 0 with repeats", (k, s) -> {
            k.scatterAdd(s[1], s[2], Shape.of(2, 3), 0, s[0], Shape.of(2, 3));
            return s[0];
        }, x, src, new long[] {1, 1, 0, 1, 0, 0});
        same("gather axis 1", (k, s) -> {
            Storage out = k.allocate(DType.FLOAT32, 4);
            k.gather(s[0], Shape.of(2, 3), 1, s[1], Shape.of(2, 2), out);
            return out;
        }, src, new long[] {2, 2, 0, 1});
        same("indexSelect axis 0", (k, s) -> {
            Storage out = k.allocate(DType.FLOAT32, 9);
            k.indexSelect(s[0], Shape.of(2, 3), 0, s[1], out);
            return out;
        }, src, new long[] {1, 0, 1});
    }

    @Test
    void unaryEdgeValuesAndInPlaceWrites() {
        double[] v = {Double.NaN, -0.0, 0.0, -3, 2, Double.NEGATIVE_INFINITY};
        for (UnaryOp op : new UnaryOp[] {UnaryOp.SIGN, UnaryOp.RELU, UnaryOp.ABS, UnaryOp.NEG, UnaryOp.FLOOR}) {
            same("unary " + op, (k, s) -> {
                k.unary(op, s[0], s[0]);
                return s[0];
            }, v);
        }
        same("int32 relu/sign in place", (k, s) -> {
            k.unary(UnaryOp.SIGN, s[0], s[0]);
            return s[0];
        }, new int[] {-5, 0, 7});
        Shape m = Shape.of(2, 2);
        same("in-place add into the first operand", (k, s) -> {
            k.binary(BinaryOp.ADD, s[0], m, s[1], Shape.of(1, 2), s[0], m);
            k.binary(BinaryOp.MUL, s[0], m, s[0], m, s[0], m);
            return s[0];
        }, new float[] {1, 2, 3, 4}, new float[] {10, 20});
        same("cumsum int32 wraps", (k, s) -> {
            Storage out = k.allocate(DType.INT32, 3);
            k.cumsum(s[0], Shape.of(3), 0, out);
            return out;
        }, new int[] {Integer.MAX_VALUE, 1, 5});
        same("bool ordering", (k, s) -> binary(k, BinaryOp.LT, s[0], Shape.of(2), s[1], Shape.of(2), Shape.of(2),
                DType.BOOL), new boolean[] {false, true}, new boolean[] {true, true});
    }

    @Test
    void fusedLogSoftmaxMatchesTheReferenceOnEveryAxisAndItsBackwardToo() {
        LogSoftmaxKernel fused = tfBackend.fused(LogSoftmaxKernel.class).orElseThrow();
        LogSoftmaxKernel oracle = Nabla.backend("reference").fused(LogSoftmaxKernel.class).orElseThrow();
        Shape shape = Shape.of(2, 3, 4);
        double[] x = new double[24];
        double[] dy = new double[24];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i * 1.7) * 30; // large values: only a stable kernel gets these right
            dy[i] = Math.cos(i * 0.3);
        }
        for (int axis = 0; axis < 3; axis++) {
            double[] expected = logSoftmax(ref, oracle, x, shape, axis);
            double[] actual = logSoftmax(tf, fused, x, shape, axis);
            for (int i = 0; i < x.length; i++) {
                assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, Math.abs(expected[i])), "axis " + axis + " at " + i);
            }
            int ax = axis;
            double[] gExpected = backward(ref, oracle, expected, dy, shape, ax);
            double[] gActual = backward(tf, fused, actual, dy, shape, ax);
            for (int i = 0; i < x.length; i++) {
                assertEquals(gExpected[i], gActual[i], 1e-12, "backward axis " + axis + " at " + i);
            }
        }
    }

    private static double[] logSoftmax(Kernels k, LogSoftmaxKernel f, double[] x, Shape shape, int axis) {
        Storage in = k.fromArray(x);
        Storage out = k.allocate(DType.FLOAT64, x.length);
        f.logSoftmax(in, shape, axis, out);
        double[] r = (double[]) k.toArray(out);
        in.release();
        out.release();
        return r;
    }

    private static double[] backward(Kernels k, LogSoftmaxKernel f, double[] y, double[] dy, Shape shape, int axis) {
        Storage ys = k.fromArray(y);
        Storage g = k.fromArray(dy);
        Storage out = k.allocate(DType.FLOAT64, y.length);
        f.logSoftmaxBackward(g, ys, shape, axis, out);
        double[] r = (double[]) k.toArray(out);
        ys.release();
        g.release();
        out.release();
        return r;
    }
}
