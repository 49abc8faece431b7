package dev.nabla.api.backend;

/**
 * Marker for an optional, fused kernel a backend may offer beside the primitive {@link Kernels}
 * (for example {@link LogSoftmaxKernel}). Each fused kernel interface carries its forward and its
 * backward; a backend offers its implementations through its {@link FusedKernels} registry, the
 * tensor layer asks {@link Backend#fused(Class)} and, when the backend has none, composes the same
 * function from primitives. Results must agree with the composition within float tolerance.
 *
 * <p><b>Adding a kind</b> (as {@link LstmCellKernel} and {@link GruCellKernel} were; attention next):
 * declare its interface here, in {@code dev.nabla.api.backend}; use it in the tensor op with a composed fallback; and describe both
 * forms, with example inputs, in {@code dev.nabla.api.tensor.FusedOps}. The conformance kit then checks
 * every backend that offers the kind — values and gradients, float32 and float64 — with no change to it.
 */
public interface FusedKernel {
}
