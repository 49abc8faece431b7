/**
 * The TensorFlow backend of Nabla: every kernel runs as a TensorFlow eager op through TensorFlow Java;
 * gradients come from Nabla's own autodiff, so models train on it.
 *
 * <p>An optional jar: leave it (and TensorFlow's native jar) off the module path and the rest of Nabla
 * works unchanged. Only the provider package is exported; the runtime, storage and kernels are
 * implementation details reached through {@link dev.nabla.api.backend.Backend}.
 */
module dev.nabla.provider.tensorflow {
    requires transitive dev.nabla.api;
    requires tensorflow;

    exports dev.nabla.provider.tensorflow;

    provides dev.nabla.api.spi.BackendProvider with dev.nabla.provider.tensorflow.TensorflowBackendProvider;
}
