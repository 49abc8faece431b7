package dev.nabla.provider.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reductions and scans: reduce, argReduce, cumsum, and the fused log-softmax. */
class ReductionKernelsTest extends KernelTestSupport {

    @Test
    void reduceOverSeveralAxesKeepsDims() {
        double[] x = random(new Random(1), 2 * 3 * 4 * 5);
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
        // float32 sums are carried in double: 10^4 copies of 0.1f sum exactly before the final rounding
        Storage all = k.allocate(DType.FLOAT32, 1);
        float[] tenths = new float[10_000];
        Arrays.fill(tenths, 0.1f);
        k.reduce(ReduceOp.SUM, f32(tenths), s(100, 100), new int[] {0, 1}, all);
        assertEquals((float) (10_000 * (double) 0.1f), f(all)[0]);
    }

    @Test
    void argReduceTakesFirstOnTiesAndNaNWins() {
        Storage out = k.allocate(DType.INT64, 2); // shape [2, 4], along axis 1
        k.argReduce(true, f64(1, 5, 5, 2, 7, 7, 7, 7), s(2, 4), 1, out);
        assertArrayEquals(new long[] {1, 0}, l(out));
        k.argReduce(false, f64(3, 1, 2, 1, 0, 0, -1, -1), s(2, 4), 1, out);
        assertArrayEquals(new long[] {1, 2}, l(out));
        k.argReduce(true, f64(1, Double.NaN, 9, Double.NaN, 2, 3, 4, 5), s(2, 4), 1, out);
        assertArrayEquals(new long[] {1, 3}, l(out));
        k.argReduce(false, f64(Double.NaN, -5, 9, 0, 2, 3, Double.NaN, -9), s(2, 4), 1, out);
        assertArrayEquals(new long[] {0, 2}, l(out));
        Storage col = k.allocate(DType.INT64, 3); // along axis 0 of [2, 3] int32
        k.argReduce(true, i32(1, 9, 4, 3, 9, 2), s(2, 3), 0, col);
        assertArrayEquals(new long[] {1, 0, 0}, l(col));
    }

    @Test
    void cumsumAlongAMiddleAxis() {
        Storage out = k.allocate(DType.INT32, 12);
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
