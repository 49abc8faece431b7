/**
 * The TensorFlow backend's entry points: {@link dev.nabla.provider.tensorflow.TensorflowBackendProvider},
 * found by {@link java.util.ServiceLoader} as a {@link dev.nabla.api.spi.BackendProvider}, and the
 * {@link dev.nabla.provider.tensorflow.TensorflowBackend} it creates.
 *
 * <p>What is not here: the eager runtime, the storage and the kernels (the {@code runtime},
 * {@code storage} and {@code kernels} subpackages), none of which is exported.
 */
package dev.nabla.provider.tensorflow;
