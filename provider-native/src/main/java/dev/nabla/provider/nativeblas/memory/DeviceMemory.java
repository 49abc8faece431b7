package dev.nabla.provider.nativeblas.memory;

import dev.nabla.api.types.DType;
import dev.nabla.api.types.Device;

/**
 * Where the native backend's storages come from: one allocator per {@link Device}. The host CPU's is
 * the {@link BlockPool}; a CUDA device would supply its own (device memory from {@code cudaMalloc}
 * behind the same two calls), so the backend and its kernels never allocate memory themselves.
 */
public interface DeviceMemory extends AutoCloseable {
    /** The device this memory lives on. */
    Device device();

    /**
     * A new storage of {@code size} elements of {@code dtype}, filled with zeros.
     *
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws IllegalStateException if this allocator has been closed
     */
    NativeStorage allocate(DType dtype, long size);

    /** Bytes held by storages that have not been released. */
    long liveBytes();

    /** Frees all memory this allocator owns; storages still live become unusable (they fail, never crash). */
    @Override
    void close();
}
