package dev.nabla.models.transformer;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Embedding;
import dev.nabla.models.nn.KeyValueCache;
import dev.nabla.models.nn.LearnedPositions;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.TransformerEncoder;
import dev.nabla.models.nn.TransformerOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A decoder-only Transformer language model (GPT-style), built from {@link TransformerEncoderLayer}s run causally
 * (the stack's {@code isCausal}: the same as PyTorch's causal mask, without building it). For tokens {@code x_1 … x_T} ({@code T ≤ context}):
 * <pre>
 *   h_0 = E[x_t] + P[t]                          token embedding + learned position ({@code [B, T, d]})
 *   h_l = Layer_l(h_{l−1}, causal mask)           l = 1 … L; pre-LN by default, post-LN as an option
 *   h   = LN(h_L)                                 the final LayerNorm (pre-LN stacks only)
 *   p(x_{t+1} | x_{≤t}) = softmax(h_t W + b)
 * </pre>
 * Parameters (PyTorch's names inside the stack): {@code embedding.weight [V, d]}, {@code positions.weight
 * [context, d]}, {@code encoder.layers.N.*} ({@code self_attn.in_proj_weight}, …, {@code norm2.bias}),
 * {@code encoder.norm.*} (pre-LN), {@code head.weight [d, V]} (Nabla's {@link Linear} layout, the transpose
 * of PyTorch's), {@code head.bias}. An input longer than {@code context} is a {@link ShapeException}
 * naming both lengths. {@link #generate} decodes with one {@link KeyValueCache} per layer.
 *
 * @see dev.nabla.models.nn.TransformerEncoderLayer
 */
public final class TransformerLm extends Block {
    private final int vocabulary;
    private final int context;
    private final int dModel;
    private final Embedding embedding;
    private final LearnedPositions positions;
    private final TransformerEncoder encoder;
    private final Linear head;
    private final TensorFactory f;

    /**
     * A freshly initialised model (each part as PyTorch initialises it).
     *
     * @param vocabulary the number of tokens
     * @param sizes      the layer sizes, dropout, activation and norm placement
     * @param context    the longest input (positions)
     */
    TransformerLm(TensorFactory f, Generator random, int vocabulary, TransformerModels.Sizes sizes, int context) {
        if (vocabulary < 1 || context < 1) {
            throw new IllegalArgumentException("TransformerLm: vocabulary and context must be positive, got " + vocabulary
                    + " and " + context);
        }
        this.f = f;
        this.vocabulary = vocabulary;
        this.context = context;
        this.dModel = sizes.dModel();
        TransformerOptions o = TransformerOptions.of(sizes.dModel(), sizes.heads()).dimFeedforward(sizes.feedforward())
                .dropout(sizes.dropout()).activation(sizes.activation()).batchFirst(true).normFirst(sizes.normFirst());
        this.embedding = child("embedding", new Embedding(f, random, vocabulary, dModel));
        this.positions = child("positions", new LearnedPositions(f, random, context, dModel, true, DType.FLOAT32));
        this.encoder = child("encoder", new TransformerEncoder(f, random, o, sizes.layers(), sizes.normFirst()));
        this.head = child("head", new Linear(f, random, dModel, vocabulary));
    }

    /** The number of tokens. */
    public int vocabulary() {
        return vocabulary;
    }

    /** The longest input. */
    public int context() {
        return context;
    }

    /** The width. */
    public int dModel() {
        return dModel;
    }

    /** The factory of the parameters. */
    public TensorFactory tensors() {
        return f;
    }

    /**
     * The next-token logits of every position.
     *
     * @param ids int64 {@code [B, T]}, {@code T ≤ context}
     * @return {@code [B, T, V]}
     * @throws ShapeException if {@code ids} is not {@code [B, T]} or {@code T > context}, naming the lengths
     */
    public Tensor forward(Tensor ids) {
        if (ids.rank() != 2) {
            throw new ShapeException("transformer-lm: input must be token ids [batch, length], got " + ids.shape());
        }
        int t = ids.dim(1);
        if (t > context) {
            throw new ShapeException("transformer-lm: an input of " + t + " tokens is longer than the context of "
                    + context + " positions the model was built for");
        }
        Tensor h = positions.forward(embedding.forward(ids));
        h = encoder.forward(h, null, null, true);
        return head.forward(h);
    }

    /**
     * New positions read with the layers' caches: the logits {@code [B, s, V]} of the positions
     * {@code offset … offset + s − 1}, equal (to rounding) to those rows of {@link #forward} over the whole prefix.
     *
     * @param ids    int64 {@code [B, s]}, the new tokens
     * @param caches one per layer ({@link #newCache()}), holding {@code offset} positions; each grows by {@code s}
     */
    public Tensor step(Tensor ids, List<KeyValueCache> caches) {
        int offset = caches.isEmpty() ? 0 : caches.getFirst().length();
        if (offset + ids.dim(1) > context) {
            throw new ShapeException("transformer-lm: " + offset + " cached and " + ids.dim(1)
                    + " new tokens are longer than the context of " + context + " positions");
        }
        Tensor h = positions.forward(embedding.forward(ids), offset);
        return head.forward(encoder.step(h, caches));
    }

    /** Empty caches for {@link #step}, one per layer. */
    public List<KeyValueCache> newCache() {
        return encoder.newCache();
    }

    /**
     * {@code count} continuations of {@code prompt}, {@code length} tokens each, drawn at {@code temperature} with
     * {@code random} (one uniform number per token, rows in order), in evaluation mode without gradients. The
     * prompt fills the caches in one pass; each drawn token is one cached step while the text fits the context.
     * Past it (the positions end there) each token is predicted from the last {@code context} tokens, read
     * afresh, as a sliding window.
     *
     * @param prompt at least one token, at most {@code context}
     * @throws IllegalArgumentException for an empty prompt or one longer than the context
     */
    public List<long[]> generate(long[] prompt, int count, int length, double temperature, Generator random) {
        if (prompt.length == 0 || prompt.length > context) {
            throw new IllegalArgumentException("transformer-lm: a prompt must have 1 to " + context + " tokens, got "
                    + prompt.length);
        }
        boolean training = isTraining();
        train(false);
        long[][] text = new long[count][prompt.length + length];
        for (long[] row : text) {
            System.arraycopy(prompt, 0, row, 0, prompt.length);
        }
        List<KeyValueCache> caches = newCache();
        try (GradMode ignored = Autograd.noGrad()) {
            int have = prompt.length;
            long[] in = new long[count * prompt.length];
            for (int i = 0; i < count; i++) {
                System.arraycopy(prompt, 0, in, i * prompt.length, prompt.length);
            }
            double[] logits;
            try (Scope s = Scope.open()) {
                Tensor out = step(f.of(in, count, prompt.length), caches);
                logits = out.select(1, prompt.length - 1).to(DType.FLOAT64).toDoubleArray();
            }
            for (int n = 0; n < length; n++) {
                long[] drawn = new long[count];
                for (int i = 0; i < count; i++) {
                    drawn[i] = draw(logits, i * vocabulary, vocabulary, temperature, random);
                    text[i][have] = drawn[i];
                }
                have++;
                if (n + 1 == length) {
                    break;
                }
                try (Scope s = Scope.open()) {
                    if (have <= context) {
                        logits = step(f.of(drawn, count, 1), caches).select(1, 0).to(DType.FLOAT64).toDoubleArray();
                    } else {
                        long[] window = new long[count * context];
                        for (int i = 0; i < count; i++) {
                            System.arraycopy(text[i], have - context, window, i * context, context);
                        }
                        logits = forward(f.of(window, count, context)).select(1, context - 1).to(DType.FLOAT64)
                                .toDoubleArray();
                    }
                }
            }
        } finally {
            caches.forEach(KeyValueCache::close);
            train(training);
        }
        List<long[]> out = new ArrayList<>();
        for (long[] row : text) {
            out.add(Arrays.copyOfRange(row, prompt.length, row.length));
        }
        return out;
    }

    /** An id drawn from {@code softmax(logits[from, from + v) / temperature)} with one uniform number. */
    static int draw(double[] logits, int from, int v, double temperature, Generator random) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
            max = Math.max(max, logits[from + j] / temperature);
        }
        double[] p = new double[v];
        double total = 0;
        for (int j = 0; j < v; j++) {
            p[j] = Math.exp(logits[from + j] / temperature - max);
            total += p[j];
        }
        double u = random.nextDouble() * total;
        double acc = 0;
        for (int j = 0; j < v; j++) {
            acc += p[j];
            if (u < acc) {
                return j;
            }
        }
        return v - 1;
    }

    @Override
    public String toString() {
        return "TransformerLm(vocabulary " + vocabulary + ", context " + context + ", " + encoder + ")";
    }
}
