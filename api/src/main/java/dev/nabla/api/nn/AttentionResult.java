package dev.nabla.api.nn;

import dev.nabla.api.tensor.Tensor;
import java.util.Objects;

/**
 * What {@link Attention#attend} returns.
 *
 * @param output  the attended values, {@code [..., tq, dv]}
 * @param weights the attention weights, {@code [..., tq, tk]}: row {@code i} is query {@code i}'s
 *                distribution over the keys
 */
public record AttentionResult(Tensor output, Tensor weights) {
    /** Checks that both are present. */
    public AttentionResult {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(weights, "weights");
    }
}
