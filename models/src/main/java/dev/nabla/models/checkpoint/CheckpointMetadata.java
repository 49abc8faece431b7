package dev.nabla.models.checkpoint;

import dev.nabla.api.types.NablaException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code __metadata__["nabla"]} JSON of a checkpoint, parsed and checked field by field against
 * the bounds documented on {@link Checkpoint}. Every malformed or out-of-range field is refused with a
 * {@link NablaException} naming the file, the field and (abbreviated) the value; nothing else escapes.
 */
record CheckpointMetadata(Map<String, Optimizer> optimizers, boolean updatePrefixed, long step,
                          int epoch, int stepInEpoch, Map<String, Object> modelConfig, Map<String, long[]> rng,
                          Map<String, Object> extra) {
    /**
     * One optimizer's metadata.
     *
     * @param name            e.g. {@code "adam"}
     * @param hyperParameters its finite hyper-parameters
     * @param steps           its step counter
     */
    record Optimizer(String name, Map<String, Double> hyperParameters, long steps) {
    }

    /** The metadata key of the JSON. */
    static final String KEY = "nabla";
    /** Bounds of one parse of the JSON: nesting, one string, all values. */
    static final Json.Limits LIMITS = new Json.Limits(Json.MAX_DEPTH, 1 << 20, 100_000);

    static CheckpointMetadata parse(Path file, Map<String, String> metadata) {
        String json = metadata.get(KEY);
        if (json == null) {
            throw new NablaException("checkpoint: " + file + " has no '" + KEY + "' metadata; it is a plain"
                    + " safetensors file, not a Nabla checkpoint (read it with SafeTensors.read)");
        }
        Object parsed;
        try {
            parsed = Json.parse(json, LIMITS);
        } catch (Json.JsonException e) {
            throw new NablaException("checkpoint: " + file + ": metadata is not valid JSON: " + e.getMessage(), e);
        }
        Map<String, Object> m = map(file, parsed, "metadata");
        if (!(m.get("format_version") instanceof Long version)) {
            throw bad(file, "format_version", "an integer", m.get("format_version"));
        }
        if (version != Checkpoint.FORMAT_VERSION) {
            throw new NablaException("checkpoint: " + file + " has format version " + version + "; this build reads "
                    + Checkpoint.FORMAT_VERSION);
        }
        long step = integer(file, m, "step", Checkpoint.MAX_STEP);
        int epoch = (int) integer(file, m, "epoch", Checkpoint.MAX_EPOCH);
        int stepInEpoch = (int) integer(file, m, "step_in_epoch", Integer.MAX_VALUE);
        if (stepInEpoch > step) {
            throw new NablaException("checkpoint: " + file + ": 'step_in_epoch' " + stepInEpoch + " exceeds 'step' " + step
                    + "; the steps of the current epoch are part of all steps");
        }
        // one optimizer: "optimizer" (its tensors optimizer.PARAM.SLOT, its update named by an optional
        // "update"); several: "optimizers" by update name (their tensors optimizer.UPDATE.PARAM.SLOT)
        Map<String, Optimizer> optimizers = new LinkedHashMap<>();
        boolean prefixed = m.get("optimizers") != null;
        if (prefixed) {
            Map<String, Object> all = map(file, m.get("optimizers"), "optimizers");
            if (all.size() > Checkpoint.MAX_ENTRIES) {
                throw tooMany(file, "optimizers", all.size());
            }
            for (var e : all.entrySet()) {
                updateName(file, "optimizers", e.getKey());
                optimizers.put(e.getKey(), optimizer(file, "optimizers." + e.getKey(), e.getValue()));
            }
        } else if (m.get("optimizer") != null) {
            Map<String, Object> o = map(file, m.get("optimizer"), "optimizer");
            String update = Checkpoint.DEFAULT_UPDATE;
            if (o.get("update") != null) {
                if (!(o.get("update") instanceof String u)) {
                    throw bad(file, "optimizer.update", "a string", o.get("update"));
                }
                update = updateName(file, "optimizer.update", u);
            }
            optimizers.put(update, optimizer(file, "optimizer", o));
        }
        Map<String, Object> r = map(file, m.get("rng"), "rng");
        if (r.size() > Checkpoint.MAX_ENTRIES) {
            throw tooMany(file, "rng", r.size());
        }
        Map<String, long[]> rng = new LinkedHashMap<>();
        for (var e : r.entrySet()) {
            if (!(e.getValue() instanceof List<?> l) || l.size() != 4 || !l.stream().allMatch(x -> x instanceof Long)) {
                throw bad(file, "rng." + e.getKey(), "four integers", e.getValue());
            }
            long[] state = l.stream().mapToLong(x -> (Long) x).toArray();
            if ((state[0] | state[1] | state[2] | state[3]) == 0) {
                throw bad(file, "rng." + e.getKey(), "a generator state that is not all zero", e.getValue());
            }
            rng.put(e.getKey(), state);
        }
        return new CheckpointMetadata(optimizers, prefixed, step, epoch, stepInEpoch,
                map(file, m.get("model_config"), "model_config"), rng, map(file, m.get("extra"), "extra"));
    }

    private static Optimizer optimizer(Path file, String field, Object value) {
        Map<String, Object> o = map(file, value, field);
        if (!(o.get("name") instanceof String s) || s.isEmpty() || s.length() > Checkpoint.MAX_NAME_CHARS) {
            throw bad(file, field + ".name", "a string of 1 to " + Checkpoint.MAX_NAME_CHARS + " characters", o.get("name"));
        }
        Map<String, Object> hp = map(file, o.get("hyper_parameters"), field + ".hyper_parameters");
        if (hp.size() > Checkpoint.MAX_ENTRIES) {
            throw tooMany(file, field + ".hyper_parameters", hp.size());
        }
        Map<String, Double> hyper = new LinkedHashMap<>();
        for (var e : hp.entrySet()) {
            if (!(e.getValue() instanceof Number num)) {   // Json yields only finite numbers
                throw bad(file, field + ".hyper_parameters." + e.getKey(), "a number", e.getValue());
            }
            hyper.put(e.getKey(), num.doubleValue());
        }
        return new Optimizer(s, hyper, integer(file, o, "steps", Checkpoint.MAX_STEP));
    }

    private static String updateName(Path file, String field, String name) {
        if (name.isEmpty() || name.length() > Checkpoint.MAX_NAME_CHARS || name.contains(".")) {
            throw bad(file, field, "an update name of 1 to " + Checkpoint.MAX_NAME_CHARS + " characters without '.'", name);
        }
        return name;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Path file, Object o, String what) {
        if (!(o instanceof Map<?, ?> m)) {
            throw bad(file, what, "a JSON object", o);
        }
        return (Map<String, Object>) m;
    }

    private static long integer(Path file, Map<String, Object> m, String key, long max) {
        if (!(m.get(key) instanceof Long v) || v < 0 || v > max) {
            throw bad(file, key, "an integer in [0, " + max + "]", m.get(key));
        }
        return v;
    }

    private static NablaException bad(Path file, String field, String expected, Object got) {
        return new NablaException("checkpoint: " + file + ": " + Json.quote(field) + " must be " + expected + ", got "
                + (got == null ? "nothing" : Json.abbreviate(got instanceof String s ? Json.quote(s) : Json.write(got),
                Json.QUOTE_CHARS)));
    }

    private static NablaException tooMany(Path file, String field, int n) {
        return new NablaException("checkpoint: " + file + ": '" + field + "' has " + n + " entries, more than the limit of "
                + Checkpoint.MAX_ENTRIES);
    }
}
