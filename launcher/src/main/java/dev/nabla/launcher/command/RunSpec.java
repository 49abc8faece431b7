package dev.nabla.launcher.command;

import dev.nabla.launcher.UsageException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@code nabla train} run was: the model family and model with its keys, the data set and what
 * the family needs to know about it, the trainer and the seed. Stored as the checkpoint's
 * {@code model_config}, so {@code nabla sample}, {@code nabla eval} and {@code --resume} rebuild exactly the
 * same model. Checkpoints written before families existed have no {@code family} (the model name finds
 * it) and a top-level {@code dim} instead of {@code data}; they load as {@code data = {dim: …}}.
 *
 * @param family  the family's name, or null when the checkpoint did not record it
 * @param model   the model name ({@code realnvp}, or a stacked flow's name)
 * @param dataset the data set name
 * @param data    what the family said about the data ({@code {dim: 2}})
 * @param config  the model's keys as given with {@code --set} (string values)
 * @param trainer the trainer name
 * @param seed    the seed for the data and the initial parameters
 */
record RunSpec(String family, String model, String dataset, Map<String, Object> data, Map<String, Object> config,
               String trainer, long seed) {
    RunSpec {
        data = java.util.Collections.unmodifiableMap(new TreeMap<>(data));
        config = java.util.Collections.unmodifiableMap(new TreeMap<>(config));
    }

    /** The map stored in the checkpoint. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (family != null) {
            m.put("family", family);
        }
        m.put("model", model);
        m.put("dataset", dataset);
        m.put("data", new TreeMap<>(data));
        if (data.get("dim") instanceof Number d) {   // as before families: tools reading dim still find it
            m.put("dim", d.longValue());
        }
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
            Map<String, Object> data = new LinkedHashMap<>();
            if (m.get("data") instanceof Map<?, ?> d) {
                d.forEach((k, v) -> data.put(k.toString(), v));
            } else {
                data.put("dim", ((Number) require(m, "dim")).longValue());
            }
            return new RunSpec(m.get("family") instanceof String f ? f : null, (String) require(m, "model"),
                    (String) require(m, "dataset"), data, config, (String) require(m, "trainer"),
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
