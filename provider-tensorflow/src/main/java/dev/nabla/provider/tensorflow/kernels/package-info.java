/**
 * The TensorFlow backend's kernels: {@link dev.nabla.provider.tensorflow.kernels.TfKernels} (every
 * primitive kernel of {@link dev.nabla.api.backend.Kernels} as eager ops, with the compositions that
 * make TensorFlow's ops match Nabla's exact semantics) and the fused
 * {@link dev.nabla.provider.tensorflow.kernels.TfLogSoftmax}.
 *
 * <p>What is not here: the eager context and host transfers ({@code dev.nabla.provider.tensorflow.runtime})
 * and the storage ({@code dev.nabla.provider.tensorflow.storage}). Not exported.
 */
package dev.nabla.provider.tensorflow.kernels;
