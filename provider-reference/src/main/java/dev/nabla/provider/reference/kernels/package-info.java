/**
 * The reference implementation of every primitive kernel ({@link dev.nabla.api.backend.Kernels}) and of
 * the fused {@link dev.nabla.api.backend.LogSoftmaxKernel}, as plain loops over heap arrays.
 *
 * <p>Floating-point results are computed in {@code double} and rounded to {@code float} on store for
 * float32; integer results are computed exactly in {@code long} arithmetic, with int32 wrapping like a
 * Java {@code int}. {@link dev.nabla.provider.reference.kernels.ReferenceKernels} is the facade; the
 * package-private classes each hold one family of kernels.
 */
package dev.nabla.provider.reference.kernels;
