package dev.nabla.api.tensor;

import java.util.Objects;

/**
 * What {@link Tensor#scaledDotProductAttentionWithWeights} returns.
 *
 * @param output  the attended values {@code P·V}, {@code [..., tq, dv]}
 * @param weights the attention weights {@code P = softmax(scale·Q·Kᵀ + M)}, {@code [..., tq, tk]}: row
 *                {@code i} is query {@code i}'s distribution over the keys
 */
public record AttentionOutput(Tensor output, Tensor weights) {
    /** Checks that both are present. */
    public AttentionOutput {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(weights, "weights");
    }
}
