/**
 * The native backend's kernels: {@link dev.nabla.provider.nativeblas.kernels.NativeKernels} (the
 * {@link dev.nabla.api.backend.Kernels} over off-heap segments), the fused
 * {@link dev.nabla.provider.nativeblas.kernels.NativeLogSoftmax}, the
 * {@link dev.nabla.provider.nativeblas.kernels.Gemm} interface matrix products go through, and
 * {@link dev.nabla.provider.nativeblas.kernels.Parallel}, which splits large tensors across cores.
 *
 * <p>Loops are written for the JIT: the op and dtype are chosen once per call (or per row), and each
 * loop is a plain counted loop over contiguous memory with the op inlined. C2 does not vectorize those
 * loops over native segments, so the float32/float64 hot paths (binary arithmetic rows, the common unary
 * ops, last-axis reductions) have Vector API twins in {@code VectorRows}; this is the only package that
 * uses {@code jdk.incubator.vector}, and only through
 * {@link dev.nabla.provider.nativeblas.kernels.VectorSupport}, which falls back to the plain loops when
 * the incubator module is not resolved.
 *
 * <p>What is not here: where memory comes from ({@code …nativeblas.memory}) and how BLAS is loaded
 * ({@code …nativeblas.blas}).
 */
package dev.nabla.provider.nativeblas.kernels;
