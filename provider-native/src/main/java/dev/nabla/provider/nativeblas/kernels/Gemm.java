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
 * nothing outside the matrices.
 */
public interface Gemm {
    /** Float32 {@code C = op(A)·op(B)}; {@code k >= 1}, all leading dimensions at least 1. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, MemorySegment a, int lda,
               MemorySegment b, int ldb, MemorySegment c, int ldc);

    /** Float64 {@code C = op(A)·op(B)}; {@code k >= 1}, all leading dimensions at least 1. */
    void dgemm(boolean transA, boolean transB, int m, int n, int k, MemorySegment a, int lda,
               MemorySegment b, int ldb, MemorySegment c, int ldc);
}
