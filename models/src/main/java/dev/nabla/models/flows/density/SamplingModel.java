package dev.nabla.models.flows.density;

import dev.nabla.api.tensor.Generator;

/**
 * A density model that can draw samples together with their own log-probabilities, in one pass where
 * the model allows it (IAF, RealNVP): what probability density distillation needs from a student.
 */
public interface SamplingModel extends DensityModel {
    /** {@code n} samples {@code x ~ p} and {@code log p(x)} for each, drawn with {@code random}. */
    Sample sampleWithLogProb(int n, Generator random);
}
