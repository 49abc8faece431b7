/**
 * The TensorFlow backend of Nabla: every kernel runs as a TensorFlow eager op through TensorFlow Java;
 * gradients come from Nabla's own autodiff, so models train on it.
 */
module dev.nabla.provider.tensorflow {
    requires transitive dev.nabla.api;
}
