package dev.nabla.provider.nativeblas.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.nativeblas.memory.BlockPool;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Rows around {@link Elementwise#SMALL_ROW}, where the binary kernels switch between the plain and the
 * Vector API loops: for every length 1…2·SMALL_ROW+1 and every row layout (equal shapes, a scalar, a
 * bias row, a column) the native result equals the reference backend's bit for bit (the operations
 * are single IEEE roundings either way), with both kinds of loop.
 */
class SmallRowsTest {
    private static final BinaryOp[] OPS = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAX,
        BinaryOp.MIN};

    @Test
    void everyLengthAndLayoutMatchesTheReference() {
        Backend reference = Backends.providers().stream().filter(p -> p.name().equals("reference")).findFirst()
                .map(BackendProvider::create).orElseThrow();
        Kernels r = reference.kernels();
        for (boolean vector : new boolean[] {true, false}) {
            try (BlockPool pool = new BlockPool(1L << 26); Parallel parallel = new Parallel(1)) {
                Kernels k = new NativeKernels(pool, new NoGemm(), parallel, vector);
                SplittableRandom rnd = new SplittableRandom(7);
                for (int n = 1; n <= 2 * Elementwise.SMALL_ROW + 1; n++) {
                    int rows = 3;
                    Shape m = Shape.of(rows, n);
                    Shape[] others = {m, Shape.of(1, 1), Shape.of(1, n), Shape.of(rows, 1)};
                    float[] x = random(rnd, rows * n);
                    for (Shape o : others) {
                        float[] y = random(rnd, (int) o.size());
                        for (BinaryOp op : OPS) {
                            float[] want = run(r, op, x, m, y, o);
                            float[] got = run(k, op, x, m, y, o);
                            assertArrayEquals(want, got, op + " " + m + " with " + o + (vector ? " (vector)" : " (plain)"));
                        }
                    }
                }
                assertTrue(pool.liveBytes() == 0, "every storage released");
            }
        }
    }

    private static float[] run(Kernels k, BinaryOp op, float[] x, Shape xs, float[] y, Shape ys) {
        Storage a = k.fromArray(x);
        Storage b = k.fromArray(y);
        Storage out = k.allocate(DType.FLOAT32, xs.size());
        try {
            k.binary(op, a, xs, b, ys, out, xs);
            return (float[]) k.toArray(out);
        } finally {
            a.release();
            b.release();
            out.release();
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rnd.nextDouble() * 8 - 4);
        }
        if (n > 2) {
            a[1] = Float.NaN;
            a[2] = -0.0f;
        }
        return a;
    }

    /** No matrix products happen here. */
    private static final class NoGemm implements Gemm {
        @Override
        public void sgemm(boolean transA, boolean transB, int m, int n, int k, java.lang.foreign.MemorySegment a,
                          int lda, java.lang.foreign.MemorySegment b, int ldb, java.lang.foreign.MemorySegment c,
                          int ldc, boolean accumulate) {
            throw new AssertionError("no gemm expected");
        }

        @Override
        public void dgemm(boolean transA, boolean transB, int m, int n, int k, java.lang.foreign.MemorySegment a,
                          int lda, java.lang.foreign.MemorySegment b, int ldb, java.lang.foreign.MemorySegment c,
                          int ldc, boolean accumulate) {
            throw new AssertionError("no gemm expected");
        }
    }
}
