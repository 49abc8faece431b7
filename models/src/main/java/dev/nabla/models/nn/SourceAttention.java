package dev.nabla.models.nn;

import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;

/**
 * Attention of a decoder state over the source positions of an encoder-decoder (Bahdanau et al. 2015;
 * Luong et al. 2015): a score {@code e_s = score(q, h̄_s)} per source position, a softmax over the
 * real (unpadded) positions giving the alignment, and the context vector:
 * <pre>
 *   a_s = exp(e_s) / Σ_{s' real} exp(e_{s'})   for a real position s,   a_s = 0 on padding
 *   c   = Σ_s a_s h̄_s
 * </pre>
 * {@link #memory} prepares the source once (the key-side projections); {@link #attend} is one decoder
 * step. Implementations: {@link AdditiveAttention} (Bahdanau) and {@link LuongAttention} (dot, general,
 * concat, location; global, local-m, local-p).
 */
public interface SourceAttention {
    /**
     * The source as this attention reads it.
     *
     * @param keys    the encoder outputs {@code [B, S, D]}
     * @param lengths each source's length
     * @return the memory, with the key-side projection computed once
     * @throws ShapeException naming the shape that does not fit
     */
    SourceMemory memory(Tensor keys, long[] lengths);

    /**
     * One decoder step's alignment and context.
     *
     * @param query  the decoder state {@code [B, Q]}
     * @param memory the source ({@link #memory})
     * @param step   the decoder step {@code t}, from 0 (local-m centres its window on it)
     * @return the context {@code [B, D]} as {@code output} and the alignment {@code [B, S]} as {@code weights}
     * @throws ShapeException naming the shapes that do not fit
     */
    AttentionResult attend(Tensor query, SourceMemory memory, int step);

    /**
     * The softmax of {@code scores [B, S]} over the positions where {@code mask [B, S]} is true; exactly 0
     * elsewhere. Every row needs a true position.
     *
     * @throws ShapeException naming both shapes if they differ or the mask is not bool
     */
    static Tensor maskedSoftmax(Tensor scores, Tensor mask) {
        if (mask.dtype() != DType.BOOL || !mask.shape().equals(scores.shape())) {
            throw new ShapeException("attention: the mask " + mask.describe() + " must be bool with the scores' shape "
                    + scores.shape());
        }
        return scores.maskedFill(mask.logicalNot(), Double.NEGATIVE_INFINITY).softmax(-1);
    }

    /** The context {@code Σ_s a_s h̄_s}: {@code weights [B, S]} times {@code keys [B, S, D]}, {@code [B, D]}. */
    static Tensor context(Tensor weights, Tensor keys) {
        return weights.unsqueeze(1).matmul(keys).squeeze(1);
    }
}
