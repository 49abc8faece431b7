/**
 * The native backend's entry points: {@link dev.nabla.provider.nativeblas.NativeBackendProvider},
 * found by {@link java.util.ServiceLoader} as a {@link dev.nabla.api.spi.BackendProvider}, the
 * {@link dev.nabla.provider.nativeblas.NativeBackend} it creates, and the
 * {@link dev.nabla.provider.nativeblas.ThreadSetting} both read.
 *
 * <p>What is not here: memory ({@code …memory}), the BLAS binding ({@code …blas}), the kernels
 * ({@code …kernels}) and the benchmark ({@code …bench}).
 */
package dev.nabla.provider.nativeblas;
