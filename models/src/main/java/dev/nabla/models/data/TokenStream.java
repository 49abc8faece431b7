package dev.nabla.models.data;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One long sequence of token ids for language modelling (a text encoded by a {@link Vocabulary}), split
 * by position and cut into {@code [batch, seq]} windows in the order that lets a trainer carry its
 * recurrent state from one batch to the next, as PyTorch's {@code word_language_model} example does:
 *
 * <ul>
 *   <li>{@link #split}: the first fraction of the tokens is the training stream, the next the
 *       validation stream, the rest the test stream (no shuffling: the splits are contiguous text).</li>
 *   <li>{@link #windows(int, int)}: the stream is cut into {@code B} equal segments of
 *       {@code L = ⌊n / B⌋} tokens (the last {@code n mod B} tokens are dropped), segment {@code r}
 *       starting at {@code r·L}; window {@code b} of row {@code r} holds the inputs
 *       {@code tokens[r·L + b·T, r·L + (b+1)·T)} and the next-token targets one position later, for
 *       {@code b < ⌊(L − 1) / T⌋}. Example {@code i} of the data set is window {@code b = i / B} of row
 *       {@code r = i mod B}, so batches of {@code B} consecutive examples (a training loop with
 *       {@code shuffle(false)} and batch size {@code B}) are the windows {@code b = 0, 1, 2, …}, and row
 *       {@code r} of each batch continues row {@code r} of the one before.</li>
 * </ul>
 */
public final class TokenStream {
    /** The name of the input tokens of a window (int64 {@code [batch, seq]}). */
    public static final String INPUT = "input";
    /** The name of the next-token targets of a window (int64 {@code [batch, seq]}). */
    public static final String TARGET = "target";

    private final long[] tokens;

    /** A stream over {@code tokens} (copied). */
    public TokenStream(long[] tokens) {
        this.tokens = tokens.clone();
    }

    /** {@code text} encoded by {@code vocabulary}. */
    public static TokenStream of(String text, Vocabulary vocabulary) {
        return new TokenStream(vocabulary.encode(text));
    }

    /**
     * Reads a UTF-8 text file.
     *
     * @throws IOException naming the file if it cannot be read
     */
    public static String readText(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + ": not valid UTF-8 text", e);
        }
    }

    /** Number of tokens. */
    public int length() {
        return tokens.length;
    }

    /** The tokens (a copy). */
    public long[] tokens() {
        return tokens.clone();
    }

    /** The tokens {@code [from, to)} as a stream of their own. */
    public TokenStream slice(int from, int to) {
        if (from < 0 || to > tokens.length || from > to) {
            throw new IndexOutOfBoundsException("TokenStream: slice [" + from + ", " + to + ") of " + tokens.length + " tokens");
        }
        return new TokenStream(Arrays.copyOfRange(tokens, from, to));
    }

    /**
     * Training, validation and test streams by position.
     *
     * @param train      what the optimizer sees
     * @param validation held out for model selection
     * @param test       held out for the final numbers
     */
    public record Split(TokenStream train, TokenStream validation, TokenStream test) {
    }

    /**
     * The first {@code ⌊train·n⌋} tokens, the next {@code ⌊validation·n⌋}, and the rest.
     *
     * @throws IllegalArgumentException unless {@code 0 < train}, {@code 0 ≤ validation} and {@code train + validation ≤ 1}
     */
    public Split split(double train, double validation) {
        if (!(train > 0) || !(validation >= 0) || !(train + validation <= 1)) {
            throw new IllegalArgumentException("TokenStream: split fractions must satisfy 0 < train, 0 <= validation, "
                    + "train + validation <= 1; got train=" + train + ", validation=" + validation);
        }
        int n = tokens.length;
        int a = (int) Math.floor(train * n);
        int b = a + (int) Math.floor(validation * n);
        return new Split(slice(0, a), slice(a, b), slice(b, n));
    }

    /**
     * The windows of {@code seqLen} tokens in {@code batchSize} rows described above, as a data set of
     * {@code batchSize · ⌊(L − 1) / seqLen⌋} examples with {@value #INPUT} and {@value #TARGET}
     * (int64 {@code [seqLen]} each).
     *
     * @throws IllegalArgumentException if the stream is too short for one window per row (naming the numbers)
     */
    public Dataset windows(int batchSize, int seqLen) {
        return new Windows(tokens, batchSize, seqLen);
    }

    /**
     * The training, validation and test windows of {@link #split}: each split cut by
     * {@link #windows(int, int)} with the same {@code batchSize} and {@code seqLen}.
     */
    public DataSplits windows(int batchSize, int seqLen, double train, double validation) {
        Split s = split(train, validation);
        return new DataSplits(s.train().windows(batchSize, seqLen), s.validation().windows(batchSize, seqLen),
                s.test().windows(batchSize, seqLen));
    }

    private static final class Windows implements Dataset {
        private final long[] tokens;
        private final int rows;
        private final int seq;
        private final int segment;
        private final int perRow;

        Windows(long[] tokens, int rows, int seq) {
            if (rows < 1 || seq < 1) {
                throw new IllegalArgumentException("TokenStream.windows: batchSize and seqLen must be positive, got "
                        + rows + " and " + seq);
            }
            this.tokens = tokens;
            this.rows = rows;
            this.seq = seq;
            this.segment = tokens.length / rows;
            this.perRow = segment < 1 ? 0 : (segment - 1) / seq;
            if (perRow < 1) {
                throw new IllegalArgumentException("TokenStream.windows: " + tokens.length + " tokens in " + rows
                        + " rows of " + segment + " tokens hold no window of " + seq + " inputs and their next-token "
                        + "targets (need at least " + (rows * (seq + 1)) + " tokens)");
            }
        }

        @Override
        public int size() {
            return rows * perRow;
        }

        @Override
        public Set<String> names() {
            return new LinkedHashSet<>(List.of(INPUT, TARGET));
        }

        @Override
        public Shape exampleShape(String name) {
            if (INPUT.equals(name) || TARGET.equals(name)) {
                return Shape.of(seq);
            }
            throw Dataset.unknown(this, name);
        }

        @Override
        public Batch batch(TensorFactory f, int[] indices) {
            long[] in = new long[indices.length * seq];
            long[] out = new long[indices.length * seq];
            for (int k = 0; k < indices.length; k++) {
                int i = indices[k];
                if (i < 0 || i >= size()) {
                    throw new IndexOutOfBoundsException("TokenStream.windows: index " + i + " outside [0, " + size() + ")");
                }
                int start = (i % rows) * segment + (i / rows) * seq;
                System.arraycopy(tokens, start, in, k * seq, seq);
                System.arraycopy(tokens, start + 1, out, k * seq, seq);
            }
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put(INPUT, f.of(in, indices.length, seq));
            m.put(TARGET, f.of(out, indices.length, seq));
            return Batch.of(m, indices);
        }
    }
}
