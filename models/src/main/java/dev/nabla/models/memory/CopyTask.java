package dev.nabla.models.memory;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The copy task of Graves et al. (2014): a sequence of {@code L} random {@value #BITS}-bit vectors, then a
 * delimiter, then {@code L} blank steps during which the network must reproduce the sequence.
 *
 * <p>Layout of one sequence over {@code T = 2L + 1} steps, input channels {@code 0…7} for the bits and
 * channel {@value #BITS} for the delimiter:
 * <pre>
 *   t = 0 … L-1       input  (x_t, 0)      target none
 *   t = L             input  (0, 1)        target none           (the delimiter)
 *   t = L+1 … 2L      input  0             target x_{t-L-1}      (mask 1)
 * </pre>
 * A batch of sequences of different lengths is padded to the longest; the padding steps have zero input
 * and mask 0. Batches hold {@value #INPUT} {@code [b, T, 9]} (float32), {@value #TARGET} {@code [b, T, 8]}
 * (float32), {@value #MASK} {@code [b, T]} (float32, 1 on the steps that are scored) and {@value #LENGTH}
 * {@code [b]} (int64).
 */
public final class CopyTask {
    /** Bits per vector. */
    public static final int BITS = 8;
    /** Input channels: the bits and the delimiter. */
    public static final int CHANNELS = BITS + 1;
    /** The longest training sequence by default (lengths 1 to this). */
    public static final int TRAIN_LENGTH = 20;
    /** The test lengths: the longest training length and twice it. */
    public static final List<Integer> TEST_LENGTHS = List.of(20, 40);
    /** Sequences in the test set at each test length. */
    public static final int TEST_PER_LENGTH = 500;
    /** Sequences in the validation set (lengths 1 to {@value #TRAIN_LENGTH}). */
    public static final int VALIDATION = 256;
    /**
     * Sequences of the training split: a seeded sample of the training distribution whose size sets the
     * nominal epoch ({@code 8000 / batch} steps); the trainer draws fresh sequences every step.
     */
    public static final int TRAIN_SAMPLE = 8_000;
    /** The longest sequence a data set or a sample may have. */
    public static final int MAX_LENGTH = 1_000;

    /** Batch tensor names. */
    public static final String INPUT = "input";
    /** The bits to reproduce. */
    public static final String TARGET = "target";
    /** 1 on the scored steps. */
    public static final String MASK = "mask";
    /** The sequence lengths {@code L}. */
    public static final String LENGTH = "length";

    private CopyTask() {
    }

    /**
     * {@code count} sequences of random bits (each bit 0 or 1 with probability 1/2), the lengths uniform in
     * {@code [minLength, maxLength]}, drawn from {@code random}.
     *
     * @throws IllegalArgumentException for lengths out of {@code [1, }{@value #MAX_LENGTH}{@code ]} or reversed
     */
    public static List<byte[][]> draw(Generator random, int count, int minLength, int maxLength) {
        if (minLength < 1 || maxLength < minLength || maxLength > MAX_LENGTH) {
            throw new IllegalArgumentException("copy task: lengths must satisfy 1 <= min <= max <= " + MAX_LENGTH
                    + ", got " + minLength + " to " + maxLength);
        }
        List<byte[][]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = minLength + (int) random.nextLong(maxLength - minLength + 1);
            byte[][] seq = new byte[length][BITS];
            for (byte[] v : seq) {
                long r = random.nextLong();
                for (int b = 0; b < BITS; b++) {
                    v[b] = (byte) ((r >>> (7 * b + 3)) & 1);
                }
            }
            out.add(seq);
        }
        return out;
    }

    /** The time steps of a sequence of length {@code length}: {@code 2·length + 1}. */
    public static int steps(int length) {
        return 2 * length + 1;
    }

    /** The batch of {@code sequences} (see the class comment), padded to the longest. */
    public static Batch batch(TensorFactory f, List<byte[][]> sequences) {
        int b = sequences.size();
        int longest = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        int t = steps(longest);
        float[] input = new float[b * t * CHANNELS];
        float[] target = new float[b * t * BITS];
        float[] mask = new float[b * t];
        long[] lengths = new long[b];
        for (int i = 0; i < b; i++) {
            byte[][] seq = sequences.get(i);
            int l = seq.length;
            lengths[i] = l;
            for (int k = 0; k < l; k++) {
                for (int bit = 0; bit < BITS; bit++) {
                    input[(i * t + k) * CHANNELS + bit] = seq[k][bit];
                    target[(i * t + l + 1 + k) * BITS + bit] = seq[k][bit];
                }
                mask[i * t + l + 1 + k] = 1;
            }
            input[(i * t + l) * CHANNELS + BITS] = 1;
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(INPUT, f.of(input, b, t, CHANNELS));
        m.put(TARGET, f.of(target, b, t, BITS));
        m.put(MASK, f.of(mask, b, t));
        m.put(LENGTH, f.of(lengths, b));
        return Batch.of(m);
    }

    /**
     * The splits of data set {@code copy} from {@code seed}: a training sample and a validation set with
     * lengths 1 to {@code trainLength}, and a test set of {@code perTestLength} sequences (by default
     * {@value #TEST_PER_LENGTH}) at each of {@link #TEST_LENGTHS} (the 40s test generalisation to twice the
     * training length).
     */
    public static DataSplits splits(long seed, int trainLength, int perTestLength) {
        Generator g = new Generator(seed ^ 0x434F5059L);   // "COPY"
        Sequences train = new Sequences(draw(g.split(), TRAIN_SAMPLE, 1, trainLength));
        Sequences validation = new Sequences(draw(g.split(), VALIDATION, 1, trainLength));
        List<byte[][]> test = new ArrayList<>();
        Generator tg = g.split();
        for (int l : TEST_LENGTHS) {
            test.addAll(draw(tg, perTestLength, l, l));
        }
        return new DataSplits(train, validation, new Sequences(test));
    }

    /** A fixed list of copy sequences as a {@link Dataset}. */
    public static final class Sequences implements Dataset {
        private final List<byte[][]> sequences;

        /** The data set of {@code sequences} (kept, not copied). */
        public Sequences(List<byte[][]> sequences) {
            this.sequences = List.copyOf(sequences);
        }

        /** The sequence at {@code index}: {@code [length][}{@value #BITS}{@code ]} bits. */
        public byte[][] sequence(int index) {
            return sequences.get(index);
        }

        @Override
        public int size() {
            return sequences.size();
        }

        @Override
        public Set<String> names() {
            return Set.of(INPUT, TARGET, MASK, LENGTH);
        }

        @Override
        public Shape exampleShape(String name) {
            if (!names().contains(name)) {
                throw Dataset.unknown(this, name);
            }
            return LENGTH.equals(name) ? Shape.of() : null;
        }

        @Override
        public Batch batch(TensorFactory f, int[] indices) {
            List<byte[][]> picked = new ArrayList<>(indices.length);
            for (int i : indices) {
                if (i < 0 || i >= sequences.size()) {
                    throw new IndexOutOfBoundsException("copy sequences: index " + i + " outside [0, " + sequences.size() + ")");
                }
                picked.add(sequences.get(i));
            }
            return CopyTask.batch(f, picked);
        }
    }
}
