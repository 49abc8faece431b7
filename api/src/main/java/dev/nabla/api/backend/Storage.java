package dev.nabla.api.backend;

import dev.nabla.api.types.DType;

/**
 * A flat, dense buffer of {@link #size()} elements of one {@link DType}, owned by a {@link Backend}.
 *
 * <p>Storage is what a backend allocates and its {@link Kernels} read and write; tensors, shapes and
 * autodiff live above it in {@code dev.nabla.api.tensor}. Kernels receive storages together with the
 * logical shapes they need, and treat them as row-major. A backend casts the storages it is handed to
 * its own implementation class.
 *
 * <p>{@link #release()} frees the buffer deterministically (off-heap memory, device memory,
 * TensorFlow handles); it is idempotent. Using a released storage is an error the tensor layer
 * reports before any kernel sees it.
 */
public interface Storage {
    /** The element type. */
    DType dtype();

    /** Number of elements. */
    long size();

    /** Frees the buffer now. Idempotent. */
    void release();

    /** True once {@link #release()} has run. */
    boolean isReleased();
}
