package dev.nabla.provider.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.UnsupportedKernelException;
import org.junit.jupiter.api.Test;

/** The elementwise kernels: unary, binary with broadcasting, where; erf accuracy; unsupported combinations. */
class ElementwiseKernelsTest extends KernelTestSupport {

    @Test
    void binaryBroadcastsSizeOneAxes() {
        // a [2,1,3], b [1,4,1] -> out [2,4,3]
        double[] av = iota(6);
        double[] bv = {10, 20, 30, 40};
        Storage out = k.allocate(DType.FLOAT64, 24);
        k.binary(BinaryOp.SUB, f64(av), s(2, 1, 3), f64(bv), s(1, 4, 1), out, s(2, 4, 3));
        double[] got = d(out);
        for (int p = 0; p < 2; p++) {
            for (int q = 0; q < 4; q++) {
                for (int r = 0; r < 3; r++) {
                    assertEquals(av[p * 3 + r] - bv[q], got[(p * 4 + q) * 3 + r]);
                }
            }
        }
    }

    @Test
    void binaryInPlaceOverTheFullOperand() {
        Storage a = f32(1, 2, 3, 4, 5, 6);
        k.binary(BinaryOp.MUL, a, s(2, 3), f32(10, 100, 1000), s(1, 3), a, s(2, 3));
        assertArrayEquals(new float[] {10, 200, 3000, 40, 500, 6000}, f(a));
        Storage c = i64(5, 6);
        k.binary(BinaryOp.ADD, i64(1), s(1), c, s(2), c, s(2));
        assertArrayEquals(new long[] {6, 7}, l(c));
    }

    @Test
    void scalarsAndEmptyShapes() {
        Storage out = k.allocate(DType.FLOAT64, 1);
        k.binary(BinaryOp.POW, f64(2), s(), f64(10), s(), out, s());
        assertArrayEquals(new double[] {1024}, d(out));
        Storage empty = k.allocate(DType.FLOAT32, 0);
        k.binary(BinaryOp.ADD, f32(), s(0, 3), f32(1, 2, 3), s(1, 3), empty, s(0, 3));
        k.unary(UnaryOp.EXP, empty, empty);
        k.reduce(ReduceOp.SUM, empty, s(0, 3), new int[] {1}, k.allocate(DType.FLOAT32, 0));
        Storage sums = k.allocate(DType.FLOAT32, 3);
        k.fill(sums, 7);
        k.reduce(ReduceOp.SUM, empty, s(0, 3), new int[] {0}, sums);
        assertArrayEquals(new float[] {0, 0, 0}, f(sums));
    }

