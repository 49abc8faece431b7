package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import java.util.Objects;

/**
 * One Transformer decoder layer (Vaswani et al., 2017) as PyTorch 1.13's {@code nn.TransformerDecoderLayer}:
 * masked self-attention over the target, cross-attention over the encoder's memory, and a position-wise
 * feed-forward network, each with a residual connection and LayerNorm.
 * <pre>
 *   SA(x)    = Dropout(MultiheadAttention_self(x, x, x, tgtMask, tgtKeyPaddingMask))
 *   CA(x, m) = Dropout(MultiheadAttention_cross(x, m, m, memoryMask, memoryKeyPaddingMask))
 *   FF(x)    = Dropout(W_2 · Dropout(act(W_1 x + b_1)) + b_2)
 *   post-LN (default):  x ← LN_1(x + SA(x));  x ← LN_2(x + CA(x, m));  x ← LN_3(x + FF(x))
 *   pre-LN (normFirst): x ← x + SA(LN_1(x));  x ← x + CA(LN_2(x), m);  x ← x + FF(LN_3(x))
 * </pre>
 * Parameters under PyTorch's names: {@code self_attn.*}, {@code multihead_attn.*} (the cross-attention),
 * {@code linear1.*}, {@code linear2.*}, {@code norm1.*}, {@code norm2.*}, {@code norm3.*}. Shapes
 * {@code tgt [T, B, d_model]}, {@code memory [S, B, d_model]} (batch-first: batch axis first). Masks in
 * PyTorch's conventions (see {@link MultiheadAttention}); the usual {@code tgtMask} is
 * {@link MultiheadAttention#causalMask}. Step-wise decoding: {@link #step} with a {@link Cache}.
 */
public final class TransformerDecoderLayer extends Block {
    private final TransformerOptions options;
    private final MultiheadAttention selfAttn;
    private final MultiheadAttention crossAttn;
    private final TorchLinear linear1;
    private final Dropout dropout;
    private final TorchLinear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final LayerNorm norm3;
    private final Dropout dropout1;
    private final Dropout dropout2;
    private final Dropout dropout3;

    /**
     * The caches of one decoder layer during step-wise decoding: the target's keys and values (growing
     * one position per step) and the memory's (filled on the first step, then reused).
     *
     * @param selfAttention  the causal self-attention's cache
     * @param crossAttention the cross-attention's projected memory
     */
    public record Cache(KeyValueCache selfAttention, KeyValueCache crossAttention) implements AutoCloseable {
        /** Checks that both are present. */
        public Cache {
            Objects.requireNonNull(selfAttention, "selfAttention");
            Objects.requireNonNull(crossAttention, "crossAttention");
        }

        /** Two empty caches. */
        public static Cache empty() {
            return new Cache(new KeyValueCache(), new KeyValueCache());
        }

        /** Rows {@code rows} of both caches (see {@link KeyValueCache#select}). */
        public Cache select(int[] rows) {
            return new Cache(selfAttention.select(rows), crossAttention.select(rows));
        }

        /** Releases both. */
        @Override
        public void close() {
            selfAttention.close();
            crossAttention.close();
        }
    }

    /** A layer with {@code options}, initialised as PyTorch does. */
    public TransformerDecoderLayer(TensorFactory f, Generator random, TransformerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        TransformerOptions o = options;
        this.selfAttn = child("self_attn", new MultiheadAttention(f, random, o.dModel(), o.nhead(), o.dropout(), true,
                o.batchFirst(), o.dtype()));
        this.crossAttn = child("multihead_attn", new MultiheadAttention(f, random, o.dModel(), o.nhead(), o.dropout(),
                true, o.batchFirst(), o.dtype()));
        this.linear1 = child("linear1", new TorchLinear("TransformerDecoderLayer linear1", f, random, o.dModel(),
                o.dimFeedforward(), true, o.dtype()));
        this.dropout = child("dropout", new Dropout(o.dropout(), random.split()));
        this.linear2 = child("linear2", new TorchLinear("TransformerDecoderLayer linear2", f, random,
                o.dimFeedforward(), o.dModel(), true, o.dtype()));
        this.norm1 = child("norm1", new LayerNorm(f, new int[] {o.dModel()}, o.layerNormEps(), true, o.dtype()));
        this.norm2 = child("norm2", new LayerNorm(f, new int[] {o.dModel()}, o.layerNormEps(), true, o.dtype()));
        this.norm3 = child("norm3", new LayerNorm(f, new int[] {o.dModel()}, o.layerNormEps(), true, o.dtype()));
        this.dropout1 = child("dropout1", new Dropout(o.dropout(), random.split()));
        this.dropout2 = child("dropout2", new Dropout(o.dropout(), random.split()));
        this.dropout3 = child("dropout3", new Dropout(o.dropout(), random.split()));
    }

