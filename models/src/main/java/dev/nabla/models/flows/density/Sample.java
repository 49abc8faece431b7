package dev.nabla.models.flows.density;

import dev.nabla.api.tensor.Tensor;

/**
 * Samples and their log-probabilities under the model that drew them.
 *
 * @param value   the samples {@code [n, ...]}
 * @param logProb {@code log p(value)}, shape {@code [n]}
 */
public record Sample(Tensor value, Tensor logProb) {
}
