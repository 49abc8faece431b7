package dev.nabla.launcher.command;

import dev.nabla.launcher.UsageException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@code nabla train} run was: the model and its keys, the data set, the data dimension, the
 * trainer and the seed. Stored as the checkpoint's {@code model_config}, so {@code nabla sample},
 * {@code nabla eval} and {@code --resume} rebuild exactly the same model.
 *
 * @param model   the model name ({@code realnvp}, or a stacked flow's name)
 * @param dataset the data set name
 * @param dim     the data dimension
 * @param config  the model's keys as given with {@code --set} (string values)
 * @param trainer the trainer name
 * @param seed    the seed for the data and the initial parameters
 */
record RunSpec(String model, String dataset, int dim, Map<String, Object> config, String trainer, long seed) {
    RunSpec {
        config = java.util.Collections.unmodifiableMap(new TreeMap<>(config));
    }

    /** The map stored in the checkpoint. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("dataset", dataset);
        m.put("dim", (long) dim);
        m.put("config", new TreeMap<>(config));
        m.put("trainer", trainer);
        m.put("seed", seed);
        return m;
    }

    /**
     * The run described by a checkpoint's {@code model_config}.
     *
     * @throws UsageException if the checkpoint was not written by {@code nabla train}
     */
    static RunSpec fromMap(Map<String, Object> m, Path file) {
        try {
            Map<String, Object> config = new LinkedHashMap<>();
            if (m.get("config") instanceof Map<?, ?> c) {
                c.forEach((k, v) -> config.put(k.toString(), v));
            }
            return new RunSpec((String) require(m, "model"), (String) require(m, "dataset"),
                    ((Number) require(m, "dim")).intValue(), config, (String) require(m, "trainer"),
                    ((Number) require(m, "seed")).longValue());
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new UsageException("checkpoint " + file + " was not written by nabla train (" + e.getMessage()
                    + "); its model_config holds " + m.keySet());
        }
    }

    private static Object require(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no '" + key + "'");
        }
        return v;
    }
}
