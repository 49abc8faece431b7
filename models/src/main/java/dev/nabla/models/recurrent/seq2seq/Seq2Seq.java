package dev.nabla.models.recurrent.seq2seq;

import dev.nabla.models.nn.BeamSearch;
import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.loss.Reduction;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Embedding;
import dev.nabla.models.nn.GRUCell;
import dev.nabla.models.nn.LSTMCell;
import dev.nabla.models.nn.Linear;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An encoder-decoder over token sequences (Sutskever et al. 2014; Cho et al. 2014), with a GRU or LSTM
 * cell on each side. For a source {@code x_1 … x_S} and a target {@code y_1 … y_T}:
 * <pre>
 *   s_t = Enc(E_x[x_t], s_{t-1}),  s_0 = 0                   encoder; s_S is its final state
 *   c   = h(s_S)                                            the context: the encoder's final output
 *   d_0 = s_S                                               the encoder's final state starts the decoder
 *   d_t = Dec([E_y[y_{t-1}]; c], d_{t-1}),  y_0 = &lt;bos&gt;
 *   p(y_t | y_&lt;t, x) = softmax(W_o h(d_t) + b_o)
 * </pre>
 * where {@code h(·)} is a state's output ({@code h} of an LSTM's {@code (h, c)}). Training is teacher
 * forced: the decoder reads the true previous token and the loss is the mean cross-entropy
 * {@code −log p(y_t | y_<t, x)} over the target tokens and the closing {@code <eos>} of each pair, padding
 * excluded. A batch of sources of different lengths is encoded together: a sequence past its length
 * keeps its last state ({@link RecurrentCell#where}). Decoding is greedy or beam search
 * ({@link BeamSearch}). Parameters: {@code source_embedding.weight}, {@code encoder.*},
 * {@code target_embedding.weight}, {@code decoder.*} (PyTorch's cell names), {@code output.weight},
 * {@code output.bias}.
 *
 * @param <S> the cells' state type
 */
public final class Seq2Seq<S> extends Block {
    /** The recurrent cell on each side. */
    public enum Cell {
        /** {@link GRUCell}. */
        GRU,
        /** {@link LSTMCell}. */
        LSTM
    }

    private final Embedding sourceEmbedding;
    private final RecurrentCell<S> encoder;
    private final Embedding targetEmbedding;
    private final RecurrentCell<S> decoder;
    private final Linear output;
    private final long pad;
    private final long bos;
    private final long eos;

    private Seq2Seq(TensorFactory f, Generator random, int sourceVocab, int targetVocab, int embed, RecurrentCell<S> encoder,
                    RecurrentCell<S> decoder, long pad, long bos, long eos) {
        this.sourceEmbedding = child("source_embedding", new Embedding(f, random, sourceVocab, embed));
        this.encoder = encoder;
        child("encoder", (Block) encoder);
        this.targetEmbedding = child("target_embedding", new Embedding(f, random, targetVocab, embed));
        this.decoder = decoder;
        child("decoder", (Block) decoder);
        this.output = child("output", new Linear(f, random, decoder.hiddenSize(), targetVocab));
        this.pad = pad;
        this.bos = bos;
        this.eos = eos;
    }

    /**
     * A model with {@code cell}s of {@code hidden} units and embeddings of {@code embed}, initialised as
     * PyTorch initialises each part.
     *
     * @param pad the target padding id (ignored by the loss), {@code bos} and {@code eos} the start and end ids
     * @throws IllegalArgumentException for a size below 1 or an id outside the target vocabulary
     */
    public static Seq2Seq<?> create(Cell cell, TensorFactory f, Generator random, int sourceVocab, int targetVocab,
                                    int embed, int hidden, long pad, long bos, long eos) {
        if (sourceVocab < 1 || targetVocab < 1 || embed < 1 || hidden < 1) {
            throw new IllegalArgumentException("Seq2Seq: sizes must be positive, got vocabularies " + sourceVocab + " and "
                    + targetVocab + ", embed " + embed + ", hidden " + hidden);
        }
        for (long id : new long[] {pad, bos, eos}) {
            if (id < 0 || id >= targetVocab) {
                throw new IllegalArgumentException("Seq2Seq: special id " + id + " outside the target vocabulary [0, "
                        + targetVocab + ")");
            }
        }
        return switch (cell) {
            case GRU -> new Seq2Seq<>(f, random, sourceVocab, targetVocab, embed,
                    new GRUCell(f, random, embed, hidden), new GRUCell(f, random, embed + hidden, hidden), pad, bos, eos);
            case LSTM -> new Seq2Seq<>(f, random, sourceVocab, targetVocab, embed,
                    new LSTMCell(f, random, embed, hidden), new LSTMCell(f, random, embed + hidden, hidden), pad, bos, eos);
        };
    }

    /** The decoder's state while decoding: the cell's state and the context {@code c} of each row. */
    public record DecoderState<S>(S cell, Tensor context) {
    }

    /**
     * Encodes a padded batch of sources.
     *
     * @param source  int64 {@code [B, S]}
     * @param lengths each source's length (at least 1)
     * @return the decoder's initial state: the encoder's final state and its output as the context
     */
    public DecoderState<S> encode(Tensor source, long[] lengths) {
        int b = source.dim(0);
        if (lengths.length != b) {
            throw new IllegalArgumentException("Seq2Seq.encode: " + lengths.length + " lengths for " + b + " sources");
        }
        S s = encoder.initialState(b);
        TensorFactory f = source.factory();
        long[] ids = source.toLongArray();
        int width = source.dim(1);
        for (int t = 0; t < width; t++) {
            boolean[] live = new boolean[b];
            long[] column = new long[b];
            boolean all = true;
            for (int i = 0; i < b; i++) {
                live[i] = lengths[i] > t;
                all &= live[i];
                column[i] = ids[i * width + t];
            }
            // each step looks its tokens up: no step slices a tensor that needs a gradient
            S next = encoder.step(sourceEmbedding.forward(f.of(column, b)), s);
            s = all ? next : encoder.where(f.of(live, b), next, s);
        }
        return new DecoderState<>(s, encoder.output(s));
    }

    /**
     * The teacher-forced loss of a batch: mean {@code −log p} over every target token and each pair's
     * {@code <eos>}.
     *
     * @param source        int64 {@code [B, S]} padded sources
     * @param sourceLengths their lengths
     * @param target        int64 {@code [B, T]} padded targets, without {@code <bos>} or {@code <eos>}
     * @param targetLengths their lengths
     * @return a scalar
     */
    public Tensor loss(Tensor source, long[] sourceLengths, Tensor target, long[] targetLengths) {
        int b = target.dim(0);
        int width = target.dim(1);
        long[] y = target.toLongArray();
        int steps = width + 1;
        long[] in = new long[b * steps];
        long[] out = new long[b * steps];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < steps; t++) {
                in[i * steps + t] = t == 0 ? bos : t - 1 < targetLengths[i] ? y[i * width + t - 1] : pad;
                out[i * steps + t] = t < targetLengths[i] ? y[i * width + t] : t == targetLengths[i] ? eos : pad;
            }
        }
        TensorFactory f = target.factory();
        DecoderState<S> d = encode(source, sourceLengths);
        S s = d.cell();
        List<Tensor> hs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            long[] column = new long[b];
            for (int i = 0; i < b; i++) {
                column[i] = in[i * steps + t];
            }
            s = decoder.step(Tensor.concat(List.of(targetEmbedding.forward(f.of(column, b)), d.context()), 1), s);
            hs.add(decoder.output(s));
        }
        Tensor logits = output.forward(Tensor.stack(hs, 1).reshape(b * steps, decoder.hiddenSize()));
        return Losses.crossEntropy(logits, f.of(out, b * steps), (int) pad, Reduction.MEAN);
    }

    /** The decoder as a next-token scorer over rows of {@link DecoderState}, for {@link BeamSearch}. */
    public BeamSearch.Scorer<DecoderState<S>> scorer() {
        return new BeamSearch.Scorer<>() {
            @Override
            public BeamSearch.Step<DecoderState<S>> step(DecoderState<S> state, long[] tokens) {
                TensorFactory f = state.context().factory();
                Tensor x = targetEmbedding.forward(f.of(tokens, tokens.length));
                S next = decoder.step(Tensor.concat(List.of(x, state.context()), 1), state.cell());
                double[] lp = output.forward(decoder.output(next)).logSoftmax(1).toDoubleArray();
                return new BeamSearch.Step<>(new DecoderState<>(next, state.context()), lp);
            }

            @Override
            public DecoderState<S> select(DecoderState<S> state, int[] rows) {
                Tensor index = state.context().factory().of(rows, rows.length);
                List<Tensor> parts = new ArrayList<>();
                for (Tensor t : decoder.stateTensors(state.cell())) {
                    parts.add(t.indexSelect(0, index));
                }
                return new DecoderState<>(decoder.stateOf(parts), state.context().indexSelect(0, index));
            }

            @Override
            public int vocabulary() {
                return output.outFeatures();
            }
        };
    }

    /**
     * Decodes a padded batch of sources, greedily ({@code beam = 1}) or by beam search. Call it without
     * recording gradients.
     *
     * @param beam      the beam width, at least 1
     * @param maxLength the most tokens a translation takes ({@code <eos>} included)
     */
    public List<BeamSearch.Hypothesis> decode(Tensor source, long[] lengths, int beam, int maxLength) {
        DecoderState<S> start = encode(source, lengths);
        BeamSearch<DecoderState<S>> search = new BeamSearch<>(scorer(), bos, eos, maxLength);
        return beam == 1 ? search.greedy(start, source.dim(0)) : search.beam(start, source.dim(0), beam);
    }

    /** The start id. */
    public long bos() {
        return bos;
    }

    /** The end id. */
    public long eos() {
        return eos;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Seq2Seq(%s -> %s)", encoder, decoder);
    }
}
