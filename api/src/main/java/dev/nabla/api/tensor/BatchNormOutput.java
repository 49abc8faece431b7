package dev.nabla.api.tensor;

import java.util.Objects;

/**
 * What {@link Tensor#batchNorm} returns.
 *
 * @param output   the normalised tensor, of the input's shape
 * @param mean     the batch mean per channel {@code μ}, {@code [C]}
 * @param variance the biased batch variance per channel {@code σ²}, {@code [C]} (for running statistics; a layer
 *                 that keeps them detaches both)
 */
public record BatchNormOutput(Tensor output, Tensor mean, Tensor variance) {
    /** Checks that all three are present. */
    public BatchNormOutput {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(variance, "variance");
    }
}
