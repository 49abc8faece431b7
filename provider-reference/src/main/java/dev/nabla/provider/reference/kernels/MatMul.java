package dev.nabla.provider.reference.kernels;

import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.reference.storage.HeapStorage;
import java.util.Arrays;

/**
 * Batched matrix product with optional transposes and broadcast batch axes.
 *
 * <p>For each output batch, the two operand matrices are loaded into dense row-major {@code double}
 * scratch arrays (applying any transpose on the way), multiplied with an i-k-j loop into a
 * {@code double} accumulator, and stored, rounding to float for float32. Loading costs O(mk + kn) per
 * batch against O(mkn) for the product.
 */
final class MatMul {
    private MatMul() {
    }

    static void matmul(HeapStorage a, Shape aShape, boolean transposeA, HeapStorage b, Shape bShape,
                       boolean transposeB, HeapStorage out, Shape outShape) {
        DType dtype = a.dtype();
        if (!dtype.isFloatingPoint()) {
            throw Unsupported.of("matmul", dtype);
        }
        int rank = outShape.rank();
        int[] outDims = outShape.dims();
        int m = outDims[rank - 2];
        int n = outDims[rank - 1];
        int[] aDims = aShape.dims();
        int[] bDims = bShape.dims();
        int k = transposeA ? aDims[rank - 2] : aDims[rank - 1];
        if (out.length() == 0) {
            return;
        }
        // Element (i, p) of op(A) is at aOff + i*aRow + p*aCol; element (p, j) of op(B) at bOff + p*bRow + j*bCol.
        int aRow = transposeA ? 1 : k;
        int aCol = transposeA ? m : 1;
        int bRow = transposeB ? 1 : n;
        int bCol = transposeB ? k : 1;

        int[] batchDims = Arrays.copyOf(outDims, rank - 2);
        long[] aBatch = batchStrides(aDims, outDims, (long) m * k);
        long[] bBatch = batchStrides(bDims, outDims, (long) k * n);
        int batches = out.length() / (m * n);
        StridedCursor c = StridedCursor.over(batchDims, aBatch, bBatch);

        double[] left = new double[m * k];
        double[] right = new double[k * n];
        double[] acc = new double[m * n];
        for (int batch = 0; batch < batches; batch++) {
            load(a, c.at(0), m, k, aRow, aCol, left);
            load(b, c.at(1), k, n, bRow, bCol, right);
            multiply(left, right, acc, m, k, n);
            int base = batch * m * n;
            for (int i = 0; i < acc.length; i++) {
                out.setDouble(base + i, acc[i]);
            }
            c.advance();
        }
    }

    /** Strides over the batch axes of an operand of {@code dims}, zero where it broadcasts. */
    private static long[] batchStrides(int[] dims, int[] outDims, long matrixSize) {
        int batchRank = dims.length - 2;
        long[] s = new long[batchRank];
        long acc = matrixSize;
        for (int d = batchRank - 1; d >= 0; d--) {
            s[d] = dims[d] == 1 && outDims[d] != 1 ? 0 : acc;
            acc *= dims[d];
        }
        return s;
    }

    /** Copies the {@code rows x cols} matrix at {@code offset} with the given strides into dense {@code dst}. */
    private static void load(HeapStorage src, int offset, int rows, int cols, int rowStride, int colStride,
                             double[] dst) {
        switch (src) {
            case HeapStorage.Float32 f -> {
                float[] s = f.data();
                for (int r = 0; r < rows; r++) {
                    for (int q = 0; q < cols; q++) {
                        dst[r * cols + q] = s[offset + r * rowStride + q * colStride];
                    }
                }
            }
            case HeapStorage.Float64 d -> {
                double[] s = d.data();
                for (int r = 0; r < rows; r++) {
                    for (int q = 0; q < cols; q++) {
                        dst[r * cols + q] = s[offset + r * rowStride + q * colStride];
                    }
                }
            }
            default -> throw Unsupported.of("matmul", src.dtype());
        }
    }

    /** {@code c = a·b} for dense row-major {@code a} (m x k) and {@code b} (k x n), i-k-j order. */
    private static void multiply(double[] a, double[] b, double[] c, int m, int k, int n) {
        Arrays.fill(c, 0.0);
        for (int i = 0; i < m; i++) {
            int ci = i * n;
            for (int p = 0; p < k; p++) {
                double aip = a[i * k + p];
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        }
    }
}
