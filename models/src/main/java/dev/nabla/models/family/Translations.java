package dev.nabla.models.family;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.data.SequencePairs;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.nn.BeamSearch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Translating many sources with any encoder-decoder, and scoring the translations of a set of pairs —
 * what every translating model of every family (the recurrent, attention and Transformer date normalisers)
 * does alike: pad the sources of a batch to its longest, decode them greedily or with a beam without
 * recording gradients, turn the tokens into text (specials dropped), and report
 * {@link TranslationAccuracy}.
 */
public final class Translations {
    /** The pairs a batch of the scoring pass reads at once. */
    private static final int READ_BATCH = 512;

    /** An encoder-decoder's batched decoding. */
    @FunctionalInterface
    public interface Decoder {
        /**
         * The best hypothesis of each source row.
         *
         * @param sources   padded source ids {@code [batch, width]}
         * @param lengths   each row's real length
         * @param beam      the beam width (1: greedy)
         * @param maxLength the most tokens to emit
         * @return one hypothesis per row, in row order
         */
        List<BeamSearch.Hypothesis> decode(Tensor sources, long[] lengths, int beam, int maxLength);
    }

    private final TensorFactory tensors;
    private final Vocabulary source;
    private final Vocabulary target;
    private final int maxLength;
    private final Decoder decoder;

    /**
     * A translator.
     *
     * @param tensors   where the source batches are made
     * @param source    the source vocabulary (its padding id fills short rows)
     * @param target    the target vocabulary (its specials are not text)
     * @param maxLength the most tokens a translation has
     * @param decoder   the model's decoding
     */
    public Translations(TensorFactory tensors, Vocabulary source, Vocabulary target, int maxLength, Decoder decoder) {
        this.tensors = tensors;
        this.source = source;
        this.target = target;
        this.maxLength = maxLength;
        this.decoder = decoder;
    }

    /**
     * The translations of {@code sources}, in order, {@code batchSize / beam} sources at a time (at least one).
     *
     * @param sources   source ids, unpadded
     * @param beam      the beam width (1: greedy)
     * @param batchSize the rows a decoding step may hold
     * @return the texts
     */
    public List<String> translate(List<long[]> sources, int beam, int batchSize) {
        List<String> out = new ArrayList<>();
        int per = Math.max(1, batchSize / beam);
        for (int start = 0; start < sources.size(); start += per) {
            List<long[]> part = sources.subList(start, Math.min(sources.size(), start + per));
            int width = part.stream().mapToInt(a -> a.length).max().orElse(0);
            long[] ids = new long[part.size() * width];
            long[] lengths = new long[part.size()];
            Arrays.fill(ids, source.special(Vocabulary.PAD));
            for (int i = 0; i < part.size(); i++) {
                System.arraycopy(part.get(i), 0, ids, i * width, part.get(i).length);
                lengths[i] = part.get(i).length;
            }
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                for (BeamSearch.Hypothesis h : decoder.decode(tensors.of(ids, part.size(), width), lengths, beam, maxLength)) {
                    out.add(text(h.tokens()));
                }
            }
        }
        return out;
    }

    /** The text of target ids; specials (padding, start, end) are not text. */
    public String text(long[] ids) {
        StringBuilder b = new StringBuilder();
        for (long id : ids) {
            b.append(id < target.specials().size() ? "" : target.token(id));
        }
        return b.toString();
    }

    /**
     * Exact match of greedy and of beam-search translations of the pairs of {@code data}, and greedy exact
     * match by source length ({@link TranslationAccuracy}).
     *
     * @param data      a {@link SequencePairs}
     * @param beam      the beam width reported beside greedy
     * @param batchSize the rows a decoding step may hold
     * @throws IllegalArgumentException if {@code data} holds no pairs
     */
    public Evaluation evaluate(Dataset data, int beam, int batchSize) {
        if (!(data instanceof SequencePairs pairs)) {
            throw new IllegalArgumentException("a translating model evaluates sequence pairs, got " + data.getClass().getSimpleName());
        }
        if (pairs.size() == 0) {
            throw new IllegalArgumentException("the data set has no pairs to translate");
        }
        List<long[]> sources = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        int[] order = Batches.sequential(pairs.size());
        for (int k = 0; k < Batches.count(pairs.size(), READ_BATCH, false); k++) {
            try (Scope s = Scope.open()) {
                Batch b = pairs.batch(tensors, Batches.batch(order, READ_BATCH, k));
                long[] src = b.get(SequencePairs.SOURCE).toLongArray();
                long[] srcLen = b.get(SequencePairs.SOURCE_LENGTH).toLongArray();
                long[] tgt = b.get(SequencePairs.TARGET).toLongArray();
                long[] tgtLen = b.get(SequencePairs.TARGET_LENGTH).toLongArray();
                int sw = b.get(SequencePairs.SOURCE).dim(1);
                int tw = b.get(SequencePairs.TARGET).dim(1);
                for (int i = 0; i < srcLen.length; i++) {
                    sources.add(Arrays.copyOfRange(src, i * sw, i * sw + (int) srcLen[i]));
                    targets.add(text(Arrays.copyOfRange(tgt, i * tw, i * tw + (int) tgtLen[i])));
                }
            }
        }
        int size = Math.max(batchSize, 1);
        List<String> greedy = translate(sources, 1, size);
        List<String> beamed = beam == 1 ? greedy : translate(sources, beam, size);
        return TranslationAccuracy.evaluate(sources.stream().mapToInt(a -> a.length).toArray(), targets, greedy, beamed, beam);
    }
}
