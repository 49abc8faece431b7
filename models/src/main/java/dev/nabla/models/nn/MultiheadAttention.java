package dev.nabla.models.nn;

import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.tensor.AttentionOutput;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import java.util.List;
import java.util.Objects;

/**
 * Multi-head attention (Vaswani et al., 2017) with PyTorch's {@code nn.MultiheadAttention} semantics,
 * parameter names and layouts. With width {@code E}, {@code H} heads of size {@code d = E / H}:
 * <pre>
 *   [Q; K; V] = [query·W_qᵀ + b_q;  key·W_kᵀ + b_k;  value·W_vᵀ + b_v]      W_q, W_k, W_v = rows of in_proj_weight
 *   Q_h, K_h, V_h = head h's d columns of Q, K, V                            (the head split: [B, T, E] → [B, H, T, d])
 *   head_h = softmax(Q_h K_hᵀ / √d + M) V_h                                 ({@link ScaledDotProductAttention}, all heads in one batched matmul)
 *   output = concat(head_1, …, head_H) · W_Oᵀ + b_O                          (W_O = out_proj.weight)
 * </pre>
 * Parameters, as in PyTorch's state dict: {@code in_proj_weight [3E, E]} (rows {@code W_q; W_k; W_v}),
 * {@code in_proj_bias [3E]}, {@code out_proj.weight [E, E]}, {@code out_proj.bias [E]} (the biases only
 * if built with them). Initialised as PyTorch does: {@code in_proj_weight} Glorot-uniform over
 * {@code [3E, E]}, biases zero, {@code out_proj.weight} uniform in {@code ±1/√E}.
 *
 * <p><b>Shapes.</b> Time-first by default, {@code query [tq, B, E]}, {@code key}/{@code value [tk, B, E]};
 * with {@code batchFirst}, {@code [B, tq, E]} and {@code [B, tk, E]}; unbatched {@code [tq, E]} and
 * {@code [tk, E]} also work. Self-attention passes the same tensor three times (one projection);
 * cross-attention passes a query of another length than key and value.
 *
 * <p><b>Masks — PyTorch's conventions, which are the opposite of {@link ScaledDotProductAttention}'s.</b>
 * <ul>
 *   <li>{@code keyPaddingMask [B, tk]} ({@code [tk]} unbatched): bool, <b>true = this key is padding,
 *       ignore it</b>; or floating, added to the scores of that key.</li>
 *   <li>{@code attnMask [tq, tk]} (or {@code [B·H, tq, tk]}, one per batch entry and head, entry
 *       {@code b·H + h}): bool, <b>true = this query may NOT attend to this key</b>; or floating, added
 *       to the scores ({@code -∞} forbids). {@link #causalMask} builds the causal one.</li>
 * </ul>
 * Both become the additive {@code M} above (or one bool "may attend" mask when both are bool). A
 * query that may attend to no key gets NaN, as in PyTorch.
 *
 * <p><b>Dropout</b> with probability {@code p} is applied to the attention weights in training mode
 * only; the returned weights are the dropped ones, as in PyTorch 1.13. Incremental decoding:
 * {@link #step} (causal self-attention over a {@link KeyValueCache}) and {@link #crossStep}.
 *
 * <p>Not supported from PyTorch: {@code kdim}/{@code vdim} other than {@code embed_dim} (separate
 * {@code q_proj_weight}, {@code k_proj_weight}, {@code v_proj_weight}), {@code add_bias_kv},
 * {@code add_zero_attn}.
 */
public final class MultiheadAttention extends Block {
    private static final String OP = "MultiheadAttention";

    private final int embedDim;
    private final int numHeads;
    private final int headDim;
    private final boolean batchFirst;
    private final DType dtype;
    private final Tensor inProjWeight;
    private final Tensor inProjBias;
    private final TorchLinear outProj;
    private final Dropout dropout;
    private final ScaledDotProductAttention attention = new ScaledDotProductAttention();

