package dev.nabla.models.memory;

import dev.nabla.api.spi.Config;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.family.DataSpec;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.ModelSpec;
import dev.nabla.models.family.TableFamily;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Memory-augmented networks as a model family ({@code "memory"}), a {@link TableFamily}: the Neural Turing
 * Machine ({@code ntm}, {@link NeuralTuringMachine}) and its LSTM baseline ({@code copy-lstm},
 * {@link CopyLstm}) on the copy task ({@code copy}, {@link CopyTask}), both trained by the {@code objective}
 * trainer ({@link CopyModel}).
 *
 * <p>Keys (defaults): {@code ntm} — {@code memory} ({@value #MEMORY} locations), {@code width}
 * ({@value #WIDTH}), {@code hidden} ({@value #NTM_HIDDEN}, the controller), {@code length}
 * ({@value CopyTask#TRAIN_LENGTH}, the longest training sequence), {@code dtype} (float32);
 * {@code copy-lstm} — {@code hidden} ({@value #LSTM_HIDDEN}), {@code layers} ({@value #LSTM_LAYERS}),
 * {@code length}, {@code dtype}. The data set reads {@code length} too: its training and validation
 * sequences have lengths 1 to {@code length}; its test set has {@code tests} (a key of the data,
 * {@value CopyTask#TEST_PER_LENGTH}) sequences at length 20 and as many at 40.
 */
public final class MemoryFamily extends TableFamily {
    /** The family's name. */
    public static final String NAME = "memory";
    /** The data set's name. */
    public static final String COPY = "copy";
    /** Default memory locations. */
    public static final int MEMORY = 128;
    /** Default memory width. */
    public static final int WIDTH = 20;
    /** Default controller size. */
    public static final int NTM_HIDDEN = 100;
    /** Default LSTM baseline size. */
    public static final int LSTM_HIDDEN = 256;
    /** Default LSTM baseline depth. */
    public static final int LSTM_LAYERS = 3;

    /** The copy task. */
    public static final DataSpec COPY_SPEC = new DataSpec(COPY, Set.of("tests"), MemoryFamily::copy,
            d -> Map.of("bits", CopyTask.BITS, "channels", CopyTask.CHANNELS));

    /** {@code ntm} and {@code copy-lstm}. */
    public static final List<ModelSpec> MODELS = List.of(
            new ModelSpec("ntm", "Neural Turing Machine: LSTM controller, one read and one write head, memory N x W",
                    List.of(COPY), ntmKeys(), MemoryFamily::ntm),
            new ModelSpec("copy-lstm", "stacked LSTM baseline for the copy task", List.of(COPY), lstmKeys(),
                    MemoryFamily::lstm));

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public MemoryFamily() {
        super(NAME, "memory-augmented networks: the Neural Turing Machine and an LSTM baseline on the copy task",
                MODELS, List.of(COPY_SPEC));
    }

    private static Map<String, Object> ntmKeys() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("memory", MEMORY);
        k.put("width", WIDTH);
        k.put("hidden", NTM_HIDDEN);
        k.put("length", CopyTask.TRAIN_LENGTH);
        k.put("dtype", "float32");
        return k;
    }

    private static Map<String, Object> lstmKeys() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("hidden", LSTM_HIDDEN);
        k.put("layers", LSTM_LAYERS);
        k.put("length", CopyTask.TRAIN_LENGTH);
        k.put("dtype", "float32");
        return k;
    }

    private static int length(Config k) {
        return k.intIn("length", 1, CopyTask.MAX_LENGTH, CopyTask.TRAIN_LENGTH);
    }

    private static DataSplits copy(long seed, Map<String, Object> keys) {
        Map<String, Object> only = new LinkedHashMap<>();
        for (String k : List.of("length", "tests")) {
            if (keys.containsKey(k)) {
                only.put(k, keys.get(k));
            }
        }
        Config c = Config.keys(COPY, only, Set.of("length", "tests"));
        return CopyTask.splits(seed, length(c), c.intIn("tests", 1, 100_000, CopyTask.TEST_PER_LENGTH));
    }

    private static CopyModel ntm(ModelRequest r, Config k) {
        int memory = k.intIn("memory", 1, 65_536, MEMORY);
        int width = k.intIn("width", 1, 4096, WIDTH);
        int hidden = k.intIn("hidden", 1, 8192, NTM_HIDDEN);
        return new CopyModel("ntm", new NeuralTuringMachine(r.tensors(), r.random(), CopyTask.CHANNELS, CopyTask.BITS,
                hidden, memory, width, k.floatDtypeOr("dtype", "float32")), length(k));
    }

    private static CopyModel lstm(ModelRequest r, Config k) {
        int hidden = k.intIn("hidden", 1, 8192, LSTM_HIDDEN);
        int layers = k.intIn("layers", 1, 64, LSTM_LAYERS);
        return new CopyModel("copy-lstm", new CopyLstm(r.tensors(), r.random(), CopyTask.CHANNELS, CopyTask.BITS, hidden,
                layers, k.floatDtypeOr("dtype", "float32")), length(k));
    }
}
