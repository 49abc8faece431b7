package dev.nabla.provider.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Batched matmul against a naive triple loop written here. */
class MatMulKernelTest extends KernelTestSupport {

    /** Element (r, c) of op(M) for M stored row-major as [rows, cols], or as [cols, rows] when transposed. */
    private static double at(double[] v, int base, int rows, int cols, boolean transposed, int r, int c) {
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
                Storage out32 = k.allocate(DType.FLOAT32, 6 * m * n);
                k.matmul(f32(toFloat(a)), aShape, ta, f32(toFloat(b)), bShape, tb, out32, s(2, 3, m, n));
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
        k.matmul(f32(), s(0, 3), false, f32(1, 2, 3), s(3, 1), false, k.allocate(DType.FLOAT32, 0), s(0, 1));
    }

    @Test
    void largeFloat32Product() {
        int n = 256;
        float[] twice = new float[n * n];
        for (int j = 0; j < n; j++) {
            twice[j * n + j] = 2;
        }
        float[] bv = toFloat(random(new Random(3), n * n));
        Storage out = k.allocate(DType.FLOAT32, n * n);
        k.matmul(f32(twice), s(n, n), false, f32(bv), s(n, n), false, out, s(n, n));
        float[] got = f(out);
        for (int j = 0; j < n * n; j++) {
            assertEquals(2 * bv[j], got[j]);
        }
    }
}
