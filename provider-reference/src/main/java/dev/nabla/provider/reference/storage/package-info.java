/**
 * Heap-backed {@link dev.nabla.api.backend.Storage} for the reference backend: one Java primitive
 * array per storage, of the type matching its dtype, with element accessors that convert between
 * dtypes by the casting rules of {@link dev.nabla.api.backend.Kernels#cast}.
 *
 * <p>What is not here: any computation over storages (see {@code dev.nabla.provider.reference.kernels}).
 */
package dev.nabla.provider.reference.storage;
