package dev.nabla.models.nn;

import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;

/**
 * Additive attention (Bahdanau et al. 2015; Luong's "concat" score is the same function): for a decoder
 * state {@code s [B, Q]} and encoder outputs {@code h̄_1 … h̄_S [B, S, D]},
 * <pre>
 *   e_s = vᵀ tanh(W_s s + W_h h̄_s)
 *   a   = softmax over the real source positions of e   (0 on padding)
 *   c   = Σ_s a_s h̄_s
 * </pre>
 * with {@code W_s [Q, A]}, {@code W_h [D, A]}, {@code v [A]} (stored as in {@link Linear}, {@code x·W}).
 * {@code W_h h̄_s} is computed once per source ({@link #memory}). Parameters {@code query.weight [Q, A]},
 * {@code key.weight [D, A]}, {@code v.weight [A, 1]}, all without bias, initialised like PyTorch's
 * {@code nn.Linear}.
 */
public final class AdditiveAttention extends Block implements SourceAttention {
    private final Linear query;
    private final Linear key;
    private final Linear v;

    /**
     * The attention.
     *
     * @param querySize {@code Q}, the decoder state's size
     * @param keySize   {@code D}, the encoder outputs' size
     * @param size      {@code A}, the size of the hidden layer of the score
     * @param dtype     the parameters' dtype
     */
    public AdditiveAttention(TensorFactory f, Generator random, int querySize, int keySize, int size, DType dtype) {
        this.query = child("query", new Linear(f, random, querySize, size, false, dtype));
        this.key = child("key", new Linear(f, random, keySize, size, false, dtype));
        this.v = child("v", new Linear(f, random, size, 1, false, dtype));
    }

    /** The attention in float32. */
    public AdditiveAttention(TensorFactory f, Generator random, int querySize, int keySize, int size) {
        this(f, random, querySize, keySize, size, DType.FLOAT32);
    }

    @Override
    public SourceMemory memory(Tensor keys, long[] lengths) {
        if (keys.rank() != 3 || keys.dim(2) != key.inFeatures()) {
            throw new ShapeException("AdditiveAttention: keys must be [B, S, " + key.inFeatures() + "], got " + keys.shape());
        }
        return new SourceMemory(keys, key.forward(keys), SourceMemory.paddingMask(keys, lengths, keys.dim(1)), lengths);
    }

    /** The scores {@code e [B, S]} of {@code query [B, Q]} against the memory, before the mask. */
    public Tensor scores(Tensor q, SourceMemory memory) {
        if (q.rank() != 2 || q.dim(0) != memory.batch() || q.dim(1) != query.inFeatures()) {
            throw new ShapeException("AdditiveAttention: query must be [" + memory.batch() + ", " + query.inFeatures()
                    + "] for keys " + memory.keys().shape() + ", got " + q.shape());
        }
        Tensor hidden = memory.projected().add(query.forward(q).unsqueeze(1)).tanh();   // [B, S, A]
        return v.forward(hidden).squeeze(2);
    }

    @Override
    public AttentionResult attend(Tensor q, SourceMemory memory, int step) {
        Tensor a = SourceAttention.maskedSoftmax(scores(q, memory), memory.mask());
        return new AttentionResult(SourceAttention.context(a, memory.keys()), a);
    }

    @Override
    public String toString() {
        return "AdditiveAttention(" + query.inFeatures() + ", " + key.inFeatures() + " -> " + key.outFeatures() + ")";
    }
}
