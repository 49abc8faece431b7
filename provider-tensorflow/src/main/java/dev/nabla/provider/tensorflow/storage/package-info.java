/**
 * {@link dev.nabla.api.backend.Storage} for the TensorFlow backend: a mutable holder of one eager
 * tensor handle, replaced when a kernel writes into it and deleted when the storage is released.
 *
 * <p>What is not here: any computation (see {@code dev.nabla.provider.tensorflow.kernels}). Not exported.
 */
package dev.nabla.provider.tensorflow.storage;
