package dev.nabla.models.family;

import dev.nabla.api.spi.Config;
import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dates;
import dev.nabla.models.data.TextData;
import dev.nabla.models.data.TokenStream;
import dev.nabla.models.data.Vocabulary;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sequence data sets that more than one family trains on, as {@link DataSpec}s a table family lists:
 * <ul>
 *   <li>{@value #DATES} ({@link Dates}): date normalisation, {@code examples} training pairs (a data key,
 *       default {@value #DATE_EXAMPLES}), {@value #DATE_VALIDATION} validation and {@value #DATE_TEST}
 *       held-out test pairs; described by {@code source_vocabulary} and {@code target_vocabulary};</li>
 *   <li>{@value DataCatalog#TINY_SHAKESPEARE} ({@link TextData}): the text from the data folder, split by
 *       position into the first 90 % (training), the next 5 % (validation) and the last 5 % (test), encoded
 *       with the vocabulary of all its characters; the windows of its {@link dev.nabla.models.data.Dataset}
 *       view are {@code bptt} long (a key the data set shares with the model, default 64); described by
 *       {@code vocabulary} and {@code characters}.</li>
 * </ul>
 * Two families that list the same spec train and test on the same splits.
 */
public final class SequenceDataSets {
    /** The date data set's name. */
    public static final String DATES = "dates";
    /** Default number of training date pairs. */
    public static final int DATE_EXAMPLES = 20_000;
    /** Validation date pairs. */
    public static final int DATE_VALIDATION = 1_000;
    /** Held-out test date pairs. */
    public static final int DATE_TEST = 2_000;
    /** The fraction of a text that trains. */
    public static final double TEXT_TRAIN = 0.9;
    /** The fraction of a text that validates (the rest tests). */
    public static final double TEXT_VALIDATION = 0.05;
    /** The longest text window ({@code bptt}). */
    public static final int MAX_WINDOW = 1 << 20;

    /** {@value #DATES}: {@link #dates}, described by {@link #describeDates}. */
    public static final DataSpec DATE_SPEC = new DataSpec(DATES, Set.of("examples"), SequenceDataSets::dates,
            SequenceDataSets::describeDates);

    /** {@value DataCatalog#TINY_SHAKESPEARE}: {@link #tinyShakespeare}, described by {@link #describeText}. */
    public static final DataSpec TINY_SHAKESPEARE_SPEC = new DataSpec(DataCatalog.TINY_SHAKESPEARE, Set.of(),
            SequenceDataSets::tinyShakespeare, SequenceDataSets::describeText);

    private SequenceDataSets() {
    }

    /** The dates data set with {@code examples} training pairs (key {@code examples}, default {@value #DATE_EXAMPLES}). */
    public static DataSplits dates(long seed, Map<String, Object> keys) {
        Map<String, Object> k = new LinkedHashMap<>();
        if (keys.containsKey("examples")) {
            k.put("examples", keys.get("examples"));
        }
        int n = Config.keys(DATES, k, Set.of("examples")).intIn("examples", 1, 1_000_000, DATE_EXAMPLES);
        return Dates.split(seed, n, DATE_VALIDATION, DATE_TEST).dataSplits();
    }

    /** The two vocabularies of the dates, {@code source_vocabulary} and {@code target_vocabulary}. */
    public static Map<String, Object> describeDates(DataSplits data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source_vocabulary", Dates.sourceVocabulary().toConfig());
        m.put("target_vocabulary", Dates.targetVocabulary().toConfig());
        return m;
    }

    /** Tiny Shakespeare from the data folder, split by position; the view's windows are {@code bptt} long. */
    public static DataSplits tinyShakespeare(long seed, Map<String, Object> keys) {
        String text = DataCatalog.text(DataCatalog.TINY_SHAKESPEARE, DataCatalog.dataDir());
        return textSplits(text, window(keys));
    }

    /**
     * {@code text} split by position (90 / 5 / 5 %) and encoded with the vocabulary of all its characters.
     *
     * @param text   the whole text
     * @param window the window of the splits' {@link dev.nabla.models.data.Dataset} view
     * @return the splits, each a {@link TextData}
     */
    public static DataSplits textSplits(String text, int window) {
        Vocabulary v = Vocabulary.of(text);
        TokenStream.Split s = TokenStream.of(text, v).split(TEXT_TRAIN, TEXT_VALIDATION);
        return new DataSplits(new TextData(s.train(), v, window), new TextData(s.validation(), v, Math.min(window,
                Math.max(1, s.validation().length() - 1))), new TextData(s.test(), v, Math.min(window,
                Math.max(1, s.test().length() - 1))));
    }

    private static int window(Map<String, Object> keys) {
        Object b = keys.get("bptt");
        return b == null ? 64 : Config.keys("text", Map.of("bptt", b), Set.of("bptt")).intIn("bptt", 1, MAX_WINDOW, 64);
    }

    /** {@code {"vocabulary": {...}, "characters": N}}: what a model needs to be rebuilt without the text. */
    public static Map<String, Object> describeText(DataSplits data) {
        if (!(data.train() instanceof TextData t)) {
            throw new IllegalArgumentException("text: the data is not a text");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vocabulary", t.vocabulary().toConfig());
        m.put("characters", (long) t.vocabulary().size());
        return m;
    }

    /**
     * The vocabulary under {@code key} of a request's data description ({@code "vocabulary"} for a text,
     * {@code "source_vocabulary"} or {@code "target_vocabulary"} for the dates).
     *
     * @throws IllegalArgumentException naming the key and the keys the description has
     */
    public static Vocabulary vocabulary(ModelRequest request, String key) {
        if (!(request.data().get(key) instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(request.model() + ": the data description needs a '" + key
                    + "', got keys " + request.data().keySet());
        }
        Map<String, Object> c = new LinkedHashMap<>();
        m.forEach((a, b) -> c.put(String.valueOf(a), b));
        return Vocabulary.fromConfig(c);
    }

    /** Both specs, for a family that lists them all. */
    public static List<DataSpec> all() {
        return List.of(DATE_SPEC, TINY_SHAKESPEARE_SPEC);
    }
}
