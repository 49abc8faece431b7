package dev.nabla.models.data;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs of variable-length token sequences for sequence-to-sequence models (a source sentence and its
 * translation, a string and its reverse). A batch pads each side to its longest sequence in the batch
 * with the pad id and says which positions are real:
 *
 * <table>
 *   <caption>tensors of a batch of {@code B} pairs</caption>
 *   <tr><th>name</th><th>dtype</th><th>shape</th></tr>
 *   <tr><td>{@value #SOURCE}, {@value #TARGET}</td><td>int64</td><td>{@code [B, max length]}, padded with the pad id</td></tr>
 *   <tr><td>{@value #SOURCE_LENGTH}, {@value #TARGET_LENGTH}</td><td>int64</td><td>{@code [B]}</td></tr>
 *   <tr><td>{@value #SOURCE_MASK}, {@value #TARGET_MASK}</td><td>bool</td><td>{@code [B, max length]}, true on real tokens</td></tr>
 * </table>
 *
 * Sequences may be empty; a batch whose sequences are all empty has a length-0 axis.
 */
public final class SequencePairs implements Dataset {
    /** Source tokens. */
    public static final String SOURCE = "source";
    /** Target tokens. */
    public static final String TARGET = "target";
    /** Source lengths. */
    public static final String SOURCE_LENGTH = "source_length";
    /** Target lengths. */
    public static final String TARGET_LENGTH = "target_length";
    /** True where the source has a real token. */
    public static final String SOURCE_MASK = "source_mask";
    /** True where the target has a real token. */
    public static final String TARGET_MASK = "target_mask";

    private final List<long[]> sources;
    private final List<long[]> targets;
    private final long pad;

    /**
     * @param sources the source sequences (copied)
     * @param targets the target sequences, one per source (copied)
     * @param pad     the id written into padding positions (typically the vocabulary's {@value Vocabulary#PAD})
     * @throws IllegalArgumentException if the lists differ in length or hold a null
     */
    public SequencePairs(List<long[]> sources, List<long[]> targets, long pad) {
        if (sources.size() != targets.size()) {
            throw new IllegalArgumentException("SequencePairs: " + sources.size() + " sources but " + targets.size()
                    + " targets");
        }
        this.sources = copy(sources, "source");
        this.targets = copy(targets, "target");
        this.pad = pad;
    }

    /** Pairs of texts encoded by {@code vocabulary}, padded with its {@value Vocabulary#PAD}. */
    public static SequencePairs of(List<String> sources, List<String> targets, Vocabulary vocabulary) {
        List<long[]> s = new ArrayList<>();
        List<long[]> t = new ArrayList<>();
        sources.forEach(x -> s.add(vocabulary.encode(x)));
        targets.forEach(x -> t.add(vocabulary.encode(x)));
        return new SequencePairs(s, t, vocabulary.special(Vocabulary.PAD));
    }

    private static List<long[]> copy(List<long[]> l, String what) {
        List<long[]> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i) == null) {
                throw new IllegalArgumentException("SequencePairs: " + what + " " + i + " is null");
            }
            out.add(l.get(i).clone());
        }
        return List.copyOf(out);
    }

    /** The pad id. */
    public long pad() {
        return pad;
    }

    @Override
    public int size() {
        return sources.size();
    }

    @Override
    public Set<String> names() {
        return new LinkedHashSet<>(List.of(SOURCE, TARGET, SOURCE_LENGTH, TARGET_LENGTH, SOURCE_MASK, TARGET_MASK));
    }

    /** {@code []} for the lengths; null for the sequences and masks, whose length is the batch's longest. */
    @Override
    public Shape exampleShape(String name) {
        return switch (name) {
            case SOURCE_LENGTH, TARGET_LENGTH -> Shape.of();
            case SOURCE, TARGET, SOURCE_MASK, TARGET_MASK -> null;
            default -> throw Dataset.unknown(this, name);
        };
    }

    @Override
    public Batch batch(TensorFactory f, int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("SequencePairs: index " + i + " outside [0, " + size() + ")");
            }
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        Side s = pad(sources, indices);
        Side t = pad(targets, indices);
        int b = indices.length;
        m.put(SOURCE, f.of(s.tokens, b, s.width));
        m.put(TARGET, f.of(t.tokens, b, t.width));
        m.put(SOURCE_LENGTH, f.of(s.lengths, b));
        m.put(TARGET_LENGTH, f.of(t.lengths, b));
        m.put(SOURCE_MASK, f.of(s.mask, b, s.width));
        m.put(TARGET_MASK, f.of(t.mask, b, t.width));
        return Batch.of(m, indices);
    }

    private record Side(long[] tokens, long[] lengths, boolean[] mask, int width) {
    }

    private Side pad(List<long[]> seqs, int[] indices) {
        int width = 0;
        for (int i : indices) {
            width = Math.max(width, seqs.get(i).length);
        }
        long[] tokens = new long[indices.length * width];
        boolean[] mask = new boolean[indices.length * width];
        long[] lengths = new long[indices.length];
        java.util.Arrays.fill(tokens, pad);
        for (int k = 0; k < indices.length; k++) {
            long[] seq = seqs.get(indices[k]);
            System.arraycopy(seq, 0, tokens, k * width, seq.length);
            java.util.Arrays.fill(mask, k * width, k * width + seq.length, true);
            lengths[k] = seq.length;
        }
        return new Side(tokens, lengths, mask, width);
    }
}
