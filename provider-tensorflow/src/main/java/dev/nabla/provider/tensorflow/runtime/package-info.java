/**
 * The TensorFlow runtime under the kernels: one eager context ({@link
 * dev.nabla.provider.tensorflow.runtime.TfRuntime}, which also counts every live tensor handle), single
 * eager ops ({@link dev.nabla.provider.tensorflow.runtime.EagerOp}) and host transfers between Java
 * arrays and TensorFlow tensors ({@link dev.nabla.provider.tensorflow.runtime.HostTransfer}).
 *
 * <p>What is not here: the meaning of any Nabla kernel (see {@code dev.nabla.provider.tensorflow.kernels})
 * or the ownership of a storage's tensor ({@code dev.nabla.provider.tensorflow.storage}). Not exported.
 */
package dev.nabla.provider.tensorflow.runtime;
