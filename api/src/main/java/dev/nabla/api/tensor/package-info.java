/**
 * Tensors and what happens to them: {@link dev.nabla.api.tensor.Tensor} with its operations,
 * {@link dev.nabla.api.tensor.TensorFactory} for creation, {@link dev.nabla.api.tensor.Generator} for
 * seeded randomness, {@link dev.nabla.api.tensor.Autograd} and {@link dev.nabla.api.tensor.GradMode}
 * for reverse-mode differentiation, {@link dev.nabla.api.tensor.Scope} for deterministic release, and
 * {@link dev.nabla.api.tensor.FusedOps}, the fused operations described for the conformance kit.
 *
 * <p>Operations are implemented once here, over the primitive kernels of
 * {@code dev.nabla.api.backend}, grouped by kind in package-private classes (elementwise,
 * reductions, shape ops, indexing, linear algebra, neural). Backend discovery lives in
 * {@code dev.nabla.api.spi}; the convenience entry point is {@code dev.nabla.api.Nabla}.
 */
package dev.nabla.api.tensor;
