package dev.nabla.api.backend;

/**
 * Marker for an optional, fused kernel a backend may offer beside the primitive {@link Kernels}
 * (for example {@link LogSoftmaxKernel}). Each fused kernel interface carries its forward and its
 * backward; the tensor layer asks {@link Backend#fused(Class)} and, when the backend has none,
 * composes the same function from primitives. Results must agree with the composition within
 * float tolerance.
 */
public interface FusedKernel {
}
