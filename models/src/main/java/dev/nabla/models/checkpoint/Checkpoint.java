package dev.nabla.models.checkpoint;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.NablaException;
import dev.nabla.models.optim.Optimizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training checkpoint: the model's state, the state of every optimizer and where training stood.
 *
 * <p>On disk it is one safetensors file ({@link SafeTensors}) holding the model's tensors under their
 * own names and the optimizers' under {@code optimizer.} names, with the metadata below as JSON in
 * {@code __metadata__["nabla"]}; a copy of that JSON is written beside it ({@code name.json}) for
 * people and tools. The safetensors file is the source of truth and is replaced atomically, so a crash
 * leaves the previous checkpoint whole: the metadata embedded in it is authoritative, and {@link #load}
 * reads only it. The {@code .json} sibling is a convenience copy written after the safetensors file, so
 * after a crash between the two writes, or after either file is edited or copied alone, it may
 * describe another checkpoint; never resume from it. Model entries may not start with
 * {@value #OPTIMIZER_PREFIX}, which marks the optimizers' entries.
 *
 * <p>A run with one optimizer (one {@code Update}) stores it as it always has: tensors
 * {@code optimizer.PARAM.SLOT} and
 * <pre>
 *   {"format_version": 1, "step": 1200, "epoch": 3, "step_in_epoch": 40,
 *    "model_config": {…}, "optimizer": {"name": "adam", "hyper_parameters": {"lr": 0.001, …}, "steps": 1200,
 *    "update": "main"}, "rng": {"shuffle": [4 longs], "sample": [4 longs]}, "extra": {…}}
 * </pre>
 * ({@code "update"}, the update's name, is optional, so files written before it existed load unchanged).
 * A run with several optimizers stores each under its update's name: tensors
 * {@code optimizer.UPDATE.PARAM.SLOT} and {@code "optimizers": {"UPDATE": {"name": …, "hyper_parameters": …,
 * "steps": …}, …}} instead of {@code "optimizer"}.
 *
 * @param model       model state by name (parameters and buffers)
 * @param optimizers  the optimizers' states by update name, in order; empty if none
 * @param step        global training step
 * @param epoch       completed epochs
 * @param stepInEpoch steps taken in the current (incomplete) epoch
 * @param modelConfig the configuration the model was built from (may be empty)
 * @param rng         generator states by role, four longs each
 * @param extra       anything else a trainer wants to keep (JSON values)
 */
public record Checkpoint(Map<String, Tensor> model, Map<String, OptimizerState> optimizers, long step, int epoch,
                         int stepInEpoch, Map<String, Object> modelConfig, Map<String, long[]> rng,
                         Map<String, Object> extra) implements AutoCloseable {
    /** The metadata layout this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The prefix of optimizer-state tensor names in the file. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";
    /** The update name a single optimizer gets when none was recorded. */
    public static final String DEFAULT_UPDATE = "main";
    private static final String KEY = "nabla";

    /**
     * One optimizer's state.
     *
     * @param name            e.g. {@code "adam"}
     * @param hyperParameters its hyper-parameters
     * @param steps           its step counter
     * @param state           its tensors by its own names ({@code PARAM.SLOT})
     */
    public record OptimizerState(String name, Map<String, Double> hyperParameters, long steps,
                                 Map<String, Tensor> state) {
        /** Copies the maps (keeping their order). */
        public OptimizerState {
            hyperParameters = Map.copyOf(hyperParameters);
            state = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(state));
        }

        /** The live state of {@code optimizer} (its tensors referenced, not copied). */
        public static OptimizerState of(Optimizer optimizer) {
            return new OptimizerState(optimizer.name(), optimizer.hyperParameters(), optimizer.steps(), optimizer.state());
        }
    }

    /** Copies the maps (keeping their order). */
    public Checkpoint {
        model = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(model));
        optimizers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(optimizers));
        for (String u : optimizers.keySet()) {
            if (u.isEmpty() || u.contains(".")) {
                throw new IllegalArgumentException("checkpoint: update name '" + u + "' must be non-empty and without '.'");
            }
        }
        modelConfig = modelConfig == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modelConfig));
        rng = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rng));
        extra = extra == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /**
     * A checkpoint of the live {@code modelState} and {@code optimizer} (nullable): the tensors are
     * referenced, not copied, so {@link #save} it before training continues.
     */
    public static Checkpoint of(Map<String, Tensor> modelState, Optimizer optimizer, long step, int epoch,
                                int stepInEpoch, Map<String, Object> modelConfig, Map<String, long[]> rng,
                                Map<String, Object> extra) {
        return of(modelState, optimizer == null ? Map.of() : Map.of(DEFAULT_UPDATE, optimizer), step, epoch, stepInEpoch,
                modelConfig, rng, extra);
    }

    /**
     * A checkpoint of the live {@code modelState} and {@code optimizers} by update name (in the map's
     * order): the tensors are referenced, not copied, so {@link #save} it before training continues.
     */
    public static Checkpoint of(Map<String, Tensor> modelState, Map<String, Optimizer> optimizers, long step, int epoch,
                                int stepInEpoch, Map<String, Object> modelConfig, Map<String, long[]> rng,
                                Map<String, Object> extra) {
        Map<String, OptimizerState> o = new LinkedHashMap<>();
        optimizers.forEach((k, v) -> o.put(k, OptimizerState.of(v)));
        return new Checkpoint(modelState, o, step, epoch, stepInEpoch, modelConfig, rng, extra);
    }

    /** The only optimizer's state, or null without one; see {@link #optimizerState()}. */
    private OptimizerState single() {
        if (optimizers.size() > 1) {
            throw new IllegalStateException("checkpoint: it holds the optimizers of " + optimizers.keySet()
                    + "; read them through optimizers()");
        }
        return optimizers.isEmpty() ? null : optimizers.values().iterator().next();
    }

    /**
     * The state tensors of the only optimizer (without the {@code optimizer.} prefix); empty if none.
     *
     * @throws IllegalStateException if the checkpoint holds several optimizers (see {@link #optimizers()})
     */
    public Map<String, Tensor> optimizerState() {
        OptimizerState o = single();
        return o == null ? Map.of() : o.state();
    }

    /** The only optimizer's name ({@code "adam"}), or null; throws as {@link #optimizerState()}. */
    public String optimizerName() {
        OptimizerState o = single();
        return o == null ? null : o.name();
    }

    /** The only optimizer's hyper-parameters; empty if none; throws as {@link #optimizerState()}. */
    public Map<String, Double> hyperParameters() {
        OptimizerState o = single();
        return o == null ? Map.of() : o.hyperParameters();
    }

    /** The only optimizer's step counter, 0 if none; throws as {@link #optimizerState()}. */
    public long optimizerSteps() {
        OptimizerState o = single();
        return o == null ? 0 : o.steps();
    }

    private static Map<String, Object> describe(OptimizerState s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", s.name());
        o.put("hyper_parameters", new java.util.TreeMap<>(s.hyperParameters()));
        o.put("steps", s.steps());
        return o;
    }

    /** The metadata as the JSON tree described above. */
    public Map<String, Object> metadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format_version", (long) FORMAT_VERSION);
        m.put("step", step);
        m.put("epoch", (long) epoch);
        m.put("step_in_epoch", (long) stepInEpoch);
        m.put("model_config", modelConfig);
        if (optimizers.size() == 1) {
            var e = optimizers.entrySet().iterator().next();
            Map<String, Object> o = describe(e.getValue());
            o.put("update", e.getKey());
            m.put("optimizer", o);
        } else if (optimizers.size() > 1) {
            Map<String, Object> all = new LinkedHashMap<>();
            optimizers.forEach((k, v) -> all.put(k, describe(v)));
            m.put("optimizers", all);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        rng.forEach((k, v) -> r.put(k, v));
        m.put("rng", r);
        m.put("extra", extra);
        return m;
    }

    /**
     * Writes this checkpoint to {@code file} (conventionally {@code *.safetensors}) atomically, then the
     * JSON copy beside it (a convenience copy; the metadata inside {@code file} is authoritative).
     *
     * @throws IllegalArgumentException     if a model entry's name starts with {@value #OPTIMIZER_PREFIX}
     *                                      (it would load back as optimizer state) or clashes with one
     * @throws java.io.UncheckedIOException if writing fails; the previous checkpoint is then intact
     */
    public void save(Path file) {
        for (String k : model.keySet()) {   // load() would read such a tensor back as optimizer state
            if (k.startsWith(OPTIMIZER_PREFIX)) {
                throw new IllegalArgumentException("checkpoint: model entry '" + k + "' starts with '" + OPTIMIZER_PREFIX
                        + "', which the file reserves for optimizer state; rename the module or parameter");
            }
        }
        Map<String, Tensor> all = new LinkedHashMap<>(model);
        boolean several = optimizers.size() > 1;
        optimizers.forEach((update, o) -> o.state().forEach((k, v) -> {
            String name = OPTIMIZER_PREFIX + (several ? update + "." : "") + k;
            if (all.containsKey(name)) {
                throw new IllegalArgumentException("checkpoint: model entry '" + name + "' clashes with optimizer state");
            }
            all.put(name, v);
        }));
        String json = Json.write(metadata());
        SafeTensors.write(file, all, Map.of(KEY, json));
        AtomicFiles.write(jsonSibling(file), out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code dir/name.safetensors} → {@code dir/name.json}. */
    public static Path jsonSibling(Path file) {
        String n = file.getFileName().toString();
        String base = n.endsWith(".safetensors") ? n.substring(0, n.length() - ".safetensors".length()) : n;
        return file.resolveSibling(base + ".json");
    }

    /**
     * Reads a checkpoint written by {@link #save} onto {@code f}'s backend. Close it (or load its
     * tensors into a model and close it) to release them.
     *
     * @throws NablaException if the file is corrupt or its metadata is missing or of another version
     */
    public static Checkpoint load(Path file, TensorFactory f) {
        SafeTensors.Contents c = SafeTensors.read(file, f);
        try {
            String json = c.metadata().get(KEY);
            if (json == null) {
                throw new NablaException("checkpoint: " + file + " has no '" + KEY + "' metadata; it is a plain"
                        + " safetensors file, not a Nabla checkpoint (read it with SafeTensors.read)");
            }
            Map<String, Object> m = map(file, Json.parse(json), "metadata");
            long version = num(file, m, "format_version");
            if (version != FORMAT_VERSION) {
                throw new NablaException("checkpoint: " + file + " has format version " + version + "; this build reads "
                        + FORMAT_VERSION);
            }
            Map<String, Tensor> model = new LinkedHashMap<>();
            Map<String, Tensor> opt = new LinkedHashMap<>();
            c.tensors().forEach((k, v) -> {
                if (k.startsWith(OPTIMIZER_PREFIX)) {
                    opt.put(k.substring(OPTIMIZER_PREFIX.length()), v);
                } else {
                    model.put(k, v);
                }
            });
            Map<String, OptimizerState> optimizers = new LinkedHashMap<>();
            if (m.get("optimizers") != null) {
                Map<String, Map<String, Tensor>> byUpdate = new LinkedHashMap<>();
                Map<String, Object> all = map(file, m.get("optimizers"), "optimizers");
                all.keySet().forEach(u -> byUpdate.put(u, new LinkedHashMap<>()));
                opt.forEach((k, v) -> {
                    int dot = k.indexOf('.');
                    Map<String, Tensor> target = dot < 0 ? null : byUpdate.get(k.substring(0, dot));
                    if (target == null) {
                        throw new NablaException("checkpoint: " + file + ": optimizer tensor '" + OPTIMIZER_PREFIX + k
                                + "' belongs to none of the updates " + all.keySet());
                    }
                    target.put(k.substring(dot + 1), v);
                });
                all.forEach((u, o) -> optimizers.put(u, optimizer(file, map(file, o, "optimizers." + u), byUpdate.get(u))));
            } else if (m.get("optimizer") != null) {
                Map<String, Object> o = map(file, m.get("optimizer"), "optimizer");
                String update = o.get("update") instanceof String u ? u : DEFAULT_UPDATE;
                optimizers.put(update, optimizer(file, o, opt));
            } else if (!opt.isEmpty()) {
                throw new NablaException("checkpoint: " + file + " holds optimizer tensors but no optimizer metadata");
            }
            Map<String, long[]> rng = new LinkedHashMap<>();
            map(file, m.get("rng"), "rng").forEach((k, v) -> {
                if (!(v instanceof List<?> l) || l.size() != 4 || !l.stream().allMatch(x -> x instanceof Long)) {
                    throw new NablaException("checkpoint: " + file + ": rng '" + k + "' must be four integers");
                }
                rng.put(k, l.stream().mapToLong(x -> (Long) x).toArray());
            });
            return new Checkpoint(model, optimizers, num(file, m, "step"),
                    Math.toIntExact(num(file, m, "epoch")), Math.toIntExact(num(file, m, "step_in_epoch")),
                    map(file, m.get("model_config"), "model_config"), rng, map(file, m.get("extra"), "extra"));
        } catch (RuntimeException e) {
            c.close();
            if (e instanceof Json.JsonException) {
                throw new NablaException("checkpoint: " + file + ": metadata is not valid JSON: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private static OptimizerState optimizer(Path file, Map<String, Object> o, Map<String, Tensor> state) {
        if (!(o.get("name") instanceof String s)) {
            throw new NablaException("checkpoint: " + file + ": optimizer.name missing");
        }
        Map<String, Double> hyper = new LinkedHashMap<>();
        map(file, o.get("hyper_parameters"), "optimizer.hyper_parameters").forEach((k, v) -> {
            if (!(v instanceof Number num)) {
                throw new NablaException("checkpoint: " + file + ": hyper-parameter '" + k + "' is not a number");
            }
            hyper.put(k, num.doubleValue());
        });
        return new OptimizerState(s, hyper, num(file, o, "steps"), state);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Path file, Object o, String what) {
        if (!(o instanceof Map<?, ?> m)) {
            throw new NablaException("checkpoint: " + file + ": '" + what + "' must be a JSON object, got " + o);
        }
        return (Map<String, Object>) m;
    }

    private static long num(Path file, Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Long v) || v < 0) {
            throw new NablaException("checkpoint: " + file + ": '" + key + "' must be a non-negative integer, got "
                    + m.get(key));
        }
        return v;
    }

    /** Releases the tensors read from disk (do not call on a checkpoint made with {@link #of}). */
    @Override
    public void close() {
        model.values().forEach(Tensor::close);
        optimizers.values().forEach(o -> o.state().values().forEach(Tensor::close));
    }
}
