package dev.nabla.api.backend;

/**
 * Fused scaled dot-product attention over a batch of {@code n} heads, with its backward. For each head
 * {@code b}, with {@code Q [tq, d]}, {@code K [tk, d]}, {@code V [tk, dv]}:
 * <pre>
 *   S = scale · Q·Kᵀ + M                      [tq, tk]
 *   P = softmax_rows(S)                       (the weights; row i is query i's distribution over the keys)
 *   O = P·V                                   [tq, dv]
 * </pre>
 * where {@code M} is the additive float mask (0 to keep, {@code −∞} to exclude; a bool mask is turned
 * into one by the tensor layer), and, when {@code causal}, {@code M_ij = −∞} also for {@code j > i}
 * (query {@code i} sees keys {@code 0..i}; PyTorch's {@code is_causal}, aligned at the top left when
 * {@code tq != tk}). A row whose every score is {@code −∞} gets NaN weights, as PyTorch's does. The
 * backward, given {@code ∂L/∂O} and optionally {@code ∂L/∂P} (when the caller used the weights):
 * <pre>
 *   ∂L/∂V = Pᵀ · ∂L/∂O
 *   ∂L/∂P = ∂L/∂O · Vᵀ  (+ the given ∂L/∂P)
 *   ∂L/∂S = P ⊙ (∂L/∂P − rowsum(∂L/∂P ⊙ P))
 *   ∂L/∂Q = scale · ∂L/∂S · K
 *   ∂L/∂K = scale · ∂L/∂Sᵀ · Q
 * </pre>
 * and, when asked (a floating mask that requires a gradient), {@code ∂L/∂M = ∂L/∂S}. Storages are dense
 * row-major float32 or float64, all of one dtype; the mask, when present, is
 * {@code [maskBatches, maskRows, tk]} with {@code maskBatches} 1 (shared by every head) or {@code n}, and
 * {@code maskRows} 1 (one row for every query, e.g. key padding) or {@code tq}. The forward
 * writes {@code O} and {@code P}; the backward reads {@code P} back instead of recomputing it. Without
 * this kernel the tensor layer composes the same function from matmul, mul, add, masked fill and
 * softmax.
 */
public interface AttentionKernel extends FusedKernel {
    /**
     * The sizes of one call.
     *
     * @param n  heads (the flattened leading axes), {@code >= 0}
     * @param tq queries per head
     * @param tk keys (and values) per head
     * @param d  the feature size of queries and keys
     * @param dv the feature size of values
     */
    record Sizes(int n, int tq, int tk, int d, int dv) {
        /** Checks that no size is negative. */
        public Sizes {
            if (n < 0 || tq < 0 || tk < 0 || d < 0 || dv < 0) {
                throw new IllegalArgumentException("AttentionKernel.Sizes: negative size in [n " + n + ", tq " + tq
                        + ", tk " + tk + ", d " + d + ", dv " + dv + "]");
            }
        }
    }

    /**
     * The forward pass.
     *
     * @param q           queries {@code [n, tq, d]}
     * @param k           keys {@code [n, tk, d]}
     * @param v           values {@code [n, tk, dv]}
     * @param mask        null, or the additive mask {@code [maskBatches, maskRows, tk]}
     * @param maskBatches 1 or {@code n} (ignored without a mask)
     * @param maskRows    1 or {@code tq} (ignored without a mask)
     * @param causal      whether key {@code j > i} is excluded for query {@code i}
     * @param scale       the factor of the scores, usually {@code 1/√d}
     * @param sizes       the sizes
     * @param out         written: {@code O}, {@code [n, tq, dv]}
     * @param weights     written: {@code P}, {@code [n, tq, tk]}
     */
    void attention(Storage q, Storage k, Storage v, Storage mask, int maskBatches, int maskRows, boolean causal,
                   double scale, Sizes sizes, Storage out, Storage weights);

    /**
     * The backward pass.
     *
     * @param gradOut     {@code ∂L/∂O}, {@code [n, tq, dv]}
     * @param gradWeights null, or {@code ∂L/∂P} {@code [n, tq, tk]} from the uses of the weights
     * @param q           the forward's queries
     * @param k           the forward's keys
     * @param v           the forward's values
     * @param weights     the weights {@code P} the forward wrote
     * @param scale       the forward's scale
     * @param sizes       the sizes
     * @param gradQ       written: {@code ∂L/∂Q}, {@code [n, tq, d]}
     * @param gradK       written: {@code ∂L/∂K}, {@code [n, tk, d]}
     * @param gradV       written: {@code ∂L/∂V}, {@code [n, tk, dv]}
     * @param gradScores  null, or written: {@code ∂L/∂S} (the gradient of the additive mask before it is
     *                    summed over the axes it was broadcast along), {@code [n, tq, tk]}
     */
    void attentionBackward(Storage gradOut, Storage gradWeights, Storage q, Storage k, Storage v, Storage weights,
                           double scale, Sizes sizes, Storage gradQ, Storage gradK, Storage gradV,
                           Storage gradScores);
}
