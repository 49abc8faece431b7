package dev.nabla.models.recurrent;

import dev.nabla.models.data.DataSplits;
import dev.nabla.models.family.Components;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.ModelFamily;
import dev.nabla.models.family.ModelInfo;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.recurrent.lm.LanguageModels;
import dev.nabla.models.recurrent.seq2seq.Seq2SeqModels;
import dev.nabla.models.recurrent.tree.TreeModels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recurrent networks as a model family ({@code "recurrent"}): character-level language models
 * ({@code char-rnn}, {@code char-lstm}, {@code char-gru}, package {@code recurrent.lm}) and whatever
 * else is listed in {@link #MODELS}. The family is a table: each model is a {@link ModelSpec} (name,
 * data sets, keys with defaults, builder) and each data set a {@link DataSpec} (loader, description), so
 * adding a model is adding an entry. The family checks a model's keys against its spec (an unknown key is
 * refused by name, with the valid ones), takes out the data set's own keys, and hands the builder the
 * given keys over the defaults.
 */
public final class RecurrentFamily implements ModelFamily {
    /** The family's name. */
    public static final String NAME = "recurrent";

    /** Every model of the family, in listing order: add a model's spec here. */
    public static final List<ModelSpec> MODELS = concat(
            LanguageModels.MODELS,
            Seq2SeqModels.MODELS,
            TreeModels.MODELS);

    /** Every data set of the family: add a data set's spec here. */
    public static final List<DataSpec> DATASETS = concat(
            LanguageModels.DATASETS,
            Seq2SeqModels.DATASETS,
            TreeModels.DATASETS);

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> l : lists) {
            all.addAll(l);
        }
        return List.copyOf(all);
    }

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public RecurrentFamily() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "recurrent networks: character-level language models (RNN, LSTM, GRU, truncated BPTT), sequence to sequence with beam search, tree networks";
    }

    @Override
    public List<ModelInfo> models(Components components) {
        return MODELS.stream().map(m -> new ModelInfo(m.name(), m.description(), m.datasets())).toList();
    }

    /** The model spec called {@code name}, or an error listing the valid names. */
    public static ModelSpec model(String name) {
        for (ModelSpec m : MODELS) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; valid: "
                + String.join(", ", MODELS.stream().map(ModelSpec::name).toList()));
    }

    /** The data spec called {@code name}, or an error listing the valid names. */
    public static DataSpec dataset(String name) {
        for (DataSpec d : DATASETS) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown data set '" + name + "'; valid: "
                + String.join(", ", DATASETS.stream().map(DataSpec::name).toList()));
    }

    @Override
    public DataSplits data(String dataset, long seed) {
        return data(dataset, seed, Map.of());
    }

    @Override
    public DataSplits data(String dataset, long seed, Map<String, Object> keys) {
        return dataset(dataset).loader().load(seed, keys);
    }

    @Override
    public Map<String, Object> describe(String dataset, DataSplits data) {
        return dataset(dataset).describer().describe(data);
    }

    /**
     * Builds the model: refuses a data set it does not fit and an unknown key (naming the valid ones),
     * then calls its builder with the given keys over its defaults.
     */
    @Override
    public FamilyModel build(ModelRequest request) {
        ModelSpec spec = model(request.model());
        if (!spec.datasets().contains(request.dataset())) {
            throw new IllegalArgumentException("model '" + spec.name() + "' does not fit data set '" + request.dataset()
                    + "'; it fits " + String.join(", ", spec.datasets()));
        }
        Map<String, Object> keys = new LinkedHashMap<>(request.keys());
        keys.keySet().removeAll(dataset(request.dataset()).dataKeys());
        return spec.builder().build(request, spec.config(keys));
    }
}
