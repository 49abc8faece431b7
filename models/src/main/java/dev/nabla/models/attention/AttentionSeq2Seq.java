package dev.nabla.models.attention;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.loss.Reduction;
import dev.nabla.models.nn.BeamSearch;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Embedding;
import dev.nabla.models.nn.GRU;
import dev.nabla.models.nn.HardAttention;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.RecurrentOptions;
import dev.nabla.models.nn.SourceMemory;

import java.util.ArrayList;
import java.util.List;

/**
 * An encoder-decoder with attention over token sequences. The encoder is a bidirectional GRU of
 * {@code H/2} units each way, so its outputs {@code h̄_s = [h⃗_s; h⃖_s]} have the decoder's size {@code H};
 * the decoder ({@link BahdanauDecoder} or {@link LuongDecoder}) starts from
 * <pre>
 *   s_0 = tanh(W_b [h⃗_S; h⃖_1] + b_b)        (the two directions' final states)
 * </pre>
 * and attends over {@code h̄} at every step. Training is teacher forced: the loss is the mean cross-entropy
 * over the target tokens and each pair's {@code <eos>}, padding excluded. With hard attention
 * ({@link HardAttention}) each training step draws one position per decoder step and adds the REINFORCE
 * surrogate with the reward {@code r = Σ_t log p(y_t | …)} of each pair (the negative of its summed
 * cross-entropy) and a running baseline; decoding then uses the most aligned position. Decoding is greedy
 * or beam search ({@link BeamSearch}). Parameters: {@code source_embedding.weight}, {@code encoder.*}
 * (PyTorch's {@code nn.GRU} names), {@code bridge.*}, {@code target_embedding.weight}, {@code decoder.*};
 * buffers {@code hard.*} with hard attention.
 */
public final class AttentionSeq2Seq extends Block {
    private final Embedding sourceEmbedding;
    private final GRU encoder;
    private final Linear bridge;
    private final Embedding targetEmbedding;
    private final AttentionDecoder decoder;
    private final HardAttention hard;
    private final int vocab;
    private final long pad;
    private final long bos;
    private final long eos;

    /** Which decoder, and how it attends. */
    public interface DecoderFactory {
        /** The decoder for embeddings of {@code embed}, states and keys of {@code hidden}, {@code vocab} outputs. */
        AttentionDecoder create(TensorFactory f, Generator random, int embed, int hidden, int vocab);
    }

    /**
     * The network.
     *
     * @param hidden  {@code H}, even
     * @param decoder builds the decoder
     * @param hardAttention whether the context is one drawn position (REINFORCE) rather than the average
     * @throws IllegalArgumentException for an odd or non-positive size or a special id outside the target vocabulary
     */
    public AttentionSeq2Seq(TensorFactory f, Generator random, int sourceVocab, int targetVocab, int embed, int hidden,
                            DecoderFactory decoder, boolean hardAttention, long pad, long bos, long eos) {
        if (sourceVocab < 1 || targetVocab < 1 || embed < 1 || hidden < 2 || hidden % 2 != 0) {
            throw new IllegalArgumentException("AttentionSeq2Seq: vocabularies and embed must be positive and hidden even, got "
                    + sourceVocab + ", " + targetVocab + ", embed " + embed + ", hidden " + hidden);
        }
        for (long id : new long[] {pad, bos, eos}) {
            if (id < 0 || id >= targetVocab) {
                throw new IllegalArgumentException("AttentionSeq2Seq: special id " + id + " outside the target vocabulary [0, "
                        + targetVocab + ")");
            }
        }
        this.sourceEmbedding = child("source_embedding", new Embedding(f, random, sourceVocab, embed));
        this.encoder = child("encoder", new GRU(f, random, embed, hidden / 2,
                RecurrentOptions.defaults().batchFirst(true).bidirectional(true)));
        this.bridge = child("bridge", new Linear(f, random, hidden, hidden));
        this.targetEmbedding = child("target_embedding", new Embedding(f, random, targetVocab, embed));
        this.decoder = decoder.create(f, random, embed, hidden, targetVocab);
        child("decoder", (Block) this.decoder);
        this.hard = hardAttention ? child("hard", new HardAttention(f, 0.9)) : null;
        this.vocab = targetVocab;
        this.pad = pad;
        this.bos = bos;
        this.eos = eos;
    }

