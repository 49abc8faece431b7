package dev.nabla.provider.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.UnsupportedKernelException;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The reference kernels against expectations computed independently in the test. */
class ReferenceKernelsTest {
    private final ReferenceBackend backend = new ReferenceBackend();
    private final Kernels k = backend.kernels();

    // ------------------------------------------------------------------ helpers

    private Storage f64(double... v) {
        return k.fromArray(v);
    }

    private Storage f32(float... v) {
        return k.fromArray(v);
    }

    private Storage i32(int... v) {
        return k.fromArray(v);
    }

    private Storage i64(long... v) {
        return k.fromArray(v);
    }

    private Storage bool(boolean... v) {
        return k.fromArray(v);
    }

    private double[] d(Storage s) {
        return (double[]) k.toArray(s);
    }

    private float[] f(Storage s) {
        return (float[]) k.toArray(s);
    }

    private int[] i(Storage s) {
        return (int[]) k.toArray(s);
    }

    private long[] l(Storage s) {
        return (long[]) k.toArray(s);
    }

    private boolean[] b(Storage s) {
        return (boolean[]) k.toArray(s);
    }

    private static double[] iota(int n) {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = j;
        }
        return v;
    }

    private static double[] random(Random r, int n) {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = r.nextGaussian();
        }
        return v;
    }

    private static Shape s(int... dims) {
        return Shape.of(dims);
    }

    // ------------------------------------------------------------------ memory

    @Nested
    class Memory {
        @Test
        void allocateIsZeroFilledForEveryDtype() {
            assertArrayEquals(new float[3], f(k.allocate(DType.FLOAT32, 3)));
            assertArrayEquals(new double[3], d(k.allocate(DType.FLOAT64, 3)));
            assertArrayEquals(new int[3], i(k.allocate(DType.INT32, 3)));
            assertArrayEquals(new long[3], l(k.allocate(DType.INT64, 3)));
            assertArrayEquals(new boolean[3], b(k.allocate(DType.BOOL, 3)));
            assertEquals(0, k.allocate(DType.FLOAT32, 0).size());
        }

        @Test
        void fromArrayAndToArrayCopy() {
            double[] src = {1, 2, 3};
            Storage st = k.fromArray(src);
            src[0] = 99;
            assertEquals(DType.FLOAT64, st.dtype());
            double[] out = d(st);
            assertArrayEquals(new double[] {1, 2, 3}, out);
            out[1] = 99;
            assertArrayEquals(new double[] {1, 2, 3}, d(st));
            assertEquals(DType.BOOL, bool(true).dtype());
            assertEquals(DType.INT32, i32(1).dtype());
        }

        @Test
        void oversizedAllocationIsRejectedWithTheSize() {
            UnsupportedKernelException e = assertThrows(UnsupportedKernelException.class,
                    () -> k.allocate(DType.FLOAT32, 3_000_000_000L));
            assertTrue(e.getMessage().contains("3000000000"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> k.fromArray(new short[2]));
        }

        @Test
        void releaseIsIdempotent() {
            Storage st = f64(1, 2);
            st.release();
            st.release();
            assertTrue(st.isReleased());
        }

        @Test
        void fillConvertsToTheDtype() {
            Storage a = k.allocate(DType.INT32, 2);
            k.fill(a, -2.7);
            assertArrayEquals(new int[] {-2, -2}, i(a));
            Storage m = k.allocate(DType.BOOL, 2);
            k.fill(m, 0.5);
            assertArrayEquals(new boolean[] {true, true}, b(m));
        }

        @Test
        void castFollowsTheRules() {
            Storage src = f64(-2.7, 2.7, -0.5, Double.NaN, 0.0, 3e10);
            Storage toInt = k.allocate(DType.INT32, 6);
            k.cast(src, toInt);
            assertArrayEquals(new int[] {-2, 2, 0, 0, 0, Integer.MAX_VALUE}, i(toInt));
            Storage toBool = k.allocate(DType.BOOL, 6);
            k.cast(src, toBool);
            assertArrayEquals(new boolean[] {true, true, true, true, false, true}, b(toBool));
            Storage fromBool = k.allocate(DType.FLOAT32, 2);
            k.cast(bool(true, false), fromBool);
            assertArrayEquals(new float[] {1, 0}, f(fromBool));
            Storage narrowed = k.allocate(DType.INT32, 1);
            k.cast(i64(1L << 32 | 5), narrowed);
            assertArrayEquals(new int[] {5}, i(narrowed));
            Storage widened = k.allocate(DType.FLOAT64, 1);
            k.cast(i64(Long.MAX_VALUE), widened);
            assertArrayEquals(new double[] {0x1p63}, d(widened));
            Storage exact = k.allocate(DType.INT64, 1);
            k.cast(i32(-7), exact);
            assertArrayEquals(new long[] {-7}, l(exact));
        }
    }

    // ------------------------------------------------------------------ elementwise

    @Nested
    class Elementwise {
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
            assertArrayEquals(new long[] {4052555153018976267L}, l(big)); // 3^39 < 2^63, beyond 2^53
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
            k.binary(BinaryOp.LT, bool(false, true, false, true), s(4), bool(true, false, false, true), s(4), out,
                    s(4));
            assertArrayEquals(new boolean[] {true, false, false, false}, b(out));
            k.binary(BinaryOp.EQ, f64(Double.NaN, 1, 2, 3), s(4), f64(Double.NaN, 1, 3, 3), s(4), out, s(4));
            assertArrayEquals(new boolean[] {false, true, false, true}, b(out));
            k.binary(BinaryOp.GT, i64(Long.MAX_VALUE, 1, 2, 3), s(4), i64(Long.MAX_VALUE - 1), s(1), out, s(4));
            assertArrayEquals(new boolean[] {true, false, false, false}, b(out));
            Storage m = bool(true, false);
            k.binary(BinaryOp.AND, m, s(2), bool(true), s(1), m, s(2));
            assertArrayEquals(new boolean[] {true, false}, b(m));
        }

        @Test
        void unaryEdgeValues() {
            Storage x = f64(-0.0, 0.0, Double.NaN, -3, 2);
            Storage out = k.allocate(DType.FLOAT64, 5);
            k.unary(UnaryOp.SIGN, x, out);
            double[] sign = d(out);
            assertEquals(0.0, sign[0]);
            assertEquals(0.0, sign[1]);
            assertTrue(Double.isNaN(sign[2]));
            assertEquals(-1.0, sign[3]);
            assertEquals(1.0, sign[4]);
            k.unary(UnaryOp.RELU, x, out);
            assertArrayEquals(new double[] {0, 0, Double.NaN, 0, 2}, d(out));

            Storage big = f64(-1000, 1000, 0);
            k.unary(UnaryOp.SIGMOID, big, big);
            assertArrayEquals(new double[] {0, 1, 0.5}, d(big));

            Storage ints = i32(-5, 0, 7, Integer.MIN_VALUE);
            k.unary(UnaryOp.ABS, ints, ints);
            assertArrayEquals(new int[] {5, 0, 7, Integer.MIN_VALUE}, i(ints));

            Storage m = bool(true, false);
            k.unary(UnaryOp.LOGICAL_NOT, m, m);
            assertArrayEquals(new boolean[] {false, true}, b(m));
        }

        @Test
        void float32IsComputedInDoubleAndRounded() {
            Storage x = f32(0.1f, 1e-8f, 50f);
            Storage out = k.allocate(DType.FLOAT32, 3);
            k.unary(UnaryOp.EXPM1, x, out);
            float[] got = f(out);
            float[] xs = {0.1f, 1e-8f, 50f};
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

    // ------------------------------------------------------------------ reductions

    @Nested
    class Reductions {
        @Test
        void reduceOverSeveralAxesKeepsDims() {
            Random r = new Random(1);
            double[] x = random(r, 2 * 3 * 4 * 5);
            Storage sum = k.allocate(DType.FLOAT64, 3 * 5);
            Storage max = k.allocate(DType.FLOAT64, 3 * 5);
            Storage min = k.allocate(DType.FLOAT64, 3 * 5);
            int[] axes = {0, 2};
            k.reduce(ReduceOp.SUM, f64(x), s(2, 3, 4, 5), axes, sum);
            k.reduce(ReduceOp.MAX, f64(x), s(2, 3, 4, 5), axes, max);
            k.reduce(ReduceOp.MIN, f64(x), s(2, 3, 4, 5), axes, min);
            for (int q = 0; q < 3; q++) {
                for (int t = 0; t < 5; t++) {
                    double es = 0;
                    double emax = Double.NEGATIVE_INFINITY;
                    double emin = Double.POSITIVE_INFINITY;
                    for (int p = 0; p < 2; p++) {
                        for (int u = 0; u < 4; u++) {
                            double v = x[((p * 3 + q) * 4 + u) * 5 + t];
                            es += v;
                            emax = Math.max(emax, v);
                            emin = Math.min(emin, v);
                        }
                    }
                    assertEquals(es, d(sum)[q * 5 + t], 1e-12);
                    assertEquals(emax, d(max)[q * 5 + t]);
                    assertEquals(emin, d(min)[q * 5 + t]);
                }
            }
        }

        @Test
        void reduceEdgeCases() {
            Storage copy = k.allocate(DType.INT32, 3);
            k.reduce(ReduceOp.SUM, i32(1, 2, 3), s(3), new int[0], copy);
            assertArrayEquals(new int[] {1, 2, 3}, i(copy));
            Storage wrap = k.allocate(DType.INT32, 1);
            k.reduce(ReduceOp.SUM, i32(Integer.MAX_VALUE, 1), s(2), new int[] {0}, wrap);
            assertArrayEquals(new int[] {Integer.MIN_VALUE}, i(wrap));
            Storage nan = k.allocate(DType.FLOAT32, 2);
            k.reduce(ReduceOp.MAX, f32(1, Float.NaN, 3, 4), s(2, 2), new int[] {1}, nan);
            assertArrayEquals(new float[] {Float.NaN, 4}, f(nan));
            Storage scalar = k.allocate(DType.INT64, 1);
            k.reduce(ReduceOp.MIN, i64(5), s(), new int[0], scalar);
            assertArrayEquals(new long[] {5}, l(scalar));
            Storage all = k.allocate(DType.FLOAT32, 1);
            float[] ones = new float[10_000];
            java.util.Arrays.fill(ones, 0.1f);
            k.reduce(ReduceOp.SUM, f32(ones), s(100, 100), new int[] {0, 1}, all);
            assertEquals((float) (10_000 * (double) 0.1f), f(all)[0]);
        }

        @Test
        void argReduceTakesFirstOnTiesAndNaNWins() {
            // shape [2, 4], along axis 1
            Storage out = k.allocate(DType.INT64, 2);
            k.argReduce(true, f64(1, 5, 5, 2, 7, 7, 7, 7), s(2, 4), 1, out);
            assertArrayEquals(new long[] {1, 0}, l(out));
            k.argReduce(false, f64(3, 1, 2, 1, 0, 0, -1, -1), s(2, 4), 1, out);
            assertArrayEquals(new long[] {1, 2}, l(out));
            k.argReduce(true, f64(1, Double.NaN, 9, Double.NaN, 2, 3, 4, 5), s(2, 4), 1, out);
            assertArrayEquals(new long[] {1, 3}, l(out));
            k.argReduce(false, f64(Double.NaN, -5, 9, 0, 2, 3, Double.NaN, -9), s(2, 4), 1, out);
            assertArrayEquals(new long[] {0, 2}, l(out));
            // along axis 0 of [2, 3] int32
            Storage col = k.allocate(DType.INT64, 3);
            k.argReduce(true, i32(1, 9, 4, 3, 9, 2), s(2, 3), 0, col);
            assertArrayEquals(new long[] {1, 0, 0}, l(col));
        }

        @Test
        void cumsumAlongAMiddleAxis() {
            Storage out = k.allocate(DType.INT32, 12);
            // shape [2, 3, 2]
            k.cumsum(i32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), s(2, 3, 2), 1, out);
            assertArrayEquals(new int[] {1, 2, 4, 6, 9, 12, 7, 8, 16, 18, 27, 30}, i(out));
            Storage x = f64(1, 2, 3);
            k.cumsum(x, s(3), 0, x);
            assertArrayEquals(new double[] {1, 3, 6}, d(x));
        }

        @Test
        void logSoftmaxMatchesTheComposition() {
            LogSoftmaxKernel ls = backend.fused(LogSoftmaxKernel.class).orElseThrow();
            double[] x = {1, 2, 3, 1000, 1001, 1002};
            Storage y = k.allocate(DType.FLOAT64, 6);
            ls.logSoftmax(f64(x), s(2, 3), 1, y);
            double lse = Math.log(Math.exp(-2) + Math.exp(-1) + 1);
            double[] want = {-2 - lse, -1 - lse, -lse, -2 - lse, -1 - lse, -lse};
            assertArrayEquals(want, d(y), 1e-12);
            Storage dx = k.allocate(DType.FLOAT64, 6);
            ls.logSoftmaxBackward(f64(1, 0, 0, 0, 0, 1), y, s(2, 3), 1, dx);
            double[] got = d(dx);
            double[] yy = d(y);
            assertEquals(1 - Math.exp(yy[0]), got[0], 1e-12);
            assertEquals(-Math.exp(yy[1]), got[1], 1e-12);
            assertEquals(1 - Math.exp(yy[5]), got[5], 1e-12);
        }
    }

    // ------------------------------------------------------------------ matmul

    @Nested
    class MatMul {
        /** op(A)[i,p] for A stored as [m,k] (or [k,m] when transposed), at batch offset base. */
        private double at(double[] v, int base, int rows, int cols, boolean transposed, int r, int c) {
            return transposed ? v[base + c * rows + r] : v[base + r * cols + c];
        }

        @Test
        void batchedBroadcastWithEveryTransposeCombination() {
            Random rnd = new Random(7);
            int m = 3;
            int kk = 4;
            int n = 5;
            // a batch [2, 1], b batch [1, 3] -> out batch [2, 3]
            double[] a = random(rnd, 2 * m * kk);
            double[] b = random(rnd, 3 * kk * n);
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Shape aShape = ta ? s(2, 1, kk, m) : s(2, 1, m, kk);
                    Shape bShape = tb ? s(1, 3, n, kk) : s(1, 3, kk, n);
                    Storage out64 = k.allocate(DType.FLOAT64, 6 * m * n);
                    k.matmul(f64(a), aShape, ta, f64(b), bShape, tb, out64, s(2, 3, m, n));
                    float[] af = toFloat(a);
                    float[] bf = toFloat(b);
                    Storage out32 = k.allocate(DType.FLOAT32, 6 * m * n);
                    k.matmul(f32(af), aShape, ta, f32(bf), bShape, tb, out32, s(2, 3, m, n));
                    double[] got = d(out64);
                    float[] got32 = f(out32);
                    for (int p = 0; p < 2; p++) {
                        for (int q = 0; q < 3; q++) {
                            for (int r = 0; r < m; r++) {
                                for (int c = 0; c < n; c++) {
                                    double want = 0;
                                    for (int t = 0; t < kk; t++) {
                                        want += at(a, p * m * kk, m, kk, ta, r, t) * at(b, q * kk * n, kk, n, tb, t, c);
                                    }
                                    int o = ((p * 3 + q) * m + r) * n + c;
                                    assertEquals(want, got[o], 1e-12, "ta=" + ta + " tb=" + tb);
                                    assertEquals(want, got32[o], 1e-5, "float32 ta=" + ta + " tb=" + tb);
                                }
                            }
                        }
                    }
                }
            }
        }

        @Test
        void emptyInnerDimensionGivesZeros() {
            Storage out = k.allocate(DType.FLOAT32, 4);
            k.fill(out, 5);
            k.matmul(f32(), s(2, 0), false, f32(), s(0, 2), false, out, s(2, 2));
            assertArrayEquals(new float[4], f(out));
        }

        @Test
        void largeFloat32ProductCompletes() {
            int n = 256;
            float[] a = new float[n * n];
            for (int j = 0; j < n; j++) {
                a[j * n + j] = 2;
            }
            float[] bv = toFloat(random(new Random(3), n * n));
            Storage out = k.allocate(DType.FLOAT32, n * n);
            k.matmul(f32(a), s(n, n), false, f32(bv), s(n, n), false, out, s(n, n));
            float[] got = f(out);
            for (int j = 0; j < n * n; j++) {
                assertEquals(2 * bv[j], got[j]);
            }
        }

        private static float[] toFloat(double[] v) {
            float[] f = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                f[j] = (float) v[j];
            }
            return f;
        }
    }

    // ------------------------------------------------------------------ layout and indexing

    @Nested
    class LayoutAndIndexing {
        @Test
        void stridedReadWithNegativeAndZeroStrides() {
            Storage x = f64(iota(12)); // viewed as [3, 4]
            Storage flipped = k.allocate(DType.FLOAT64, 12);
            k.stridedRead(x, 11, new long[] {-4, -1}, s(3, 4), flipped);
            double[] want = new double[12];
            for (int j = 0; j < 12; j++) {
                want[j] = 11 - j;
            }
            assertArrayEquals(want, d(flipped));

            Storage bcast = k.allocate(DType.FLOAT64, 6);
            k.stridedRead(x, 4, new long[] {0, 2}, s(3, 2), bcast); // row 1, every other column, repeated
            assertArrayEquals(new double[] {4, 6, 4, 6, 4, 6}, d(bcast));

            Storage transposed = k.allocate(DType.FLOAT64, 12);
            k.stridedRead(x, 0, new long[] {1, 4}, s(4, 3), transposed);
            assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, d(transposed));

            Storage scalar = k.allocate(DType.FLOAT64, 1);
            k.stridedRead(x, 7, new long[0], s(), scalar);
            assertArrayEquals(new double[] {7}, d(scalar));
        }

        @Test
        void stridedWriteAccumulatesOverlappingWindowsAndAssignsOtherwise() {
            // windows of size 3, stride 1 over a length-5 signal: src [3 windows, 3 taps]
            Storage out = f32(100, 0, 0, 0, 0);
            k.stridedWrite(f32(1, 1, 1, 1, 1, 1, 1, 1, 1), s(3, 3), out, 0, new long[] {1, 1}, true);
            assertArrayEquals(new float[] {101, 2, 3, 2, 1}, f(out));

            Storage ints = i64(0, 0, 0, 0);
            k.stridedWrite(i64(5, 6), s(2), ints, 3, new long[] {-2}, false);
            assertArrayEquals(new long[] {0, 6, 0, 5}, l(ints));

            Storage broadcastGrad = f64(0, 0);
            k.stridedWrite(f64(1, 2, 3, 4, 5, 6), s(3, 2), broadcastGrad, 0, new long[] {0, 1}, true);
            assertArrayEquals(new double[] {9, 12}, d(broadcastGrad));
        }

        @Test
        void indexSelectAndIndexAddWithRepeatedIndices() {
            Storage x = f64(iota(6)); // [2, 3]
            Storage out = k.allocate(DType.FLOAT64, 8);
            k.indexSelect(x, s(2, 3), 1, i64(2, 0, 2, 1), out);
            assertArrayEquals(new double[] {2, 0, 2, 1, 5, 3, 5, 4}, d(out));

            Storage rows = k.allocate(DType.FLOAT64, 9);
            k.indexSelect(x, s(2, 3), 0, i64(1, 1, 0), rows);
            assertArrayEquals(new double[] {3, 4, 5, 3, 4, 5, 0, 1, 2}, d(rows));

            Storage acc = f32(1, 1, 1, 1, 1, 1); // [2, 3]
            k.indexAdd(f32(1, 2, 3, 4, 10, 20, 30, 40), i64(2, 0, 2, 1), 1, acc, s(2, 3));
            assertArrayEquals(new float[] {3, 5, 5, 21, 41, 41}, f(acc));

            Storage accRows = i32(0, 0, 0, 0); // [2, 2]
            k.indexAdd(i32(1, 2, 3, 4, 5, 6), i64(1, 1, 0), 0, accRows, s(2, 2));
            assertArrayEquals(new int[] {5, 6, 4, 6}, i(accRows));
        }

        @Test
        void gatherAndScatterAddFollowPyTorch() {
            // torch.gather(t=[[1,2],[3,4]], 1, [[0,0],[1,0]]) == [[1,1],[4,3]]
            Storage out = k.allocate(DType.INT64, 4);
            k.gather(i64(1, 2, 3, 4), s(2, 2), 1, i64(0, 0, 1, 0), s(2, 2), out);
            assertArrayEquals(new long[] {1, 1, 4, 3}, l(out));

            // along axis 0 with a smaller index: x [3, 3], index [2, 2]
            Storage g = k.allocate(DType.FLOAT64, 4);
            k.gather(f64(iota(9)), s(3, 3), 0, i64(2, 0, 1, 2), s(2, 2), g);
            assertArrayEquals(new double[] {6, 1, 3, 7}, d(g));

            // torch.zeros(3,3).scatter_add_(0, [[0,1,2],[0,0,0]], ones(2,3)) == [[2,1,1],[0,1,0],[0,0,1]]
            Storage sa = k.allocate(DType.FLOAT32, 9);
            k.scatterAdd(f32(1, 1, 1, 1, 1, 1), i64(0, 1, 2, 0, 0, 0), s(2, 3), 0, sa, s(3, 3));
            assertArrayEquals(new float[] {2, 1, 1, 0, 1, 0, 0, 0, 1}, f(sa));

            Storage sb = f64(10, 10, 10, 10, 10, 10); // [2, 3] along axis 1, index [2, 2]
            k.scatterAdd(f64(1, 2, 3, 4), i64(2, 2, 0, 1), s(2, 2), 1, sb, s(2, 3));
            assertArrayEquals(new double[] {10, 10, 13, 13, 14, 10}, d(sb));
        }

        @Test
        void boolAccumulationIsUnsupportedButAssignmentWorks() {
            Storage m = bool(false, false);
            k.stridedWrite(bool(true), s(1), m, 1, new long[] {1}, false);
            assertArrayEquals(new boolean[] {false, true}, b(m));
            assertThrows(UnsupportedKernelException.class,
                    () -> k.stridedWrite(bool(true), s(1), m, 1, new long[] {1}, true));
        }
    }
}
