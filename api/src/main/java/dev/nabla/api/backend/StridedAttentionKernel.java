package dev.nabla.api.backend;

/**
 * The fused scaled dot-product attention of {@link AttentionKernel}, on operands that need not be dense
 * {@code [n, rows, cols]} blocks: each head's matrix of queries, keys, values, output and their gradients is
 * read or written where it lies, through an {@link Operand} (an offset, a stride per batch entry, a stride per
 * head and a row stride). Multi-head attention projects its input to {@code [B, T, 3·H·d]} (queries, keys and
 * values side by side, as PyTorch's {@code in_proj_weight} stacks them): head {@code h} of batch entry
 * {@code b} reads its queries at {@code b·T·3Hd + h·d}, its keys {@code H·d} further and its values
 * {@code 2·H·d} further, each row {@code 3·H·d} after the last — so the head split's copies (a permute of
 * the whole projection, the chunks, and their adjoints in the backward) are not needed, and the output goes
 * straight to the {@code [B, T, H·dv]} layout the output projection reads.
 *
 * <p>The equations, the mask and {@code causal} are {@link AttentionKernel}'s, over the {@code n = B·H} heads
 * in the order {@code b·H + h}; the weights {@code P} (and {@code ∂L/∂P}, {@code ∂L/∂S}) stay dense
 * {@code [n, tq, tk]}. Every operand's column stride is 1. The caller hands storages that the written
 * operands cover whole: {@code out} is exactly the heads of {@code oa}, and the gradients' operands (which
 * may share one storage, e.g. the gradient of the packed projection) together cover their storages without
 * overlapping — so a kernel may write them without zeroing them first.
 */
public interface StridedAttentionKernel extends FusedKernel {
    /**
     * Where the {@code [rows, cols]} matrix of head {@code h} of batch entry {@code b} lies in a storage:
     * row {@code i}, column {@code j} at element {@code offset + b·batchStride + h·headStride + i·rowStride + j}.
     *
     * @param offset      the first element of head 0 of batch entry 0
     * @param batchStride elements from one batch entry to the next
     * @param headStride  elements from one head to the next
     * @param rowStride   elements from one row to the next, at least the matrix's columns
     */
    record Operand(long offset, long batchStride, long headStride, int rowStride) {
        /** Checks that nothing is negative. */
        public Operand {
            if (offset < 0 || batchStride < 0 || headStride < 0 || rowStride < 0) {
                throw new IllegalArgumentException("StridedAttentionKernel.Operand: negative offset or stride in "
                        + "[offset " + offset + ", batch " + batchStride + ", head " + headStride + ", row "
                        + rowStride + "]");
            }
        }

        /**
         * Dense {@code [batch, heads, rows, cols]}: head after head, row after row.
         *
         * @param heads heads per batch entry
         * @param rows  rows of a head
         * @param cols  columns of a head
         * @return the operand
         */
        public static Operand dense(int heads, int rows, int cols) {
            return new Operand(0, (long) heads * rows * cols, (long) rows * cols, cols);
        }

        /** The first element of head {@code h} of batch entry {@code b}. */
        public long at(long b, long h) {
            return offset + b * batchStride + h * headStride;
        }
    }

    /**
     * The sizes of one call.
     *
     * @param batch batch entries, {@code >= 0}
     * @param heads heads per batch entry, {@code >= 1}
     * @param tq    queries per head
     * @param tk    keys (and values) per head
     * @param d     the feature size of queries and keys
     * @param dv    the feature size of values
     */
    record Sizes(int batch, int heads, int tq, int tk, int d, int dv) {
        /** Checks the sizes. */
        public Sizes {
            if (batch < 0 || heads < 1 || tq < 0 || tk < 0 || d < 0 || dv < 0) {
                throw new IllegalArgumentException("StridedAttentionKernel.Sizes: bad size in [batch " + batch
                        + ", heads " + heads + ", tq " + tq + ", tk " + tk + ", d " + d + ", dv " + dv + "]");
            }
        }

        /** All heads, {@code batch · heads}. */
        public int n() {
            return Math.multiplyExact(batch, heads);
        }
    }

    /**
     * The forward pass.
     *
     * @param q           queries, {@code [tq, d]} per head at {@code qa}
     * @param qa          where they lie
     * @param k           keys, {@code [tk, d]} per head at {@code ka}
     * @param ka          where they lie
     * @param v           values, {@code [tk, dv]} per head at {@code va}
     * @param va          where they lie
     * @param mask        null, or the additive mask {@code [maskBatches, maskRows, tk]} (as in {@link AttentionKernel})
     * @param maskBatches 1 or {@code n} (ignored without a mask)
     * @param maskRows    1 or {@code tq} (ignored without a mask)
     * @param causal      whether key {@code j > i} is excluded for query {@code i}
     * @param scale       the factor of the scores
     * @param sizes       the sizes
     * @param out         written: {@code O}, {@code [tq, dv]} per head at {@code oa}
     * @param oa          where it goes
     * @param weights     written: {@code P}, dense {@code [n, tq, tk]}
     */
    void attention(Storage q, Operand qa, Storage k, Operand ka, Storage v, Operand va, Storage mask, int maskBatches,
                   int maskRows, boolean causal, double scale, Sizes sizes, Storage out, Operand oa, Storage weights);

    /**
     * The backward pass ({@link AttentionKernel#attentionBackward}'s equations).
     *
     * @param gradOut     {@code ∂L/∂O} at {@code ga}
     * @param ga          where it lies
     * @param gradWeights null, or {@code ∂L/∂P}, dense {@code [n, tq, tk]}
     * @param q           the forward's queries at {@code qa}
     * @param qa          where they lie
     * @param k           the forward's keys at {@code ka}
     * @param ka          where they lie
     * @param v           the forward's values at {@code va}
     * @param va          where they lie
     * @param weights     the weights the forward wrote
     * @param scale       the forward's scale
     * @param sizes       the sizes
     * @param gradQ       written: {@code ∂L/∂Q} at {@code gqa}
     * @param gqa         where it goes
     * @param gradK       written: {@code ∂L/∂K} at {@code gka}
     * @param gka         where it goes
     * @param gradV       written: {@code ∂L/∂V} at {@code gva}
     * @param gva         where it goes
     * @param gradScores  null, or written: {@code ∂L/∂S}, dense {@code [n, tq, tk]}
     */
    void attentionBackward(Storage gradOut, Operand ga, Storage gradWeights, Storage q, Operand qa, Storage k,
                           Operand ka, Storage v, Operand va, Storage weights, double scale, Sizes sizes,
                           Storage gradQ, Operand gqa, Storage gradK, Operand gka, Storage gradV, Operand gva,
                           Storage gradScores);
}
