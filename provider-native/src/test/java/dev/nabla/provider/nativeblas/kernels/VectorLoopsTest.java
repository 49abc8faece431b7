package dev.nabla.provider.nativeblas.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.nativeblas.memory.BlockPool;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API loops against the reference backend, element by element, at the lengths where a
 * vector loop goes wrong — empty, shorter than one vector, one vector ± 1, several vectors ± 1, and
 * above the size where the work is split over two threads at offsets that are not vector multiples —
 * with NaN, ±∞, ±0.0, denormals and values that overflow exp mixed in.
 *
 * <p>Ops the vector loops compute exactly (+ − × ÷, max, min, comparisons, where, neg, abs, sqrt, relu) must match the
 * reference bit for bit (any NaN matches any NaN); exp, log, tanh and sigmoid within a few ulps;
 * sums within their summation order. Each case runs through a backend on the Vector API loops and
 * through one on the plain loops, so both stay right.
 */
class VectorLoopsTest {
    /** Lengths around vector multiples (16 floats or 8 doubles with AVX-512, 8/4 with AVX2), and one split. */
    private static final int[] LENGTHS = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 129, 1000,
        (int) Parallel.GRAIN * 2 + 13};
    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        0.0, -0.0, 1e-40, -1e-40, 1e-310, 100, -100, 1000, -1000, 88.5, -88.5, 709.9, -745, 1, -1, 0.5};

    private static BlockPool memory;
    private static Parallel parallel;
    private static Kernels vector;
    private static Kernels plain;
    private static Kernels reference;

    @BeforeAll
    static void kernels() {
        assertTrue(VectorSupport.available(), "the Vector API is resolved on the module path: "
                + VectorSupport.describe(false));
        memory = new BlockPool(64L << 20);
        parallel = new Parallel(2);
        vector = new NativeKernels(memory, null, parallel, true);
        plain = new NativeKernels(memory, null, parallel, false);
        assertTrue(((NativeKernels) vector).vector());
        assertTrue(!((NativeKernels) plain).vector());
        reference = Backends.providers().stream().filter(p -> p.name().equals("reference")).findFirst()
                .orElseThrow().create().kernels();
    }

    @AfterAll
    static void close() {
        parallel.close();
        memory.close();
    }

    /** n values: mostly uniform in [-3, 3], every 7th a special value. */
    private static double[] data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = i % 7 == 3 ? SPECIAL[r.nextInt(SPECIAL.length)] : r.nextDouble() * 6 - 3;
        }
        return d;
    }

    private static Storage storage(Kernels k, DType t, double[] d) {
        if (t == DType.FLOAT64) {
            return k.fromArray(d.clone());
        }
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return k.fromArray(f);
    }

    private static double[] values(Kernels k, Storage s) {
        Object a = k.toArray(s);
        if (a instanceof double[] d) {
            return d;
        }
        if (a instanceof boolean[] z) {
            double[] d = new double[z.length];
            for (int i = 0; i < z.length; i++) {
                d[i] = z[i] ? 1 : 0;
            }
            return d;
        }
        float[] f = (float[]) a;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** ulps allowed: 0 for exact ops, a few for the vector math library's transcendental functions. */
    private static void assertAgree(String what, DType t, double[] expected, double[] actual, double ulps) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) {
                continue;
            }
            boolean ok;
            if (ulps == 0 || Double.isInfinite(e)) {
                // exact, sign of zero included
                ok = Double.doubleToLongBits(e) == Double.doubleToLongBits(a);
            } else {
                // a few ulps; below the smallest normal number, a few of its ulps (denormals may flush)
                double ulp = t == DType.FLOAT32 ? Math.max(Math.ulp((float) e), Float.MIN_NORMAL * 0x1p-23)
                        : Math.max(Math.ulp(e), Double.MIN_NORMAL * 0x1p-52);
                double tiny = t == DType.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
                ok = Math.abs(a - e) <= ulps * ulp || (Math.abs(e) < tiny && Math.abs(a) < tiny);
            }
            if (!ok) {
                fail(what + " " + t + " element " + i + " of " + expected.length + ": reference " + e + ", got " + a);
            }
        }
    }

    private static double ulpsOf(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, TANH, SIGMOID -> 4;
            default -> 0;
        };
    }

    @Test
    void unaryLoopsMatchTheReference() {
        UnaryOp[] ops = {UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SQRT, UnaryOp.RELU, UnaryOp.EXP, UnaryOp.LOG,
            UnaryOp.TANH, UnaryOp.SIGMOID};
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : LENGTHS) {
                double[] d = data(n, n * 31L + t.ordinal());
                for (UnaryOp op : ops) {
                    Storage rx = storage(reference, t, d);
                    Storage ro = reference.allocate(t, n);
                    reference.unary(op, rx, ro);
                    double[] expected = values(reference, ro);
                    for (Kernels k : new Kernels[] {vector, plain}) {
                        Storage x = storage(k, t, d);
                        Storage o = k.allocate(t, n);
                        k.unary(op, x, o);
                        String what = op + " n=" + n + (k == vector ? " vector" : " plain");
                        assertAgree(what, t, expected, values(k, o), ulpsOf(op));
                        k.unary(op, x, x); // in place
                        assertAgree(what + " in place", t, expected, values(k, x), ulpsOf(op));
                        x.release();
                        o.release();
                    }
                }
            }
        }
    }

    /** Operand shapes for an output of n elements: equal shapes, a scalar either side, rows and columns. */
    private static List<int[][]> layouts(int n) {
        List<int[][]> l = new ArrayList<>();
        l.add(new int[][] {{n}, {n}, {n}});
        l.add(new int[][] {{n}, {1}, {n}});
        l.add(new int[][] {{1}, {n}, {n}});
        l.add(new int[][] {{1}, {1}, {1}});
        if (n > 0) {
            l.add(new int[][] {{3, n}, {1, n}, {3, n}}); // bias add: a row repeated over 3 rows
            l.add(new int[][] {{1, n}, {3, n}, {3, n}});
            l.add(new int[][] {{3, n}, {3, 1}, {3, n}}); // a column: one scalar per row
            l.add(new int[][] {{3, 1}, {3, n}, {3, n}});
        }
        return l;
    }

    @Test
    void binaryRowsMatchTheReference() {
        BinaryOp[] ops = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAX, BinaryOp.MIN,
            BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE};
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : LENGTHS) {
                for (int[][] s : layouts(n)) {
                    Shape as = Shape.of(s[0]);
                    Shape bs = Shape.of(s[1]);
                    Shape os = Shape.of(s[2]);
                    double[] a = data((int) as.size(), n * 7L + s[0].length);
                    double[] b = data((int) bs.size(), n * 13L + s[1][0]);
                    for (int i = 0; i < Math.min(a.length, b.length); i += 5) {
                        b[i] = a[i]; // ties, so that EQ, LE and GE see equal operands (±0.0 and NaN included)
                    }
                    for (BinaryOp op : ops) {
                        boolean comparison = op.isComparison();
                        DType ot = comparison ? DType.BOOL : t;
                        Storage ra = storage(reference, t, a);
                        Storage rb = storage(reference, t, b);
                        Storage ro = reference.allocate(ot, os.size());
                        reference.binary(op, ra, as, rb, bs, ro, os);
                        double[] expected = values(reference, ro);
                        for (Kernels k : new Kernels[] {vector, plain}) {
                            Storage x = storage(k, t, a);
                            Storage y = storage(k, t, b);
                            Storage o = k.allocate(ot, os.size());
                            k.binary(op, x, as, y, bs, o, os);
                            String what = op + " " + as + " " + bs + (k == vector ? " vector" : " plain");
                            assertAgree(what, t, expected, values(k, o), 0);
                            if (as.equals(os) && !comparison) { // in place into a
                                k.binary(op, x, as, y, bs, x, os);
                                assertAgree(what + " in place", t, expected, values(k, x), 0);
                            }
                            x.release();
                            y.release();
                            o.release();
                        }
                    }
                }
            }
        }
    }

    @Test
    void whereMatchesTheReference() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : LENGTHS) {
                double[] c = data(n, n + 5L);
                boolean[] cond = new boolean[n];
                for (int i = 0; i < n; i++) {
                    cond[i] = c[i] > 0;
                }
                for (int[][] s : layouts(n)) {
                    Shape as = Shape.of(s[0]);
                    Shape bs = Shape.of(s[1]);
                    Shape os = Shape.of(s[2]);
                    boolean[] cn = os.size() == n ? cond : new boolean[(int) os.size()];
                    for (int i = 0; i < cn.length; i++) {
                        cn[i] = i % 3 != 1;
                    }
                    double[] a = data((int) as.size(), n * 11L + s[0].length);
                    double[] b = data((int) bs.size(), n * 17L + s[1][0]);
                    Storage rc = reference.fromArray(cn.clone());
                    Storage ra = storage(reference, t, a);
                    Storage rb = storage(reference, t, b);
                    Storage ro = reference.allocate(t, os.size());
                    reference.where(rc, os, ra, as, rb, bs, ro, os);
                    double[] expected = values(reference, ro);
                    for (Kernels k : new Kernels[] {vector, plain}) {
                        Storage kc = k.fromArray(cn.clone());
                        Storage x = storage(k, t, a);
                        Storage y = storage(k, t, b);
                        Storage o = k.allocate(t, os.size());
                        k.where(kc, os, x, as, y, bs, o, os);
                        assertAgree("where " + as + " " + bs + (k == vector ? " vector" : " plain"), t, expected,
                                values(k, o), 0);
                        for (Storage st : new Storage[] {kc, x, y, o}) {
                            st.release();
                        }
                    }
                }
            }
        }
    }

    @Test
    void lastAxisReductionsMatchTheReference() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : LENGTHS) {
                if (n == 0) {
                    continue;
                }
                for (int rows : new int[] {1, 3}) {
                    Shape shape = Shape.of(rows, n);
                    double[] d = data(rows * n, n * 3L + rows);
                    // row 0 has no specials but zeros of both signs; the others may hold NaN and ±∞
                    for (int i = 0; i < n; i++) {
                        d[i] = i % 5 == 0 ? (i % 10 == 0 ? -0.0 : 0.0) : -(i % 3) - 0.5;
                    }
                    for (ReduceOp op : ReduceOp.values()) {
                        Storage rx = storage(reference, t, d);
                        Storage ro = reference.allocate(t, rows);
                        reference.reduce(op, rx, shape, new int[] {1}, ro);
                        double[] expected = values(reference, ro);
                        for (Kernels k : new Kernels[] {vector, plain}) {
                            Storage x = storage(k, t, d);
                            Storage o = k.allocate(t, rows);
                            k.reduce(op, x, shape, new int[] {1}, o);
                            double[] got = values(k, o);
                            String what = op + " " + shape + (k == vector ? " vector" : " plain");
                            if (op == ReduceOp.SUM) {
                                for (int r = 0; r < rows; r++) {
                                    double e = expected[r];
                                    double tol = (t == DType.FLOAT32 ? 1e-6 : 1e-12) * Math.max(1, Math.abs(e));
                                    assertTrue(Double.isNaN(e) ? Double.isNaN(got[r])
                                            : Double.isInfinite(e) ? e == got[r] : Math.abs(e - got[r]) <= tol,
                                            what + " row " + r + ": reference " + e + ", got " + got[r]);
                                }
                            } else {
                                assertAgree(what, t, expected, got, 0);
                            }
                            x.release();
                            o.release();
                        }
                    }
                }
            }
        }
    }

    @Test
    void leadingAxisReductionsMatchTheReference() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : LENGTHS) {
                if (n == 0 || n > 10_000) {
                    continue;
                }
                // rows of n added into an accumulator row: [5, n] over axis 0, [2, 3, n] over axis 1
                for (int[][] c : new int[][][] {{{5, n}, {0}}, {{2, 3, n}, {1}}}) {
                    Shape shape = Shape.of(c[0]);
                    double[] d = data((int) shape.size(), n * 5L + c[0].length);
                    for (ReduceOp op : ReduceOp.values()) {
                        Storage rx = storage(reference, t, d);
                        long outSize = shape.size() / (c[0].length == 2 ? 5 : 3);
                        Storage ro = reference.allocate(t, outSize);
                        reference.reduce(op, rx, shape, c[1], ro);
                        double[] expected = values(reference, ro);
                        for (Kernels k : new Kernels[] {vector, plain}) {
                            Storage x = storage(k, t, d);
                            Storage o = k.allocate(t, outSize);
                            k.reduce(op, x, shape, c[1], o);
                            double[] got = values(k, o);
                            String what = op + " " + shape + " axis " + c[1][0] + (k == vector ? " vector" : " plain");
                            if (op == ReduceOp.SUM) {
                                for (int i = 0; i < got.length; i++) {
                                    double e = expected[i];
                                    double tol = (t == DType.FLOAT32 ? 1e-6 : 1e-12) * Math.max(1, Math.abs(e));
                                    assertTrue(Double.isNaN(e) ? Double.isNaN(got[i])
                                            : Double.isInfinite(e) ? e == got[i] : Math.abs(e - got[i]) <= tol,
                                            what + " element " + i + ": reference " + e + ", got " + got[i]);
                                }
                            } else {
                                assertAgree(what, t, expected, got, 0);
                            }
                            x.release();
                            o.release();
                        }
                    }
                }
            }
        }
    }

    @Test
    void aNanAnywhereWinsMaxAndMin() {
        int n = 67;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int at = 0; at < n; at++) {
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = i - 30;
                }
                d[at] = Double.NaN;
                for (ReduceOp op : new ReduceOp[] {ReduceOp.MAX, ReduceOp.MIN}) {
                    Storage x = storage(vector, t, d);
                    Storage o = vector.allocate(t, 1);
                    vector.reduce(op, x, Shape.of(n), new int[] {0}, o);
                    assertTrue(Double.isNaN(values(vector, o)[0]), op + " " + t + " with NaN at " + at);
                    x.release();
                    o.release();
                }
            }
        }
    }

    @Test
    void maxOrdersNegativeZeroBelowZero() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            int n = 40;
            double[] neg = new double[n];
            double[] pos = new double[n];
            java.util.Arrays.fill(neg, -0.0);
            Storage a = storage(vector, t, neg);
            Storage b = storage(vector, t, pos);
            Storage o = vector.allocate(t, n);
            Shape s = Shape.of(n);
            vector.binary(BinaryOp.MAX, a, s, b, s, o, s);
            assertAgree("max(-0.0, 0.0)", t, pos, values(vector, o), 0);
            vector.binary(BinaryOp.MIN, b, s, a, s, o, s);
            assertAgree("min(0.0, -0.0)", t, neg, values(vector, o), 0);
            Storage m = vector.allocate(t, 1);
            vector.reduce(ReduceOp.MAX, a, s, new int[] {0}, m);
            assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(values(vector, m)[0]), "max of -0.0s");
            for (Storage st : new Storage[] {a, b, o, m}) {
                st.release();
            }
        }
    }
}