    /** The decoder. */
    public AttentionDecoder decoder() {
        return decoder;
    }

    /** Whether attention is hard. */
    public boolean hardAttention() {
        return hard != null;
    }

    /** The hard-attention estimator's state, or null for soft attention. */
    public HardAttention hard() {
        return hard;
    }

    /** The start id. */
    public long bos() {
        return bos;
    }

    /** The end id. */
    public long eos() {
        return eos;
    }

    /**
     * Encodes a padded batch of sources.
     *
     * @param source  int64 {@code [B, S]}
     * @param lengths each source's length, 1 to {@code S}
     * @return the decoder's first state and the source memory
     */
    public Start encode(Tensor source, long[] lengths) {
        int b = source.dim(0);
        if (lengths.length != b) {
            throw new IllegalArgumentException("AttentionSeq2Seq.encode: " + lengths.length + " lengths for " + b + " sources");
        }
        TensorFactory f = source.factory();
        var out = encoder.forward(sourceEmbedding.forward(source), f.of(lengths, b), null);
        Tensor h = out.state();                                                // [2, B, H/2]
        Tensor summary = Tensor.concat(List.of(h.select(0, 0), h.select(0, 1)), 1);
        Tensor s0 = bridge.forward(summary).tanh();
        SourceMemory memory = decoder.attention().memory(out.output(), lengths);
        return new Start(decoder.initial(s0), memory);
    }

    /**
     * The state after encoding.
     *
     * @param state  the decoder's first state
     * @param memory the source
     */
    public record Start(AttentionDecoder.State state, SourceMemory memory) {
    }

