package dev.nabla.provider.nativeblas.kernels;

import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Batched matrix product through {@link Gemm}, without copies: the transposes become BLAS's
 * {@code op(A)}, {@code op(B)} flags and leading dimensions, and each batch entry is one GEMM on slices
 * of the operands at byte offsets. Broadcast batch axes get stride 0, so a weight shared by every
 * batch entry is read in place rather than repeated.
 *
 * <p>For row-major {@code A} stored {@code m × k} ({@code k × m} when transposed) the leading
 * dimension is its stored row length: {@code lda = transA ? m : k}, {@code ldb = transB ? k : n},
 * {@code ldc = n}. An empty inner dimension ({@code k = 0}) gives zeros without calling BLAS.
 */
final class MatMul {
    private final Gemm gemm;

    MatMul(Gemm gemm) {
        this.gemm = gemm;
    }

    void matmul(NativeStorage a, Shape aShape, boolean transA, NativeStorage b, Shape bShape, boolean transB,
                NativeStorage out, Shape outShape) {
        DType t = a.dtype();
        if (!t.isFloatingPoint()) {
            throw Unsupported.of("matmul", t);
        }
        if (out.size() == 0) {
            return;
        }
        int rank = outShape.rank();
        int[] outDims = outShape.dims();
        int m = outDims[rank - 2];
        int n = outDims[rank - 1];
        int[] aDims = aShape.dims();
        int[] bDims = bShape.dims();
        int k = transA ? aDims[rank - 2] : aDims[rank - 1];
        if (k == 0) {
            out.overwrite().fill((byte) 0);
            return;
        }
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        long es = t.byteSize();
        long[] aBatch = batchStrides(aDims, outDims, (long) m * k);
        long[] bBatch = batchStrides(bDims, outDims, (long) k * n);
        long matrix = (long) m * n;
        long batches = out.size() / matrix;
        Odometer c = Odometer.of(Arrays.copyOf(outDims, rank - 2), aBatch, bBatch);
        MemorySegment sa = a.segment();
        MemorySegment sb = b.segment();
        MemorySegment so = out.overwrite(); // beta = 0: BLAS writes every element
        long aBytes = (long) m * k * es;
        long bBytes = (long) k * n * es;
        long cBytes = matrix * es;
        for (long batch = 0; batch < batches; batch++) {
            MemorySegment pa = sa.asSlice(c.at(0) * es, aBytes);
            MemorySegment pb = sb.asSlice(c.at(1) * es, bBytes);
            MemorySegment pc = so.asSlice(batch * cBytes, cBytes);
            if (t == DType.FLOAT32) {
                gemm.sgemm(transA, transB, m, n, k, pa, lda, pb, ldb, pc, n);
            } else {
                gemm.dgemm(transA, transB, m, n, k, pa, lda, pb, ldb, pc, n);
            }
            c.advance();
        }
    }

    /** Strides (in elements) over the batch axes of an operand of {@code dims}, zero where it broadcasts. */
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
}