    /**
     * What a forward pass returns.
     *
     * @param output  the attended values, shaped like the query ({@code [tq, B, E]}, {@code [B, tq, E]} or {@code [tq, E]})
     * @param weights the attention weights, or null when not asked for: {@code [B, tq, tk]} averaged over
     *                the heads, or {@code [B, H, tq, tk]} per head ({@code [tq, tk]} / {@code [H, tq, tk]}
     *                unbatched)
     */
    public record Output(Tensor output, Tensor weights) {
        /** Checks that the output is present. */
        public Output {
            Objects.requireNonNull(output, "output");
        }
    }

    /** Float32, time-first, with biases and no dropout: PyTorch's defaults. */
    public MultiheadAttention(TensorFactory f, Generator random, int embedDim, int numHeads) {
        this(f, random, embedDim, numHeads, 0.0, true, false, DType.FLOAT32);
    }

    /**
     * @param embedDim   the width {@code E} of queries, keys, values and the output
     * @param numHeads   the number of heads {@code H}; must divide {@code E}
     * @param dropout    the probability of dropping an attention weight in training, in {@code [0, 1)}
     * @param bias       whether {@code in_proj_bias} and {@code out_proj.bias} exist
     * @param batchFirst inputs and outputs {@code [B, T, E]} rather than {@code [T, B, E]}
     * @param dtype      the parameters' dtype, float32 or float64
     * @throws ShapeException           if {@code numHeads} does not divide {@code embedDim}, naming both
     * @throws IllegalArgumentException for a non-positive size, a bad dropout or a non-floating dtype
     */
    public MultiheadAttention(TensorFactory f, Generator random, int embedDim, int numHeads, double dropout,
                              boolean bias, boolean batchFirst, DType dtype) {
        if (embedDim < 1 || numHeads < 1) {
            throw new IllegalArgumentException(OP + ": embed_dim and num_heads must be positive, got " + embedDim
                    + " and " + numHeads);
        }
        if (embedDim % numHeads != 0) {
            throw new ShapeException(OP + ": embed_dim " + embedDim + " is not divisible by num_heads " + numHeads);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException(OP + ": dropout must be in [0, 1), got " + dropout);
        }
        Objects.requireNonNull(dtype, OP + ": dtype");
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(OP + ": dtype must be float32 or float64, got " + dtype);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.headDim = embedDim / numHeads;
        this.batchFirst = batchFirst;
        this.dtype = dtype;
        try (Scope ignored = Scope.open()) {
            double a = Math.sqrt(6.0 / (embedDim + 3 * embedDim));
            this.inProjWeight = parameter("in_proj_weight",
                    f.uniform(random, -a, a, Shape.of(3 * embedDim, embedDim), DType.FLOAT32).to(dtype));
            this.inProjBias = bias ? parameter("in_proj_bias", f.zeros(dtype, 3 * embedDim)) : null;
        }
        this.outProj = child("out_proj", new TorchLinear(OP + " out_proj", f, random, embedDim, embedDim, bias, dtype));
        outProj.zeroBias();
        this.dropout = child("dropout", new Dropout(dropout, random.split()));
    }

    /** The width {@code E}. */
    public int embedDim() {
        return embedDim;
    }

    /** The number of heads {@code H}. */
    public int numHeads() {
        return numHeads;
    }

    /** The size of one head, {@code E / H}. */
    public int headDim() {
        return headDim;
    }

    /** Whether inputs and outputs are {@code [B, T, E]}. */
    public boolean batchFirst() {
        return batchFirst;
    }

    /** {@code in_proj_weight [3E, E]}. */
    public Tensor inProjWeight() {
        return inProjWeight;
    }

    /** {@code in_proj_bias [3E]}, or null. */
    public Tensor inProjBias() {
        return inProjBias;
    }

    /**
     * The causal mask in PyTorch's convention: bool {@code [length, length]}, true above the diagonal
     * (query {@code i} may not attend to key {@code j > i}). Same as PyTorch's
     * {@code Transformer.generate_square_subsequent_mask} in bool form.
     */
    public static Tensor causalMask(TensorFactory f, int length) {
        return f.triuMask(length, length, 1);
    }