    /**
     * The teacher-forced loss of a batch: mean {@code −log p} over every target token and each pair's
     * {@code <eos>}, plus, with hard attention in training, the REINFORCE surrogate.
     *
     * @param source        int64 {@code [B, S]}
     * @param sourceLengths their lengths
     * @param target        int64 {@code [B, T]}, without {@code <bos>} or {@code <eos>}
     * @param targetLengths their lengths
     * @param random        draws the hard positions (unused by soft attention)
     */
    public Tensor loss(Tensor source, long[] sourceLengths, Tensor target, long[] targetLengths, Generator random) {
        int b = target.dim(0);
        int width = target.dim(1);
        long[] y = target.toLongArray();
        int steps = width + 1;
        long[][] in = new long[steps][b];
        long[] out = new long[b * steps];
        double[] valid = new double[b * steps];
        int count = 0;
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < steps; t++) {
                in[t][i] = t == 0 ? bos : t - 1 < targetLengths[i] ? y[i * width + t - 1] : pad;
                out[t * b + i] = t < targetLengths[i] ? y[i * width + t] : t == targetLengths[i] ? eos : pad;
                valid[t * b + i] = t <= targetLengths[i] ? 1 : 0;
                count += t <= targetLengths[i] ? 1 : 0;
            }
        }
        TensorFactory f = target.factory();
        Start start = encode(source, sourceLengths);
        boolean drawing = hard != null && isTraining();
        AttentionDecoder.Focus focus = hard == null ? AttentionDecoder.Focus.SOFT
                : drawing ? AttentionDecoder.Focus.sampling(random) : AttentionDecoder.Focus.ARGMAX;
        AttentionDecoder.State s = start.state();
        List<Tensor> logits = new ArrayList<>(steps);
        List<Tensor> logProbs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            AttentionDecoder.Step step = decoder.step(targetEmbedding.forward(f.of(in[t], b)), s, start.memory(), t, focus);
            s = step.state();
            logits.add(step.logits());
            if (drawing) {
                logProbs.add(step.logProb());
            }
        }
        Tensor all = Tensor.concat(logits, 0);                                  // [steps·B, V], step-major
        Tensor perToken = Losses.crossEntropy(all, f.of(out, b * steps), (int) pad, Reduction.NONE);
        Tensor loss = perToken.sum().div(count);
        if (!drawing) {
            return loss;
        }
        double[] ce = perToken.detach().toDoubleArray();
        double[] reward = new double[b];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < b; i++) {
                reward[i] -= ce[t * b + i];
            }
        }
        Tensor mask = f.of(valid, steps, b).to(all.dtype());
        Tensor logProb = Tensor.stack(logProbs, 0).mul(mask).sum(0, false);    // [B]
        return loss.add(hard.surrogate(logProb, reward, count));
    }

    /** The decoder as a next-token scorer, for {@link BeamSearch}: soft, or hard at the most aligned position. */
    public BeamSearch.Scorer<Decoding> scorer() {
        AttentionDecoder.Focus focus = hard == null ? AttentionDecoder.Focus.SOFT : AttentionDecoder.Focus.ARGMAX;
        return new BeamSearch.Scorer<>() {
            @Override
            public BeamSearch.Step<Decoding> step(Decoding state, long[] tokens) {
                TensorFactory f = state.memory().keys().factory();
                AttentionDecoder.Step s = decoder.step(targetEmbedding.forward(f.of(tokens, tokens.length)), state.state(),
                        state.memory(), state.step(), focus);
                double[] lp = s.logits().logSoftmax(1).toDoubleArray();
                return new BeamSearch.Step<>(new Decoding(s.state(), state.memory(), state.step() + 1), lp);
            }

            @Override
            public Decoding select(Decoding state, int[] rows) {
                Tensor index = state.memory().keys().factory().of(rows, rows.length);
                return new Decoding(state.state().select(index), state.memory().select(rows), state.step());
            }

            @Override
            public int vocabulary() {
                return vocab;
            }
        };
    }

    /**
     * The rows' state while decoding.
     *
     * @param state  the decoder state
     * @param memory the source
     * @param step   the next step
     */
    public record Decoding(AttentionDecoder.State state, SourceMemory memory, int step) {
    }

    /**
     * Decodes a padded batch, greedily ({@code beam = 1}) or by beam search. Call it without recording gradients.
     *
     * @param beam      the beam width
     * @param maxLength the most tokens a translation takes ({@code <eos>} included)
     */
    public List<BeamSearch.Hypothesis> decode(Tensor source, long[] lengths, int beam, int maxLength) {
        Start start = encode(source, lengths);
        Decoding d = new Decoding(start.state(), start.memory(), 0);
        BeamSearch<Decoding> search = new BeamSearch<>(scorer(), bos, eos, maxLength);
        return beam == 1 ? search.greedy(d, source.dim(0)) : search.beam(d, source.dim(0), beam);
    }

    /**
     * The alignment of one source with an output of it: the decoder is fed {@code <bos>} and the output, and
     * row {@code t} is the alignment with which it predicted output token {@code t} (the last row: the
     * {@code <eos>}). Computed without recording gradients, soft or hard attention alike (both align the same way).
     *
     * @param source int64 ids of the source
     * @param output int64 ids of the output, without {@code <bos>} or {@code <eos>}
     * @return {@code (output.length + 1) × source.length} weights
     */
    public double[][] alignment(TensorFactory f, long[] source, long[] output) {
        try (GradMode ignored = Autograd.noGrad()) {
            Start start = encode(f.of(source, 1, source.length), new long[] {source.length});
            AttentionDecoder.Focus focus = hard == null ? AttentionDecoder.Focus.SOFT : AttentionDecoder.Focus.ARGMAX;
            AttentionDecoder.State s = start.state();
            double[][] rows = new double[output.length + 1][];
            for (int t = 0; t <= output.length; t++) {
                long previous = t == 0 ? bos : output[t - 1];
                AttentionDecoder.Step step = decoder.step(targetEmbedding.forward(f.of(new long[] {previous}, 1)), s,
                        start.memory(), t, focus);
                rows[t] = step.weights().to(DType.FLOAT64).toDoubleArray();
                s = step.state();
            }
            return rows;
        }
    }

    @Override
    public String toString() {
        return "AttentionSeq2Seq(" + decoder + (hard == null ? "" : ", hard") + ")";
    }
}
