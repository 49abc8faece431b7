package dev.nabla.models.recurrent.seq2seq;

import dev.nabla.api.spi.Config;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.recurrent.DataSpec;
import dev.nabla.models.recurrent.ModelSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sequence-to-sequence entries of the recurrent family: the models {@code seq2seq-gru} and
 * {@code seq2seq-lstm} ({@link Seq2SeqModel}) and the data set {@value #DATES} ({@link Dates}).
 *
 * <p>Model keys (defaults): {@code embed} ({@value Seq2SeqModel#EMBED}), {@code hidden}
 * ({@value Seq2SeqModel#HIDDEN}), {@code beam} ({@value Seq2SeqModel#BEAM}, 1 to
 * {@value Seq2SeqModel#MAX_BEAM}: the width {@code eval} reports besides greedy and {@code sample} uses
 * unless {@code --beam} says otherwise), {@code maxLength} ({@value Seq2SeqModel#MAX_LENGTH}). Data key:
 * {@code examples}, the number of training pairs ({@value #EXAMPLES}); the validation set has
 * {@value #VALIDATION} pairs and the held-out test set {@value #TEST}.
 */
public final class Seq2SeqModels {
    /** The data set's name. */
    public static final String DATES = "dates";
    /** Default number of training pairs. */
    public static final int EXAMPLES = 20_000;
    /** Validation pairs. */
    public static final int VALIDATION = 1_000;
    /** Held-out test pairs. */
    public static final int TEST = 2_000;

    private Seq2SeqModels() {
    }

    private static Map<String, Object> keys() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("embed", Seq2SeqModel.EMBED);
        k.put("hidden", Seq2SeqModel.HIDDEN);
        k.put("beam", Seq2SeqModel.BEAM);
        k.put("maxLength", Seq2SeqModel.MAX_LENGTH);
        return k;
    }

    /** {@code seq2seq-gru} and {@code seq2seq-lstm}. */
    public static final List<ModelSpec> MODELS = List.of(
            new ModelSpec("seq2seq-gru", "encoder-decoder, GRU cells; greedy and beam-search decoding", List.of(DATES),
                    keys(), (r, k) -> build("seq2seq-gru", Seq2Seq.Cell.GRU, r, k)),
            new ModelSpec("seq2seq-lstm", "encoder-decoder, LSTM cells; greedy and beam-search decoding", List.of(DATES),
                    keys(), (r, k) -> build("seq2seq-lstm", Seq2Seq.Cell.LSTM, r, k)));

    /** {@value #DATES}. */
    public static final List<DataSpec> DATASETS = List.of(
            new DataSpec(DATES, Set.of("examples"), Seq2SeqModels::dates, Seq2SeqModels::describe));

    /** The dates data set with {@code examples} training pairs (key {@code examples}, default {@value #EXAMPLES}). */
    public static DataSplits dates(long seed, Map<String, Object> keys) {
        Map<String, Object> k = new LinkedHashMap<>();
        if (keys.containsKey("examples")) {
            k.put("examples", keys.get("examples"));
        }
        int n = Config.keys(DATES, k, Set.of("examples")).intIn("examples", 1, 1_000_000, EXAMPLES);
        return Dates.split(seed, n, VALIDATION, TEST).dataSplits();
    }

    /** The two vocabularies, {@code source_vocabulary} and {@code target_vocabulary}. */
    static Map<String, Object> describe(DataSplits data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source_vocabulary", Dates.sourceVocabulary().toConfig());
        m.put("target_vocabulary", Dates.targetVocabulary().toConfig());
        return m;
    }

    private static Vocabulary vocabulary(ModelRequest r, String key) {
        if (!(r.data().get(key) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("seq2seq: the data description needs a '" + key + "', got keys "
                    + r.data().keySet());
        }
        Map<String, Object> c = new LinkedHashMap<>();
        m.forEach((a, b) -> c.put(String.valueOf(a), b));
        return Vocabulary.fromConfig(c);
    }

    private static Seq2SeqModel build(String name, Seq2Seq.Cell cell, ModelRequest r, Config k) {
        return new Seq2SeqModel(name, cell, k, vocabulary(r, "source_vocabulary"), vocabulary(r, "target_vocabulary"),
                r.tensors(), r.random());
    }
}
