package dev.nabla.trainer.spark;

import dev.nabla.api.train.TrainingPlan;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an executor rebuilds the model: the command line's recipe (family, model, data set, {@code --set}
 * keys, seed) and the trainer whose objective each partition computes, with that trainer's settings.
 * Strings and numbers only: the model itself never travels.
 *
 * @param family        the family's name ({@code "flows"})
 * @param model         the model name ({@code "realnvp"})
 * @param dataset       the data set, regenerated (or read from a path every executor sees) from the seed
 * @param keys          the model's keys, as strings
 * @param seed          the run's seed
 * @param inner         the trainer whose objective is distributed ({@code "mle"}); null: the model's own
 * @param innerSettings that trainer's settings, as strings
 */
record Recipe(String family, String model, String dataset, Map<String, String> keys, long seed, String inner,
              Map<String, String> innerSettings) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    Recipe {
        keys = new TreeMap<>(keys);
        innerSettings = new TreeMap<>(innerSettings);
    }

    /** This recipe with the inner trainer named. */
    Recipe withInner(String name) {
        return new Recipe(family, model, dataset, keys, seed, name, innerSettings);
    }

    /**
     * The recipe in {@code plan}'s part {@code modelConfig} (what {@code nabla train} records in its
     * checkpoints: {@code family}, {@code model}, {@code dataset}, {@code config}, {@code seed}).
     *
     * @throws IllegalArgumentException naming what is missing: such a model cannot be rebuilt on an executor
     */
    static Recipe of(TrainingPlan plan, String inner, Map<String, Object> innerSettings) {
        if (!(plan.parts().get("modelConfig") instanceof Map<?, ?> mc)) {
            throw new IllegalArgumentException("spark: the model cannot be rebuilt on an executor: the plan has no part "
                    + "'modelConfig' (family, model, dataset, config, seed), which nabla train hands every trainer");
        }
        String family = string(mc, "family");
        String model = string(mc, "model");
        String dataset = string(mc, "dataset");
        Map<String, String> keys = new LinkedHashMap<>();
        if (mc.get("config") instanceof Map<?, ?> c) {
            c.forEach((k, v) -> keys.put(k.toString(), String.valueOf(v)));
        }
        long seed = mc.get("seed") instanceof Number n ? n.longValue() : plan.seed();
        Map<String, String> s = new LinkedHashMap<>();
        innerSettings.forEach((k, v) -> s.put(k, String.valueOf(v)));
        return new Recipe(family, model, dataset, keys, seed, inner, s);
    }

    private static String string(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof String v) || v.isBlank()) {
            throw new IllegalArgumentException("spark: the model cannot be rebuilt on an executor: modelConfig has no '"
                    + key + "' (it holds " + m.keySet() + ")");
        }
        return v;
    }

    @Override
    public String toString() {
        return family + "/" + model + " on " + dataset + (keys.isEmpty() ? "" : " " + keys) + ", seed " + seed;
    }
}
