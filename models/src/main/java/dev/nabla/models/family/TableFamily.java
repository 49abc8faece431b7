package dev.nabla.models.family;

import dev.nabla.models.data.DataSplits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model family written as a table: each model is a {@link ModelSpec} (name, data sets, keys with
 * defaults, builder) and each data set a {@link DataSpec} (loader, describer), so adding a model is adding
 * an entry. The family checks a model's keys against its spec (an unknown key is refused by name, with
 * the valid ones), takes out the data set's own keys, and hands the builder the given keys over the
 * defaults. A subclass names itself and gives its two lists:
 *
 * <pre>{@code
 * final class DateFamily extends TableFamily {
 *     DateFamily(ModelSpec.Builder builder) {
 *         super("dates-only", "one model on the dates", List.of(new ModelSpec("my-translator",
 *                 "a translator of dates", List.of(SequenceDataSets.DATES), Map.of("hidden", 64), builder)),
 *                 List.of(SequenceDataSets.DATE_SPEC));
 *     }
 * }
 * }</pre>
 */
public abstract class TableFamily implements ModelFamily {
    private final String name;
    private final String description;
    private final List<ModelSpec> models;
    private final List<DataSpec> datasets;

    /**
     * The family.
     *
     * @param name        its name
     * @param description one line for {@code nabla list}
     * @param models      its models, in listing order (names distinct)
     * @param datasets    its data sets (names distinct; every data set a model fits among them)
     * @throws IllegalArgumentException for a repeated name or a model fitting a data set not listed
     */
    protected TableFamily(String name, String description, List<ModelSpec> models, List<DataSpec> datasets) {
        this.name = name;
        this.description = description;
        this.models = List.copyOf(models);
        this.datasets = List.copyOf(datasets);
        Set<String> seen = new java.util.HashSet<>();
        for (DataSpec d : this.datasets) {
            if (!seen.add(d.name())) {
                throw new IllegalArgumentException(name + ": data set '" + d.name() + "' listed twice");
            }
        }
        Set<String> modelNames = new java.util.HashSet<>();
        for (ModelSpec m : this.models) {
            if (!modelNames.add(m.name())) {
                throw new IllegalArgumentException(name + ": model '" + m.name() + "' listed twice");
            }
            for (String d : m.datasets()) {
                if (!seen.contains(d)) {
                    throw new IllegalArgumentException(name + ": model '" + m.name() + "' fits data set '" + d
                            + "', which the family does not list");
                }
            }
        }
    }

    /** The lists joined in order, for a family whose models come in groups. */
    @SafeVarargs
    protected static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> l : lists) {
            all.addAll(l);
        }
        return List.copyOf(all);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    /** The family's models, in listing order. */
    public final List<ModelSpec> modelSpecs() {
        return models;
    }

    /** The family's data sets. */
    public final List<DataSpec> dataSpecs() {
        return datasets;
    }

    @Override
    public List<ModelInfo> models(Components components) {
        return models.stream().map(m -> new ModelInfo(m.name(), m.description(), m.datasets())).toList();
    }

    /** The model spec called {@code modelName}, or an error listing the valid names. */
    public final ModelSpec model(String modelName) {
        for (ModelSpec m : models) {
            if (m.name().equals(modelName)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model '" + modelName + "'; valid: "
                + String.join(", ", models.stream().map(ModelSpec::name).toList()));
    }

    /** The data spec called {@code datasetName}, or an error listing the valid names. */
    public final DataSpec dataset(String datasetName) {
        for (DataSpec d : datasets) {
            if (d.name().equals(datasetName)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown data set '" + datasetName + "'; valid: "
                + String.join(", ", datasets.stream().map(DataSpec::name).toList()));
    }

    @Override
    public DataSplits data(String datasetName, long seed) {
        return data(datasetName, seed, Map.of());
    }

    @Override
    public DataSplits data(String datasetName, long seed, Map<String, Object> keys) {
        return dataset(datasetName).loader().load(seed, keys);
    }

    @Override
    public Map<String, Object> describe(String datasetName, DataSplits data) {
        return dataset(datasetName).describer().describe(data);
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
