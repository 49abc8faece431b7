package dev.nabla.provider.nativeblas.kernels;

import java.lang.foreign.MemorySegment;

/**
 * General matrix multiply on one device, row-major, as BLAS defines it:
 * {@code C = op(A) · op(B)} with {@code op(X) = X} or {@code Xᵀ}, where {@code op(A)} is
 * {@code m × k}, {@code op(B)} is {@code k × n} and {@code C} is {@code m × n}; {@code lda}, {@code ldb}
 * and {@code ldc} are the row strides (in elements) of the matrices as stored.
 *
 * <p>On the CPU it is OpenBLAS's {@code cblas_sgemm}/{@code cblas_dgemm}; a CUDA device would plug
 * cuBLAS in here. The segments are the matrices' first elements; implementations read and write
 * nothing outside the matrices. With {@code accumulate} the product is added to {@code C} ({@code beta = 1}:
 * a linear layer's bias rows put there first), else {@code C}'s old contents are ignored ({@code beta = 0}).
 */
public interface Gemm {
    /** Float32 {@code C = op(A)·op(B)}; {@code k >= 1}, all leading dimensions at least 1. */
    default void sgemm(boolean transA, boolean transB, int m, int n, int k, MemorySegment a, int lda,
                       MemorySegment b, int ldb, MemorySegment c, int ldc) {
        sgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, false);
    }

    /** Float64 {@code C = op(A)·op(B)}; {@code k >= 1}, all leading dimensions at least 1. */
    default void dgemm(boolean transA, boolean transB, int m, int n, int k, MemorySegment a, int lda,
                       MemorySegment b, int ldb, MemorySegment c, int ldc) {
        dgemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, false);
    }

    /** Float32 {@code C = op(A)·op(B)}, or {@code C += op(A)·op(B)} with {@code accumulate}. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, MemorySegment a, int lda,
               MemorySegment b, int ldb, MemorySegment c, int ldc, boolean accumulate);

    /** Float64 {@code C = op(A)·op(B)}, or {@code C += op(A)·op(B)} with {@code accumulate}. */
    void dgemm(boolean transA, boolean transB, int m, int n, int k, MemorySegment a, int lda,
               MemorySegment b, int ldb, MemorySegment c, int ldc, boolean accumulate);
}
