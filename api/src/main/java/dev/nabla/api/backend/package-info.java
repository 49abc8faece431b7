/**
 * The contract between the tensor layer and a compute backend: {@link dev.nabla.api.backend.Backend},
 * its primitive {@link dev.nabla.api.backend.Kernels} over flat {@link dev.nabla.api.backend.Storage},
 * the op enumerations, and optional {@link dev.nabla.api.backend.FusedKernel}s, which a backend offers
 * through one {@link dev.nabla.api.backend.FusedKernels} registry.
 *
 * <p>What is not here: tensors, broadcasting rules, autodiff and composite ops (in
 * {@code dev.nabla.api.tensor}), and discovery of backends (in {@code dev.nabla.api.spi}).
 */
package dev.nabla.api.backend;