    /** Attention without masks, returning the head-averaged weights. */
    public Output forward(Tensor query, Tensor key, Tensor value) {
        return forward(query, key, value, null, null, true, true);
    }

    /**
     * Attends.
     *
     * @param query          {@code [tq, B, E]} ({@code [B, tq, E]} if batch-first; {@code [tq, E]} unbatched)
     * @param key            {@code [tk, B, E]} ({@code [B, tk, E]}; {@code [tk, E]})
     * @param value          shaped like {@code key}
     * @param keyPaddingMask null, or {@code [B, tk]} ({@code [tk]}): bool true = padding (ignored), or additive float
     * @param attnMask       null, or {@code [tq, tk]} or {@code [B·H, tq, tk]}: bool true = not allowed, or additive float
     * @param needWeights    whether to return the weights
     * @param averageWeights average the weights over the heads ({@code [B, tq, tk]}) rather than per head
     * @throws ShapeException naming the shapes when inputs or masks do not fit together
     * @throws DTypeException for inputs not of the parameters' dtype or masks neither bool nor of it
     */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask,
                          boolean needWeights, boolean averageWeights) {
        return forward(query, key, value, keyPaddingMask, attnMask, needWeights, averageWeights, false);
    }

    /**
     * As {@link #forward(Tensor, Tensor, Tensor, Tensor, Tensor, boolean, boolean)}, and with {@code isCausal}
     * query {@code i} also attends only to keys {@code j <= i}: the same as passing {@link #causalMask} as
     * {@code attnMask} (which may then be null; given, it applies too), without building a mask — the fused
     * attention kernel then skips the excluded keys.
     */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask,
                          boolean needWeights, boolean averageWeights, boolean isCausal) {
        Objects.requireNonNull(query, OP + ": query");
        Objects.requireNonNull(key, OP + ": key");
        Objects.requireNonNull(value, OP + ": value");
        boolean unbatched = query.rank() == 2;
        checkInputs(query, key, value, unbatched);
        Tensor q = toBatchFirst(query, unbatched);
        Tensor k = key == query ? q : toBatchFirst(key, unbatched);
        Tensor v = value == key ? k : toBatchFirst(value, unbatched);
        int b = q.dim(0);
        int tq = q.dim(1);
        int tk = k.dim(1);
        Tensor mask = combinedMask(keyPaddingMask, attnMask, unbatched, b, tq, tk, q.describe(), k.describe());
        Tensor qh;
        Tensor kh;
        Tensor vh;
        if (q == k && k == v && !(isTraining() && dropout.p() > 0)) {
            // one projection, attended where it lies: no head split, no merge (see Tensor.packedSelfAttention)
            AttentionOutput o = Tensor.packedSelfAttention(q.linear(inProjWeight, inProjBias), numHeads, mask,
                    isCausal, 1 / Math.sqrt(headDim));
            return output(o.output(), o.weights(), needWeights, averageWeights, unbatched);
        }
        if (q == k && k == v) {
            List<Tensor> qkv = heads(q.linear(inProjWeight, inProjBias), b, tq, 3).chunk(3, 0);
            qh = qkv.get(0).squeeze(0);
            kh = qkv.get(1).squeeze(0);
            vh = qkv.get(2).squeeze(0);
        } else {
            qh = project(q, 0, b, tq);
            kh = k == v ? null : project(k, 1, b, tk);
            if (kh == null) {
                List<Tensor> kv = heads(k.linear(rows(1, 3), bias(1, 3)), b, tk, 2).chunk(2, 0);
                kh = kv.get(0).squeeze(0);
                vh = kv.get(1).squeeze(0);
            } else {
                vh = project(v, 2, b, tk);
            }
        }
        return finish(qh, kh, vh, mask, isCausal, needWeights, averageWeights, unbatched);
    }

    /**
     * One or more new positions of causal self-attention, appending their keys and values to
     * {@code cache}: the new positions attend over every cached position and over the new ones up to
     * themselves. Stepping through a sequence one position at a time gives the rows of
     * {@code forward(x, x, x, null, causalMask(T), …)} (to rounding). Gradients do not flow into the
     * cache (see {@link KeyValueCache}).
     *
     * @param query       the new positions {@code [s, B, E]} ({@code [B, s, E]} batch-first, {@code [s, E]} unbatched)
     * @param cache       the keys and values of the earlier positions; grows by {@code s}
     * @param needWeights whether to return the head-averaged weights {@code [B, s, length]}
     */
    public Output step(Tensor query, KeyValueCache cache, boolean needWeights) {
        Objects.requireNonNull(query, OP + ": query");
        Objects.requireNonNull(cache, OP + ": cache");
        boolean unbatched = query.rank() == 2;
        checkInputs(query, query, query, unbatched);
        Tensor q = toBatchFirst(query, unbatched);
        int b = q.dim(0);
        int s = q.dim(1);
        checkCache(cache, b, "step");
        List<Tensor> qkv = heads(q.linear(inProjWeight, inProjBias), b, s, 3).chunk(3, 0);
        int before = cache.length();
        cache.append(qkv.get(1).squeeze(0), qkv.get(2).squeeze(0));
        Tensor mask = s == 1 ? null : q.factory().trilMask(s, before + s, before);
        return finish(qkv.get(0).squeeze(0), cache.keys(), cache.values(), mask, false, needWeights, true, unbatched);
    }

    /**
     * Cross-attention of new query positions over a fixed memory whose projected keys and values are
     * computed once and kept in {@code memoryCache}: on the first call (empty cache) from
     * {@code memory}, afterwards reused ({@code memory} is then only checked for its batch size).
     *
     * @param query          the new positions, shaped as in {@link #forward}
     * @param memory         the memory {@code [tk, B, E]} ({@code [B, tk, E]}; {@code [tk, E]})
     * @param memoryCache    empty on the first step, then the memory's keys and values
     * @param keyPaddingMask null, or {@code [B, tk]}: bool true = padding, or additive float
     * @param needWeights    whether to return the head-averaged weights
     */
    public Output crossStep(Tensor query, Tensor memory, KeyValueCache memoryCache, Tensor keyPaddingMask,
                            boolean needWeights) {
        Objects.requireNonNull(query, OP + ": query");
        Objects.requireNonNull(memory, OP + ": memory");
        Objects.requireNonNull(memoryCache, OP + ": memoryCache");
        boolean unbatched = query.rank() == 2;
        checkInputs(query, memory, memory, unbatched);
        Tensor q = toBatchFirst(query, unbatched);
        int b = q.dim(0);
        int tq = q.dim(1);
        if (memoryCache.isEmpty()) {
            Tensor m = toBatchFirst(memory, unbatched);
            List<Tensor> kv = heads(m.linear(rows(1, 3), bias(1, 3)), b, m.dim(1), 2).chunk(2, 0);
            memoryCache.append(kv.get(0).squeeze(0), kv.get(1).squeeze(0));
        }
        checkCache(memoryCache, b, "crossStep");
        int tk = memoryCache.length();
        Tensor mask = combinedMask(keyPaddingMask, null, unbatched, b, tq, tk, q.describe(),
                "cached memory of length " + tk);
        return finish(project(q, 0, b, tq), memoryCache.keys(), memoryCache.values(), mask, false, needWeights, true,
                unbatched);
    }

    // ------------------------------------------------------------------ the computation

    /** Projection {@code which} (0 = q, 1 = k, 2 = v) of {@code x [B, T, E]}, split into heads {@code [B, H, T, d]}. */
    private Tensor project(Tensor x, int which, int b, int t) {
        return heads(x.linear(rows(which, 1), bias(which, 1)), b, t, 1).squeeze(0);
    }

    /** Rows {@code [from·E, (from + count)·E)} of {@code in_proj_weight}. */
    private Tensor rows(int from, int count) {
        return inProjWeight.slice(0, from * embedDim, (from + count) * embedDim);
    }

    private Tensor bias(int from, int count) {
        return inProjBias == null ? null : inProjBias.slice(0, from * embedDim, (from + count) * embedDim);
    }

    /** {@code [B, T, n·E]} → {@code [n, B, H, T, d]}: the head split of {@code n} stacked projections. */
    private Tensor heads(Tensor x, int b, int t, int n) {
        return x.reshape(b, t, n, numHeads, headDim).permute(2, 0, 3, 1, 4);
    }

    private Output finish(Tensor qh, Tensor kh, Tensor vh, Tensor mask, boolean causal, boolean needWeights,
                          boolean average, boolean unbatched) {
        int b = qh.dim(0);
        int tq = qh.dim(2);
        AttentionResult r = attention.attend(qh, kh, vh, mask, causal);
        Tensor weights = r.weights();
        Tensor heads = r.output();
        if (isTraining() && dropout.p() > 0) {
            weights = dropout.forward(weights);
            heads = weights.matmul(vh);
        }
        return output(heads.permute(0, 2, 1, 3).reshape(b, tq, embedDim), weights, needWeights, average, unbatched);
    }

    /** The output projection of the merged heads {@code [B, tq, E]} in the caller's layout, and the weights asked. */
    private Output output(Tensor merged, Tensor weights, boolean needWeights, boolean average, boolean unbatched) {
        Tensor out = outProj.forward(merged);
        out = unbatched ? out.squeeze(0) : batchFirst ? out : out.transpose(0, 1);
        Tensor w = null;
        if (needWeights) {
            w = average ? weights.mean(1, false) : weights;
            if (unbatched) {
                w = w.squeeze(0);
            }
        }
        return new Output(out, w);
    }

    // ------------------------------------------------------------------ shapes and masks

    private Tensor toBatchFirst(Tensor x, boolean unbatched) {
        return unbatched ? x.unsqueeze(0) : batchFirst ? x : x.transpose(0, 1);
    }

    private String layout() {
        return batchFirst ? "[batch, length, " + embedDim + "]" : "[length, batch, " + embedDim + "]";
    }

    private void checkInputs(Tensor query, Tensor key, Tensor value, boolean unbatched) {
        int rank = unbatched ? 2 : 3;
        if (query.rank() != rank && query.rank() != 3 || key.rank() != query.rank() || value.rank() != query.rank()) {
            throw new ShapeException(OP + ": query " + query.shape() + ", key " + key.shape() + " and value "
                    + value.shape() + " must all be " + layout() + " (or [length, " + embedDim + "] unbatched)");
        }
        if (query.dim(-1) != embedDim || key.dim(-1) != embedDim || value.dim(-1) != embedDim) {
            throw new ShapeException(OP + "(embed_dim " + embedDim + "): query " + query.shape() + ", key "
                    + key.shape() + " and value " + value.shape() + " must end in " + embedDim);
        }
        int lengthAxis = unbatched || !batchFirst ? 0 : 1;
        if (!key.shape().equals(value.shape())) {
            throw new ShapeException(OP + ": key " + key.shape() + " and value " + value.shape()
                    + " must have the same shape (one value per key: their lengths on axis " + lengthAxis
                    + " must match)");
        }
        if (!unbatched) {
            int batchAxis = 1 - lengthAxis;
            if (query.dim(batchAxis) != key.dim(batchAxis)) {
                throw new ShapeException(OP + ": query " + query.shape() + " and key " + key.shape()
                        + " must have the same batch size on axis " + batchAxis);
            }
        }
        for (Tensor t : new Tensor[] {query, key, value}) {
            if (t.dtype() != dtype) {
                throw new DTypeException(OP + ": query, key and value must be " + dtype + " like the parameters, got "
                        + query.describe() + ", " + key.describe() + " and " + value.describe());
            }
        }
    }

    private void checkCache(KeyValueCache cache, int b, String op) {
        if (!cache.isEmpty() && (cache.keys().dim(0) != b || cache.keys().dim(1) != numHeads
                || cache.keys().dim(3) != headDim)) {
            throw new ShapeException(OP + "." + op + ": the cache holds " + cache.keys().shape()
                    + " but this layer needs [" + b + ", " + numHeads + ", length, " + headDim + "]");
        }
    }

    /**
     * The two PyTorch masks as one mask in {@link ScaledDotProductAttention}'s convention, broadcastable
     * to the scores {@code [B, H, tq, tk]}: bool "may attend" when both are bool (or absent), else additive.
     */
    private Tensor combinedMask(Tensor keyPaddingMask, Tensor attnMask, boolean unbatched, int b, int tq, int tk,
                                String query, String key) {
        Tensor padding = null;
        if (keyPaddingMask != null) {
            Shape expected = unbatched ? Shape.of(tk) : Shape.of(b, tk);
            if (!keyPaddingMask.shape().equals(expected)) {
                throw new ShapeException(OP + ": key_padding_mask " + keyPaddingMask.shape() + " must be " + expected
                        + " ([batch, tk]) for query " + query + " and key " + key);
            }
            checkMaskType("key_padding_mask", keyPaddingMask);
            padding = keyPaddingMask.reshape(unbatched ? 1 : b, 1, 1, tk);
        }
        Tensor attn = null;
        if (attnMask != null) {
            checkMaskType("attn_mask", attnMask);
            int[] m = attnMask.shape().dims();
            boolean ok;
            if (m.length == 2) {
                ok = fits(m[0], tq) && fits(m[1], tk);
                attn = attnMask;
            } else if (m.length == 3) {
                int bh = (unbatched ? 1 : b) * numHeads;
                ok = (m[0] == bh || unbatched && m[0] == numHeads) && fits(m[1], tq) && fits(m[2], tk);
                attn = ok ? attnMask.reshape(m[0] / numHeads, numHeads, m[1], m[2]) : null;
            } else {
                ok = false;
            }
            if (!ok) {
                throw new ShapeException(OP + ": attn_mask " + attnMask.shape() + " cannot be broadcast to the scores:"
                        + " it must be [tq, tk] = [" + tq + ", " + tk + "] or [batch·heads, tq, tk] = ["
                        + (unbatched ? 1 : b) * numHeads + ", " + tq + ", " + tk + "] (query " + query + ", key "
                        + key + ", " + numHeads + " heads)");
            }
        }
        if (padding == null && attn == null) {
            return null;
        }
        if ((padding == null || padding.dtype() == DType.BOOL) && (attn == null || attn.dtype() == DType.BOOL)) {
            Tensor allowed = null;
            for (Tensor forbidden : new Tensor[] {padding, attn}) {
                if (forbidden != null) {
                    allowed = allowed == null ? forbidden.logicalNot() : allowed.logicalAnd(forbidden.logicalNot());
                }
            }
            return allowed;
        }
        Tensor additive = null;
        for (Tensor m : new Tensor[] {padding, attn}) {
            if (m != null) {
                Tensor a = m.dtype() == DType.BOOL
                        ? m.factory().zeros(m.shape(), dtype).maskedFill(m, Double.NEGATIVE_INFINITY) : m;
                additive = additive == null ? a : additive.add(a);
            }
        }
        return additive;
    }

    private static boolean fits(int maskDim, int scoresDim) {
        return maskDim == scoresDim || maskDim == 1;
    }

    private void checkMaskType(String name, Tensor mask) {
        if (mask.dtype() != DType.BOOL && mask.dtype() != dtype) {
            throw new DTypeException(OP + ": " + name + " must be bool or " + dtype + " (added to the scores), got "
                    + mask.describe());
        }
    }

    @Override
    public String toString() {
        return "MultiheadAttention(embed_dim=" + embedDim + ", num_heads=" + numHeads + ", dropout=" + dropout.p()
                + (batchFirst ? ", batch_first" : "") + ")";
    }
}
