package dev.nabla.api.nn;

import dev.nabla.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An attention mechanism: queries attend over keys, and the output is the attention-weighted sum of
 * the values. Shapes, with any leading batch (and head) axes {@code ...} broadcast:
 * <ul>
 *   <li>{@code query [..., tq, dq]}, {@code key [..., tk, dk]}, {@code value [..., tk, dv]};</li>
 *   <li>{@code mask}: null for none, else broadcastable to {@code [..., tq, tk]} — <b>bool, true where a
 *       query may attend to a key</b> (as in PyTorch's {@code F.scaled_dot_product_attention}; a causal
 *       mask is {@code f.trilMask(tq, tk, 0)}, a key-padding mask is {@code position < length} as
 *       {@code [batch, 1, tk]}), or floating and added to the scores ({@code -inf} to exclude);</li>
 *   <li>the result: {@link AttentionResult#output()} {@code [..., tq, dv]} and
 *       {@link AttentionResult#weights()} {@code [..., tq, tk]}, each row a distribution over the keys.</li>
 * </ul>
 * A query that may attend to no key at all gets NaN weights (as in PyTorch): mask keys, not queries.
 *
 * <p>Parameters are named like a {@link Layer}'s (a parameter-free mechanism has none). Implementations
 * live in {@code dev.nabla.models} and in plugins; a {@link dev.nabla.api.spi.LayerProvider} offers them
 * by name ({@link dev.nabla.api.spi.LayerProvider#createAttention}).
 */
public interface Attention extends AutoCloseable {
    /**
     * Attends.
     *
     * @param query {@code [..., tq, dq]}
     * @param key   {@code [..., tk, dk]}
     * @param value {@code [..., tk, dv]}
     * @param mask  null, or bool (true = may attend) or additive float, broadcastable to {@code [..., tq, tk]}
     * @return the output and the attention weights
     * @throws dev.nabla.api.types.ShapeException naming the call when shapes do not fit together
     * @throws dev.nabla.api.types.DTypeException naming the call for a mask that is neither bool nor of the
     *                                            inputs' floating dtype
     */
    AttentionResult attend(Tensor query, Tensor key, Tensor value, Tensor mask);

    /** Every parameter, by stable dotted name, in a deterministic order (empty when there are none). */
    Map<String, Tensor> namedParameters();

    /** The parameters in the order of {@link #namedParameters()}. */
    default List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Switches between training and evaluation behaviour (attention dropout). No-op by default. */
    default void train(boolean training) {
    }

    /** Releases the parameters. */
    @Override
    default void close() {
        for (Tensor p : namedParameters().values()) {
            p.close();
        }
    }
}
