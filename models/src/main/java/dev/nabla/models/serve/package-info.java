/**
 * Inference for services: {@link dev.nabla.models.serve.Predictor}, a thread-safe handle over one trained
 * model that runs each call with gradients off and in a scope of its own, from any number of platform or
 * virtual threads.
 */
package dev.nabla.models.serve;
