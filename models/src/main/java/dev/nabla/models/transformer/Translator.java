package dev.nabla.models.transformer;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.loss.Reduction;
import dev.nabla.models.nn.BeamSearch;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Embedding;
import dev.nabla.models.nn.LearnedPositions;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.MultiheadAttention;
import dev.nabla.models.nn.SinusoidalPositions;
import dev.nabla.models.nn.TransformerDecoder;
import dev.nabla.models.nn.TransformerDecoderLayer;
import dev.nabla.models.nn.TransformerEncoder;
import dev.nabla.models.nn.TransformerOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * The Transformer encoder-decoder (Vaswani et al. 2017) over token sequences. For a source
 * {@code x_1 … x_S} and a target {@code y_1 … y_T}:
 * <pre>
 *   m   = Encoder(E_x[x] + P[1..S], source padding mask)                          the memory {@code [B, S, d]}
 *   h   = Decoder(E_y[&lt;bos&gt;, y_1 … y_{T}] + P[1..T+1], m, causal mask, source padding mask)
 *   p(y_t | y_&lt;t, x) = softmax(h_t W + b),  y_{T+1} = &lt;eos&gt;
 * </pre>
 * Each stack has {@code layers} layers of PyTorch's {@code nn.TransformerEncoderLayer} /
 * {@code nn.TransformerDecoderLayer} (post-LN as in the paper, or pre-LN with a final LayerNorm per stack);
 * positions are the sinusoidal table ({@code positions.pe}, a buffer shared by both sides) or learned
 * ({@code source_positions.weight}, {@code target_positions.weight}). Embeddings are {@code N(0, 1)} and not
 * scaled by {@code √d} (with unit-variance embeddings the positions, of amplitude 1, are already on their scale).
 * The loss is the mean label-smoothed cross-entropy ({@link Losses#crossEntropy(Tensor, Tensor, int, double, Reduction)})
 * over every target token and each pair's {@code <eos>}, padding excluded. Decoding ({@link #decode}) steps
 * the decoder one token at a time with one {@link TransformerDecoderLayer.Cache} per layer (the target's keys
 * and values grow by one position per step; the memory's are projected once), greedily or by {@link BeamSearch}.
 * Parameters: {@code source_embedding.weight}, {@code target_embedding.weight}, {@code encoder.layers.N.*},
 * {@code decoder.layers.N.*} (PyTorch's names; {@code encoder.norm.*}, {@code decoder.norm.*} pre-LN),
 * {@code output.weight [d, V]}, {@code output.bias}.
 */
public final class Translator extends Block {
    private final TensorFactory f;
    private final int dModel;
    private final int maxPositions;
    private final Embedding sourceEmbedding;
    private final Embedding targetEmbedding;
    private final SinusoidalPositions sinusoidal;
    private final LearnedPositions sourcePositions;
    private final LearnedPositions targetPositions;
    private final TransformerEncoder encoder;
    private final TransformerDecoder decoder;
    private final Linear output;
    private final long pad;
    private final long bos;
    private final long eos;
    private final long sourcePad;

    /**
     * A freshly initialised model.
     *
     * @param learned      learned positions rather than the sinusoidal table
     * @param maxPositions the longest source, and the longest target with its {@code <bos>}
     * @param pad          the target padding id (ignored by the loss); {@code bos}, {@code eos} the start and end ids
     * @param sourcePad    the source padding id
     * @throws IllegalArgumentException for a size below 1 or an id outside its vocabulary
     */
    Translator(TensorFactory f, Generator random, int sourceVocab, int targetVocab, TransformerModels.Sizes sizes,
               boolean learned, int maxPositions, long pad, long bos, long eos, long sourcePad) {
        for (long id : new long[] {pad, bos, eos}) {
            if (id < 0 || id >= targetVocab) {
                throw new IllegalArgumentException("transformer: special id " + id + " outside the target vocabulary [0, "
                        + targetVocab + ")");
            }
        }
        this.f = f;
        this.dModel = sizes.dModel();
        this.maxPositions = maxPositions;
        TransformerOptions o = TransformerOptions.of(sizes.dModel(), sizes.heads()).dimFeedforward(sizes.feedforward())
                .dropout(sizes.dropout()).activation(sizes.activation()).batchFirst(true).normFirst(sizes.normFirst());
        this.sourceEmbedding = child("source_embedding", new Embedding(f, random, sourceVocab, dModel));
        this.targetEmbedding = child("target_embedding", new Embedding(f, random, targetVocab, dModel));
        if (learned) {
            this.sinusoidal = null;
            this.sourcePositions = child("source_positions", new LearnedPositions(f, random, maxPositions, dModel, true,
                    DType.FLOAT32));
            this.targetPositions = child("target_positions", new LearnedPositions(f, random, maxPositions, dModel, true,
                    DType.FLOAT32));
        } else {
            this.sinusoidal = child("positions", new SinusoidalPositions(f, maxPositions, dModel, true, DType.FLOAT32));
            this.sourcePositions = null;
            this.targetPositions = null;
        }
        this.encoder = child("encoder", new TransformerEncoder(f, random, o, sizes.layers(), sizes.normFirst()));
        this.decoder = child("decoder", new TransformerDecoder(f, random, o, sizes.layers(), sizes.normFirst()));
        this.output = child("output", new Linear(f, random, dModel, targetVocab));
        this.pad = pad;
        this.bos = bos;
        this.eos = eos;
        this.sourcePad = sourcePad;
    }

    /** The width. */
    public int dModel() {
        return dModel;
    }

    /** The longest source (and target with its start token). */
    public int maxPositions() {
        return maxPositions;
    }

    /** The factory of the parameters. */
    public TensorFactory tensors() {
        return f;
    }

    private Tensor sourceInput(Tensor ids) {
        Tensor e = sourceEmbedding.forward(ids);
        return sinusoidal != null ? sinusoidal.forward(e) : sourcePositions.forward(e);
    }

    private Tensor targetInput(Tensor ids, int offset) {
        Tensor e = targetEmbedding.forward(ids);
        return sinusoidal != null ? sinusoidal.forward(e, offset) : targetPositions.forward(e, offset);
    }

    /** The encoder's output and the source padding mask (bool {@code [B, S]}, true = padding). */
    public record Memory(Tensor memory, Tensor paddingMask) {
    }

    /**
     * Encodes a padded batch of sources.
     *
     * @param source  int64 {@code [B, S]}
     * @param lengths each source's length, 1 to {@code S}
     * @throws ShapeException naming the lengths if {@code S} exceeds the positions
     */
    public Memory encode(Tensor source, long[] lengths) {
        int b = source.dim(0);
        int s = source.dim(1);
        if (lengths.length != b) {
            throw new IllegalArgumentException("transformer.encode: " + lengths.length + " lengths for " + b + " sources");
        }
        if (s > maxPositions) {
            throw new ShapeException("transformer: a source of " + s + " tokens is longer than the " + maxPositions
                    + " positions the model was built for");
        }
        boolean[] padding = new boolean[b * s];
        for (int i = 0; i < b; i++) {
            if (lengths[i] < 1 || lengths[i] > s) {
                throw new IllegalArgumentException("transformer.encode: source " + i + " has length " + lengths[i]
                        + ", outside [1, " + s + "]");
            }
            for (int t = (int) lengths[i]; t < s; t++) {
                padding[i * s + t] = true;
            }
        }
        Tensor mask = f.of(padding, b, s);
        return new Memory(encoder.forward(sourceInput(source), null, mask), mask);
    }

    /**
     * The teacher-forced loss of a batch: the mean label-smoothed cross-entropy over every target token and each
     * pair's {@code <eos>}.
     *
     * @param source         int64 {@code [B, S]} padded sources
     * @param sourceLengths  their lengths
     * @param target         int64 {@code [B, T]} padded targets, without {@code <bos>} or {@code <eos>}
     * @param targetLengths  their lengths
     * @param labelSmoothing ε
     * @return a scalar
     */
    public Tensor loss(Tensor source, long[] sourceLengths, Tensor target, long[] targetLengths, double labelSmoothing) {
        int b = target.dim(0);
        int width = target.dim(1);
        int steps = width + 1;
        if (steps > maxPositions) {
            throw new ShapeException("transformer: a target of " + width + " tokens and <bos> is longer than the "
                    + maxPositions + " positions the model was built for");
        }
        long[] y = target.toLongArray();
        long[] in = new long[b * steps];
        long[] out = new long[b * steps];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < steps; t++) {
                in[i * steps + t] = t == 0 ? bos : t - 1 < targetLengths[i] ? y[i * width + t - 1] : pad;
                out[i * steps + t] = t < targetLengths[i] ? y[i * width + t] : t == targetLengths[i] ? eos : pad;
            }
        }
        Memory m = encode(source, sourceLengths);
        Tensor h = decoder.forward(targetInput(f.of(in, b, steps), 0), m.memory(), MultiheadAttention.causalMask(f, steps),
                null, null, m.paddingMask());
        Tensor logits = output.forward(h).reshape(b * steps, output.outFeatures());
        return Losses.crossEntropy(logits, f.of(out, b * steps), (int) pad, labelSmoothing, Reduction.MEAN);
    }

    /**
     * The decoder's state while decoding a set of rows: the memory and its padding mask of each row, and the
     * layers' caches (holding {@code position} target positions).
     */
    public record DecoderState(Memory memory, List<TransformerDecoderLayer.Cache> caches, int position) {
    }

    /**
     * The decoder as a next-token scorer for {@link BeamSearch}: each step reads one token per row at the next
     * position over the caches. The caches it makes are added to {@code owned}, for the caller to close.
     */
    BeamSearch.Scorer<DecoderState> scorer(List<TransformerDecoderLayer.Cache> owned) {
        return new BeamSearch.Scorer<>() {
            @Override
            public BeamSearch.Step<DecoderState> step(DecoderState state, long[] tokens) {
                if (state.position() >= maxPositions) {
                    throw new ShapeException("transformer: decoding past the " + maxPositions + " target positions");
                }
                Tensor x = targetInput(f.of(tokens, tokens.length, 1), state.position());
                Tensor h = decoder.step(x, state.memory().memory(), state.caches(), state.memory().paddingMask());
                double[] lp = output.forward(h.select(1, 0)).logSoftmax(1).toDoubleArray();
                return new BeamSearch.Step<>(new DecoderState(state.memory(), state.caches(), state.position() + 1), lp);
            }

            @Override
            public DecoderState select(DecoderState state, int[] rows) {
                Tensor index = f.of(rows, rows.length);
                List<TransformerDecoderLayer.Cache> caches = new ArrayList<>();
                for (TransformerDecoderLayer.Cache c : state.caches()) {
                    TransformerDecoderLayer.Cache picked = c.select(rows);
                    owned.add(picked);
                    caches.add(picked);
                    c.close();
                }
                Memory m = new Memory(state.memory().memory().indexSelect(0, index),
                        state.memory().paddingMask().indexSelect(0, index));
                return new DecoderState(m, List.copyOf(caches), state.position());
            }

            @Override
            public int vocabulary() {
                return output.outFeatures();
            }
        };
    }

    /** The state before the first step: {@code memory} and empty caches (added to {@code owned}). */
    DecoderState start(Memory memory, List<TransformerDecoderLayer.Cache> owned) {
        List<TransformerDecoderLayer.Cache> caches = decoder.newCache();
        owned.addAll(caches);
        return new DecoderState(memory, caches, 0);
    }

    /** The search {@link #decode} runs, over a scorer whose caches go to {@code owned}. */
    BeamSearch<DecoderState> search(List<TransformerDecoderLayer.Cache> owned, int maxLength) {
        return new BeamSearch<>(scorer(owned), bos, eos, Math.min(maxLength, maxPositions));
    }

    /**
     * Decodes a padded batch of sources, greedily ({@code beam = 1}) or by beam search, stepping the decoder
     * over its caches. Call it without recording gradients, in evaluation mode.
     *
     * @param beam      the beam width, at least 1
     * @param maxLength the most tokens a translation takes ({@code <eos>} included), below {@code maxPositions}
     */
    public List<BeamSearch.Hypothesis> decode(Tensor source, long[] lengths, int beam, int maxLength) {
        List<TransformerDecoderLayer.Cache> owned = new ArrayList<>();
        DecoderState start = start(encode(source, lengths), owned);
        BeamSearch<DecoderState> search = search(owned, maxLength);
        try {
            return beam == 1 ? search.greedy(start, source.dim(0)) : search.beam(start, source.dim(0), beam);
        } finally {
            owned.forEach(TransformerDecoderLayer.Cache::close);
        }
    }

    /** The logits {@code [B, T+1, V]} of a whole teacher-forced target (with {@code <bos>} first), for tests. */
    Tensor logits(Tensor source, long[] sourceLengths, Tensor targetIn) {
        Memory m = encode(source, sourceLengths);
        int steps = targetIn.dim(1);
        return output.forward(decoder.forward(targetInput(targetIn, 0), m.memory(), MultiheadAttention.causalMask(f, steps),
                null, null, m.paddingMask()));
    }

    /** The start id. */
    public long bos() {
        return bos;
    }

    /** The end id. */
    public long eos() {
        return eos;
    }

    /** The source padding id. */
    public long sourcePad() {
        return sourcePad;
    }

    @Override
    public String toString() {
        return "Translator(" + encoder + " -> " + decoder + ")";
    }
}
