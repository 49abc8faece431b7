package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import java.util.Objects;

/**
 * One Transformer encoder layer (Vaswani et al., 2017) as PyTorch 1.13's {@code nn.TransformerEncoderLayer}:
 * self-attention and a position-wise feed-forward network, each with a residual connection and LayerNorm.
 * <pre>
 *   SA(x)  = Dropout(MultiheadAttention(x, x, x, mask))
 *   FF(x)  = Dropout(W_2 · Dropout(act(W_1 x + b_1)) + b_2)               act = relu or gelu
 *   post-LN (default, Vaswani):  x ← LN_1(x + SA(x));    x ← LN_2(x + FF(x))
 *   pre-LN  (normFirst):         x ← x + SA(LN_1(x));    x ← x + FF(LN_2(x))
 * </pre>
 * Parameters under PyTorch's names: {@code self_attn.in_proj_weight}, {@code self_attn.in_proj_bias},
 * {@code self_attn.out_proj.weight}, {@code self_attn.out_proj.bias}, {@code linear1.weight [ff, d_model]},
 * {@code linear1.bias}, {@code linear2.weight [d_model, ff]}, {@code linear2.bias}, {@code norm1.*},
 * {@code norm2.*} — a PyTorch state dict loads with {@link #loadState}. Shapes {@code [T, B, d_model]}
 * ({@code [B, T, d_model]} batch-first). Masks follow PyTorch's conventions (see
 * {@link MultiheadAttention}): {@code srcMask} true = may not attend (or additive), {@code srcKeyPaddingMask}
 * true = padding. A decoder-only model uses this layer with {@link MultiheadAttention#causalMask} and
 * decodes with {@link #step}.
 */
public final class TransformerEncoderLayer extends Block implements Layer {
    private final TransformerOptions options;
    private final MultiheadAttention selfAttn;
    private final TorchLinear linear1;
    private final Dropout dropout;
    private final TorchLinear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Dropout dropout1;
    private final Dropout dropout2;

    /** A layer with {@code options}, initialised as PyTorch does. */
    public TransformerEncoderLayer(TensorFactory f, Generator random, TransformerOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        TransformerOptions o = options;
        this.selfAttn = child("self_attn", new MultiheadAttention(f, random, o.dModel(), o.nhead(), o.dropout(), true,
                o.batchFirst(), o.dtype()));
        this.linear1 = child("linear1", new TorchLinear("TransformerEncoderLayer linear1", f, random, o.dModel(),
                o.dimFeedforward(), true, o.dtype()));
        this.dropout = child("dropout", new Dropout(o.dropout(), random.split()));
        this.linear2 = child("linear2", new TorchLinear("TransformerEncoderLayer linear2", f, random,
                o.dimFeedforward(), o.dModel(), true, o.dtype()));
        this.norm1 = child("norm1", new LayerNorm(f, new int[] {o.dModel()}, o.layerNormEps(), true, o.dtype()));
        this.norm2 = child("norm2", new LayerNorm(f, new int[] {o.dModel()}, o.layerNormEps(), true, o.dtype()));
        this.dropout1 = child("dropout1", new Dropout(o.dropout(), random.split()));
        this.dropout2 = child("dropout2", new Dropout(o.dropout(), random.split()));
    }

    /** The options the layer was built with. */
    public TransformerOptions options() {
        return options;
    }

    /** The self-attention sublayer ({@code self_attn}). */
    public MultiheadAttention selfAttention() {
        return selfAttn;
    }

    /** The layer without masks. */
    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /**
     * The layer.
     *
     * @param src               {@code [T, B, d_model]} ({@code [B, T, d_model]} batch-first)
     * @param srcMask           null, or {@code [T, T]} (or {@code [B·nhead, T, T]}): bool true = not allowed, or additive
     * @param srcKeyPaddingMask null, or {@code [B, T]}: bool true = padding, or additive
     * @return shaped like {@code src}
     */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        return forward(src, srcMask, srcKeyPaddingMask, false);
    }

    /**
     * The layer; with {@code isCausal} position {@code i} attends only to positions {@code j <= i}, as with
     * {@code srcMask = MultiheadAttention.causalMask(T)} (which may then be null), without building the mask
     * ({@link MultiheadAttention#forward(Tensor, Tensor, Tensor, Tensor, Tensor, boolean, boolean, boolean)}).
     */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask, boolean isCausal) {
        Tensor x = src;
        if (options.normFirst()) {
            Tensor h = norm1.forward(x);
            x = x.add(dropout1.forward(selfAttn.forward(h, h, h, srcKeyPaddingMask, srcMask, false, true, isCausal)
                    .output()));
            return x.add(feedForward(norm2.forward(x)));
        }
        x = norm1.forward(x.add(dropout1.forward(selfAttn.forward(x, x, x, srcKeyPaddingMask, srcMask, false, true,
                isCausal).output())));
        return norm2.forward(x.add(feedForward(x)));
    }

    /**
     * New positions of a causal layer (one decoding step, or a prompt's positions at once), with the keys
     * and values of the earlier positions in {@code cache}: equals the rows of
     * {@code forward(whole, causalMask(T), null)} for these positions (to rounding).
     *
     * @param src   the new positions {@code [s, B, d_model]} ({@code [B, s, d_model]} batch-first)
     * @param cache this layer's cache; grows by {@code s}
     */
    public Tensor step(Tensor src, KeyValueCache cache) {
        Tensor x = src;
        if (options.normFirst()) {
            x = x.add(dropout1.forward(selfAttn.step(norm1.forward(x), cache, false).output()));
            return x.add(feedForward(norm2.forward(x)));
        }
        x = norm1.forward(x.add(dropout1.forward(selfAttn.step(x, cache, false).output())));
        return norm2.forward(x.add(feedForward(x)));
    }

    private Tensor feedForward(Tensor x) {
        Tensor h = dropout.forward(options.activation().apply(linear1.forward(x)));
        return dropout2.forward(linear2.forward(h));
    }

    @Override
    public String toString() {
        return "TransformerEncoderLayer(" + options + ")";
    }
}
