package dev.nabla.models.flows.density;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.DType;

/**
 * A base distribution over {@code R^D} for a normalizing flow: it evaluates {@code log p(z)} per row of a
 * batch {@code [n, D]} and draws samples {@code [n, D]} with an explicit, seeded generator.
 *
 * <p>Like {@code torch.distributions.Distribution}: {@link #logProb} sums over the event dimension, so
 * its result has shape {@code [n]}.
 */
public interface Distribution extends SamplingModel {
    /** The event dimension {@code D}. */
    int dim();

    /** The dtype of samples and log-probabilities. */
    DType dtype();

    /** {@code n} samples, shape {@code [n, D]}. */
    Tensor sample(int n, Generator random);

    /** Samples together with their log-probabilities. */
    @Override
    default Sample sampleWithLogProb(int n, Generator random) {
        Tensor z = sample(n, random);
        return new Sample(z, logProb(z));
    }
}
