package dev.nabla.models.fewshot;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.ScaledDotProductAttention;

import java.util.List;

/**
 * SNAIL's causal attention block: single-head self-attention over the past, whose read is concatenated
 * to the input. For {@code x [B, T, C]}, key size {@code K} and value size {@code V},
 * <pre>
 *   q = x W_q + b_q,  k = x W_k + b_k   ([B, T, K]),   v = x W_v + b_v   ([B, T, V])
 *   r = softmax(q kᵀ / √K + M) v,  M_{ts} = 0 if s ≤ t else −∞          (causal mask)
 *   y = [x ; r]                                                      ([B, T, C + V])
 * </pre>
 * through {@link ScaledDotProductAttention}. Children {@code query}, {@code key}, {@code value}
 * ({@link Linear}).
 */
public final class AttentionBlock extends Block {
    private final int in;
    private final int valueSize;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final ScaledDotProductAttention attention = new ScaledDotProductAttention();

    /** A block from {@code in} channels with key size {@code keySize} and value size {@code valueSize}. */
    public AttentionBlock(TensorFactory f, Generator random, int in, int keySize, int valueSize) {
        this.in = in;
        this.valueSize = valueSize;
        query = child("query", new Linear(f, random, in, keySize));
        key = child("key", new Linear(f, random, in, keySize));
        value = child("value", new Linear(f, random, in, valueSize));
    }

    /** {@code [x ; r]}, {@code [B, T, C]} to {@code [B, T, C + V]}. */
    public Tensor forward(Tensor x) {
        if (x.rank() != 3 || x.dim(2) != in) {
            throw new ShapeException("AttentionBlock(" + in + " + " + valueSize + "): input " + x.shape()
                    + " must be [B, T, " + in + "]");
        }
        int t = x.dim(1);
        Tensor mask = x.factory().trilMask(t, t, 0);
        Tensor r = attention.attend(query.forward(x), key.forward(x), value.forward(x), mask).output();
        return Tensor.concat(List.of(x, r), 2);
    }

    /** Channels out: {@code in + valueSize}. */
    public int outChannels() {
        return in + valueSize;
    }
}
