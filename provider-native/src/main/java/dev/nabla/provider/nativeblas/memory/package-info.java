/**
 * Off-heap memory of the native backend: {@link dev.nabla.provider.nativeblas.memory.NativeStorage}
 * (a {@link dev.nabla.api.backend.Storage} over a {@link java.lang.foreign.MemorySegment}) and the
 * {@link dev.nabla.provider.nativeblas.memory.BlockPool} of size-classed blocks it comes from, behind the
 * per-device {@link dev.nabla.provider.nativeblas.memory.DeviceMemory} interface.
 *
 * <p>What is not here: any computation over storages ({@code …nativeblas.kernels}) and the BLAS
 * library ({@code …nativeblas.blas}).
 */
package dev.nabla.provider.nativeblas.memory;