    @Test
    void integerDivisionIsFloorDivision() {
        Storage out = k.allocate(DType.INT32, 6);
        k.binary(BinaryOp.DIV, i32(-7, 7, -7, 7, 0, Integer.MIN_VALUE), s(6), i32(2, -2, -2, 2, 5, -1), s(6),
                out, s(6));
        assertArrayEquals(new int[] {-4, -4, 3, 3, 0, Integer.MIN_VALUE}, i(out));
        Storage out64 = k.allocate(DType.INT64, 2);
        k.binary(BinaryOp.DIV, i64(-1, Long.MAX_VALUE), s(2), i64(3, -1), s(2), out64, s(2));
        assertArrayEquals(new long[] {-1, -Long.MAX_VALUE}, l(out64));
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> k.binary(BinaryOp.DIV, i64(1), s(), i64(0), s(), k.allocate(DType.INT64, 1), s()));
        assertTrue(e.getMessage().contains("div"), e.getMessage());
    }

    @Test
    void integerArithmeticIsExactAndWraps() {
        Storage out = k.allocate(DType.INT32, 3);
        k.binary(BinaryOp.ADD, i32(Integer.MAX_VALUE, 1, -5), s(3), i32(1, 2, 3), s(3), out, s(3));
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 3, -2}, i(out));
        Storage pow = k.allocate(DType.INT64, 4);
        k.binary(BinaryOp.POW, i64(3, -2, 7, 0), s(4), i64(13, 3, 0, 0), s(4), pow, s(4));
        assertArrayEquals(new long[] {1594323, -8, 1, 1}, l(pow));
        Storage big = k.allocate(DType.INT64, 1);
        k.binary(BinaryOp.POW, i64(3), s(), i64(39), s(), big, s());
        assertArrayEquals(new long[] {4052555153018976267L}, l(big)); // 3^39: below 2^63, beyond 2^53
        Storage wrap = k.allocate(DType.INT32, 1);
        k.binary(BinaryOp.POW, i32(2), s(), i32(31), s(), wrap, s());
        assertArrayEquals(new int[] {Integer.MIN_VALUE}, i(wrap));
        assertThrows(ArithmeticException.class,
                () -> k.binary(BinaryOp.POW, i32(2), s(), i32(-1), s(), k.allocate(DType.INT32, 1), s()));
    }

    @Test
    void maxAndMinPropagateNaN() {
        Storage out = k.allocate(DType.FLOAT64, 3);
        k.binary(BinaryOp.MAX, f64(Double.NaN, 1, 2), s(3), f64(0, Double.NaN, 1), s(3), out, s(3));
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, 2}, d(out));
        k.binary(BinaryOp.MIN, f64(Double.NaN, 1, 2), s(3), f64(0, Double.NaN, 1), s(3), out, s(3));
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, 1}, d(out));
    }

    @Test
    void comparisonsGiveBoolForEveryDtype() {
        Storage out = k.allocate(DType.BOOL, 4);
        k.binary(BinaryOp.LT, bool(false, true, false, true), s(4), bool(true, false, false, true), s(4), out, s(4));
        assertArrayEquals(new boolean[] {true, false, false, false}, b(out));
        k.binary(BinaryOp.EQ, f64(Double.NaN, 1, 2, 3), s(4), f64(Double.NaN, 1, 3, 3), s(4), out, s(4));
        assertArrayEquals(new boolean[] {false, true, false, true}, b(out));
        k.binary(BinaryOp.GT, i64(Long.MAX_VALUE, 1, 2, 3), s(4), i64(Long.MAX_VALUE - 1), s(1), out, s(4));
        assertArrayEquals(new boolean[] {true, false, false, false}, b(out));
        Storage m = bool(true, false);
        k.binary(BinaryOp.AND, m, s(2), bool(true), s(1), m, s(2));
        assertArrayEquals(new boolean[] {true, false}, b(m));
        k.binary(BinaryOp.OR, m, s(2), bool(false, true), s(2), m, s(2));
        assertArrayEquals(new boolean[] {true, true}, b(m));
    }

    @Test
    void unaryEdgeValues() {
        Storage x = f64(-0.0, 0.0, Double.NaN, -3, 2);
        Storage out = k.allocate(DType.FLOAT64, 5);
        k.unary(UnaryOp.SIGN, x, out);
        assertArrayEquals(new double[] {0, 0, Double.NaN, -1, 1}, d(out));
        k.unary(UnaryOp.RELU, x, out);
        assertArrayEquals(new double[] {0, 0, Double.NaN, 0, 2}, d(out));

        Storage big = f64(-1000, 1000, 0);
        k.unary(UnaryOp.SIGMOID, big, big);
        assertArrayEquals(new double[] {0, 1, 0.5}, d(big));

        Storage ints = i32(-5, 0, 7, Integer.MIN_VALUE);
        k.unary(UnaryOp.ABS, ints, ints);
        assertArrayEquals(new int[] {5, 0, 7, Integer.MIN_VALUE}, i(ints));
        Storage signs = i64(-9, 0, 4);
        k.unary(UnaryOp.SIGN, signs, signs);
        assertArrayEquals(new long[] {-1, 0, 1}, l(signs));

        Storage m = bool(true, false);
        k.unary(UnaryOp.LOGICAL_NOT, m, m);
        assertArrayEquals(new boolean[] {false, true}, b(m));
    }

    @Test
    void float32IsComputedInDoubleAndRounded() {
        float[] xs = {0.1f, 1e-8f, 50f};
        Storage out = k.allocate(DType.FLOAT32, 3);
        k.unary(UnaryOp.EXPM1, f32(xs), out);
        float[] got = f(out);
        for (int j = 0; j < 3; j++) {
            assertEquals((float) Math.expm1(xs[j]), got[j]);
        }
    }

    @Test
    void whereBroadcastsAllOperands() {
        Storage out = k.allocate(DType.INT64, 6);
        k.where(bool(true, false, true), s(1, 3), i64(1, 2), s(2, 1), i64(-1, -2, -3), s(1, 3), out, s(2, 3));
        assertArrayEquals(new long[] {1, -2, 1, 2, -2, 2}, l(out));
    }

    @Test
    void erfIsAccurateToDoublePrecision() {
        double worst = 0;
        for (double x = -6.5; x <= 6.5; x += 0.0625) {
            worst = Math.max(worst, erfError(x));
        }
        for (double x : new double[] {1e-300, 1e-20, 1e-8, 1e-3, 0.3, 2.4999, 2.5, 2.5001, 3.7, 5.9, 6.01}) {
            worst = Math.max(worst, erfError(x));
            worst = Math.max(worst, erfError(-x));
        }
        assertTrue(worst < 1e-14, "worst relative error " + worst);

        Storage special = f64(0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 30);
        k.unary(UnaryOp.ERF, special, special);
        assertArrayEquals(new double[] {0, 1, -1, Double.NaN, 1}, d(special));
    }

    private double erfError(double x) {
        Storage st = f64(x);
        k.unary(UnaryOp.ERF, st, st);
        double got = d(st)[0];
        double want = HighPrecision.erf(x);
        return want == 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
    }

    @Test
    void unsupportedCombinationsNameBackendKernelAndDtype() {
        UnsupportedKernelException e = assertThrows(UnsupportedKernelException.class,
                () -> k.unary(UnaryOp.EXP, i32(1), k.allocate(DType.INT32, 1)));
        assertTrue(e.getMessage().contains("reference") && e.getMessage().contains("EXP")
                && e.getMessage().contains("int32"), e.getMessage());
        assertThrows(UnsupportedKernelException.class, () -> k.binary(BinaryOp.AND, f32(1), s(1), f32(1), s(1),
                k.allocate(DType.FLOAT32, 1), s(1)));
        assertThrows(UnsupportedKernelException.class, () -> k.binary(BinaryOp.ADD, bool(true), s(1),
                bool(true), s(1), k.allocate(DType.BOOL, 1), s(1)));
        UnsupportedKernelException mm = assertThrows(UnsupportedKernelException.class,
                () -> k.matmul(i32(1), s(1, 1), false, i32(1), s(1, 1), false, k.allocate(DType.INT32, 1),
                        s(1, 1)));
        assertTrue(mm.getMessage().contains("matmul") && mm.getMessage().contains("int32"), mm.getMessage());
        assertThrows(UnsupportedKernelException.class, () -> k.reduce(ReduceOp.SUM, bool(true), s(1),
                new int[] {0}, k.allocate(DType.BOOL, 1)));
    }
}
