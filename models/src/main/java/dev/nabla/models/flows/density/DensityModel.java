package dev.nabla.models.flows.density;

import dev.nabla.api.tensor.Tensor;

import java.util.Map;

/**
 * A model of a probability density that can be trained by maximum likelihood: it gives
 * {@code log p(x)} per sample and owns named parameters. A normalizing flow over a base distribution
 * ({@code TransformedDistribution}) is one; so is a plain Gaussian.
 */
public interface DensityModel {
    /** {@code log p(x)} for each row of the batch {@code x: [batch, ...]}; shape {@code [batch]}. */
    Tensor logProb(Tensor x);

    /** The trainable parameters by stable dotted name, in a deterministic order. */
    Map<String, Tensor> namedParameters();
}
