/**
 * The BLAS library of the native backend: {@link dev.nabla.provider.nativeblas.blas.BlasLocator} finds
 * and loads it (environment, system, a runtime image's own copy, bundled jar — recording why each
 * attempt failed), {@link dev.nabla.provider.nativeblas.blas.BundledOpenBlas} extracts the bundled copy
 * into a checked cache folder, and {@link dev.nabla.provider.nativeblas.blas.OpenBlas} binds {@code cblas_sgemm} and
 * {@code cblas_dgemm} by FFM downcalls, as the CPU's {@link dev.nabla.provider.nativeblas.kernels.Gemm}.
 *
 * <p>What is not here: deciding when to call BLAS (the matmul kernel in {@code …nativeblas.kernels}).
 */
package dev.nabla.provider.nativeblas.blas;
