package dev.nabla.models.family;

import dev.nabla.api.spi.Config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model of a {@link TableFamily}: what {@code nabla list} shows, the data sets it fits, the
 * {@code --set} keys it accepts with their defaults, and how to build it. Adding a model to the family is
 * adding one of these to the family's list of models.
 *
 * <pre>{@code
 * // given: ModelSpec.Builder builder
 * ModelSpec spec = new ModelSpec("char-lstm", "character-level LSTM language model", List.of("tinyshakespeare"),
 *         Map.of("hidden", 256, "layers", 1), builder);
 * }</pre>
 *
 * @param name        the name {@code nabla train NAME} takes
 * @param description one line for {@code nabla list}
 * @param datasets    the data sets it fits (each a {@link DataSpec} of the family), in listing order
 * @param keys        every key it accepts, with its default (a string, number or boolean), in listing order
 * @param builder     builds the model from a request and its keys (the given keys over the defaults)
 */
public record ModelSpec(String name, String description, List<String> datasets, Map<String, Object> keys,
                        Builder builder) {
    /** Builds a model from its request and its checked keys. */
    @FunctionalInterface
    public interface Builder {
        /**
         * The model.
         *
         * @param request what the host asked for (data description, backend, generator, components)
         * @param keys    the request's keys over the spec's defaults; an unknown key was already refused
         * @return a freshly initialised model
         * @throws IllegalArgumentException naming a bad value
         */
        FamilyModel build(ModelRequest request, Config keys);
    }

    /** Copies the lists and maps, keeping their order. */
    public ModelSpec {
        datasets = List.copyOf(datasets);
        keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    /**
     * {@code given} over the defaults, as a {@link Config} that names this model in its messages.
     *
     * @throws IllegalArgumentException naming the first key this model does not take, and the valid ones
     */
    public Config config(Map<String, ?> given) {
        Config.keys(name, given, keys.keySet());   // refuses an unknown key by name
        Map<String, Object> merged = new LinkedHashMap<>(keys);
        merged.putAll(given);
        return Config.keys(name, merged, keys.keySet());
    }
}