    /** The options the layer was built with. */
    public TransformerOptions options() {
        return options;
    }

    /** The masked self-attention ({@code self_attn}). */
    public MultiheadAttention selfAttention() {
        return selfAttn;
    }

    /** The cross-attention over the memory ({@code multihead_attn}). */
    public MultiheadAttention crossAttention() {
        return crossAttn;
    }

    /**
     * The layer without any mask, as PyTorch's {@code forward(tgt, memory)}: every target position sees
     * every other. For a decoder, pass {@link MultiheadAttention#causalMask} as {@code tgtMask} to the full form.
     */
    public Tensor forward(Tensor tgt, Tensor memory) {
        return forward(tgt, memory, null, null, null, null);
    }

    /**
     * The layer.
     *
     * @param tgt                  {@code [T, B, d_model]} ({@code [B, T, d_model]} batch-first)
     * @param memory               {@code [S, B, d_model]} ({@code [B, S, d_model]})
     * @param tgtMask              null, or {@code [T, T]}: bool true = not allowed (causal: {@link MultiheadAttention#causalMask}), or additive
     * @param memoryMask           null, or {@code [T, S]}: bool true = not allowed, or additive
     * @param tgtKeyPaddingMask    null, or {@code [B, T]}: bool true = padding, or additive
     * @param memoryKeyPaddingMask null, or {@code [B, S]}: bool true = padding, or additive
     * @return shaped like {@code tgt}
     */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        if (options.normFirst()) {
            Tensor h = norm1.forward(x);
            x = x.add(dropout1.forward(selfAttn.forward(h, h, h, tgtKeyPaddingMask, tgtMask, false, true).output()));
            x = x.add(dropout2.forward(crossAttn.forward(norm2.forward(x), memory, memory, memoryKeyPaddingMask,
                    memoryMask, false, true).output()));
            return x.add(feedForward(norm3.forward(x)));
        }
        x = norm1.forward(x.add(dropout1.forward(selfAttn.forward(x, x, x, tgtKeyPaddingMask, tgtMask, false, true)
                .output())));
        x = norm2.forward(x.add(dropout2.forward(crossAttn.forward(x, memory, memory, memoryKeyPaddingMask,
                memoryMask, false, true).output())));
        return norm3.forward(x.add(feedForward(x)));
    }

    /**
     * New target positions (one decoding step, or several at once) with causal self-attention over the
     * cached earlier positions and cross-attention over the memory: equals the rows of
     * {@code forward(whole, memory, causalMask(T), null, null, memoryKeyPaddingMask)} for these positions.
     *
     * @param tgt                  the new positions {@code [s, B, d_model]} ({@code [B, s, d_model]} batch-first)
     * @param memory               the encoder's output (read on the first step, when {@code cache} is empty)
     * @param cache                this layer's caches; the self-attention's grows by {@code s}
     * @param memoryKeyPaddingMask null, or {@code [B, S]}: bool true = padding, or additive
     */
    public Tensor step(Tensor tgt, Tensor memory, Cache cache, Tensor memoryKeyPaddingMask) {
        Objects.requireNonNull(cache, "TransformerDecoderLayer.step: cache");
        Tensor x = tgt;
        if (options.normFirst()) {
            x = x.add(dropout1.forward(selfAttn.step(norm1.forward(x), cache.selfAttention(), false).output()));
            x = x.add(dropout2.forward(crossAttn.crossStep(norm2.forward(x), memory, cache.crossAttention(),
                    memoryKeyPaddingMask, false).output()));
            return x.add(feedForward(norm3.forward(x)));
        }
        x = norm1.forward(x.add(dropout1.forward(selfAttn.step(x, cache.selfAttention(), false).output())));
        x = norm2.forward(x.add(dropout2.forward(crossAttn.crossStep(x, memory, cache.crossAttention(),
                memoryKeyPaddingMask, false).output())));
        return norm3.forward(x.add(feedForward(x)));
    }

    private Tensor feedForward(Tensor x) {
        Tensor h = dropout.forward(options.activation().apply(linear1.forward(x)));
        return dropout3.forward(linear2.forward(h));
    }

    @Override
    public String toString() {
        return "TransformerDecoderLayer(" + options + ")";
    }
}
