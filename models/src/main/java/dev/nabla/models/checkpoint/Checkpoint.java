package dev.nabla.models.checkpoint;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.NablaException;
import dev.nabla.models.optim.Optimizer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

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
 * <p>Reading checks every field, and refuses (with a {@link NablaException} naming the field) a value
 * outside these bounds: {@code format_version} = {@value #FORMAT_VERSION}; {@code step} and every
 * optimizer's {@code steps} integers in [0, {@link #MAX_STEP}]; {@code epoch} in [0, {@link #MAX_EPOCH}];
 * {@code step_in_epoch} in [0, {@code step}]; optimizer and update names strings of 1 to
 * {@value #MAX_NAME_CHARS} characters (update names without '.'); at most {@value #MAX_ENTRIES} optimizers,
 * and per optimizer at most {@value #MAX_ENTRIES} finite hyper-parameters; {@code rng} at most
 * {@value #MAX_ENTRIES} states of four integers, not all zero; {@code model_config} and {@code extra} JSON
 * objects (their values are for the model builder and the trainer to check). The JSON itself may nest
 * {@value Json#MAX_DEPTH} deep and hold at most 100,000 values and strings of at most 1 MiB. The
 * safetensors layer bounds the tensors ({@link SafeTensors}).
 *
 * @param model       model state by name (parameters and buffers)
 * @param optimizers  the optimizers' states by update name, in order; empty if none
 * @param step        global training step
 * @param epoch       completed epochs
 * @param stepInEpoch steps taken in the current (incomplete) epoch
 * @param modelConfig the configuration the model was built from (may be empty)
 * @param rng         generator states by role, four longs each
 * @param extra       anything else a trainer wants to keep (JSON values)
 * @param runState    tensors of the run besides the model and the optimizers that an exact resume needs
 *                    (a language model's carried hidden state), stored under {@value #RUN_STATE_PREFIX}
 *                    names; empty for most runs
 */
public record Checkpoint(Map<String, Tensor> model, Map<String, OptimizerState> optimizers, long step, int epoch,
                         int stepInEpoch, Map<String, Object> modelConfig, Map<String, long[]> rng,
                         Map<String, Object> extra, Map<String, Tensor> runState) implements AutoCloseable {
    /** The metadata layout this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The prefix of optimizer-state tensor names in the file. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";
    /** The prefix of the run-state tensor names in the file ({@link #runState()}). */
    public static final String RUN_STATE_PREFIX = "run_state.";
    /** The update name a single optimizer gets when none was recorded. */
    public static final String DEFAULT_UPDATE = "main";
    /** The largest {@code step} and optimizer {@code steps} a checkpoint may hold: 2⁴⁰ ≈ 1.1 × 10¹². */
    public static final long MAX_STEP = 1L << 40;
    /** The largest {@code epoch} a checkpoint may hold: 2³⁰. */
    public static final int MAX_EPOCH = 1 << 30;
    /** The longest optimizer or update name. */
    public static final int MAX_NAME_CHARS = 256;
    /** The most optimizers, entries of {@code rng} and hyper-parameters of one optimizer. */
    public static final int MAX_ENTRIES = 1024;
    private static final String KEY = CheckpointMetadata.KEY;

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

    /** A checkpoint without run state. */
    public Checkpoint(Map<String, Tensor> model, Map<String, OptimizerState> optimizers, long step, int epoch,
                      int stepInEpoch, Map<String, Object> modelConfig, Map<String, long[]> rng, Map<String, Object> extra) {
        this(model, optimizers, step, epoch, stepInEpoch, modelConfig, rng, extra, Map.of());
    }

    /** Copies the maps (keeping their order). */
    public Checkpoint {
        runState = runState == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(runState));
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

    /** This checkpoint with {@code state} as its {@link #runState()} (the tensors referenced, not copied). */
    public Checkpoint withRunState(Map<String, Tensor> state) {
        return new Checkpoint(model, optimizers, step, epoch, stepInEpoch, modelConfig, rng, extra, state);
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
     * @throws NablaException               if a value is outside the bounds {@link #load} accepts (e.g. a
     *                                      step beyond {@link #MAX_STEP}): nothing is written
     * @throws java.io.UncheckedIOException if writing fails; the previous checkpoint is then intact
     */
    public void save(Path file) {
        for (String k : model.keySet()) {   // load() would read such a tensor back as optimizer or run state
            if (k.startsWith(OPTIMIZER_PREFIX) || k.startsWith(RUN_STATE_PREFIX)) {
                throw new IllegalArgumentException("checkpoint: model entry '" + k + "' starts with '"
                        + (k.startsWith(OPTIMIZER_PREFIX) ? OPTIMIZER_PREFIX : RUN_STATE_PREFIX)
                        + "', which the file reserves for optimizer or run state; rename the module or parameter");
            }
        }
        Map<String, Tensor> all = new LinkedHashMap<>(model);
        runState.forEach((k, v) -> all.put(RUN_STATE_PREFIX + k, v));
        boolean several = optimizers.size() > 1;
        optimizers.forEach((update, o) -> o.state().forEach((k, v) -> {
            String name = OPTIMIZER_PREFIX + (several ? update + "." : "") + k;
            if (all.containsKey(name)) {
                throw new IllegalArgumentException("checkpoint: model entry '" + name + "' clashes with optimizer state");
            }
            all.put(name, v);
        }));
        String json = Json.write(metadata());
        CheckpointMetadata.parse(file, Map.of(KEY, json));   // never write what load() would refuse
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
     * What a checkpoint file holds, read from its header and metadata alone: no tensor is allocated.
     * Use it (or the callback of {@link #load(Path, TensorFactory, Consumer)}) to refuse a checkpoint
     * before building a model from its {@code modelConfig}: compare the config with the tensors' count
     * and shapes, and the bytes with the memory there is ({@link #requireWithin}).
     *
     * @param file           the checkpoint file
     * @param model          the model's tensors by name, in file order
     * @param optimizerState the optimizer's tensors by their own names (without {@value #OPTIMIZER_PREFIX})
     * @param step           global training step
     * @param epoch          completed epochs
     * @param stepInEpoch    steps taken in the current epoch
     * @param modelConfig    the configuration the model was built from
     */
    public record Header(Path file, Map<String, SafeTensors.TensorInfo> model,
                         Map<String, SafeTensors.TensorInfo> optimizerState, long step, int epoch, int stepInEpoch,
                         Map<String, Object> modelConfig) {
        /** Copies the maps (keeping their order). */
        public Header {
            model = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(model));
            optimizerState = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(optimizerState));
            modelConfig = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(modelConfig));
        }

        /** The bytes the model's tensors take. */
        public long modelBytes() {
            return model.values().stream().mapToLong(SafeTensors.TensorInfo::bytes).sum();
        }

        /** The bytes all tensors (model and optimizer) take: what {@link #load} allocates, at least. */
        public long totalBytes() {
            return modelBytes() + optimizerState.values().stream().mapToLong(SafeTensors.TensorInfo::bytes).sum();
        }

        /**
         * Refuses the checkpoint if its tensors take more than {@code budgetBytes}.
         *
         * @throws NablaException naming the file, the number of tensors and both sizes in bytes
         */
        public void requireWithin(long budgetBytes) {
            SizeBudget.require("checkpoint " + file + " (" + (model.size() + optimizerState.size()) + " tensors)",
                    totalBytes(), budgetBytes);
        }
    }

    /**
     * The header of the checkpoint {@code file}: tensor names, dtypes and shapes, and the validated
     * metadata. Reads only the header, in bounded memory.
     *
     * @throws NablaException       if the file is corrupt or hostile, or its metadata is missing, malformed,
     *                              out of range or of another version
     * @throws java.io.UncheckedIOException if it cannot be read
     */
    public static Header inspect(Path file) {
        SafeTensors.Header h = SafeTensors.inspect(file);
        return header(file, h, CheckpointMetadata.parse(file, h.metadata()));
    }

    private static Header header(Path file, SafeTensors.Header h, CheckpointMetadata m) {
        Map<String, SafeTensors.TensorInfo> model = new LinkedHashMap<>();
        Map<String, SafeTensors.TensorInfo> opt = new LinkedHashMap<>();
        for (SafeTensors.TensorInfo t : h.tensors()) {
            if (t.name().startsWith(RUN_STATE_PREFIX)) {
                continue;   // neither the model's nor an optimizer's
            }
            if (t.name().startsWith(OPTIMIZER_PREFIX)) {
                opt.put(t.name().substring(OPTIMIZER_PREFIX.length()), t);
            } else {
                model.put(t.name(), t);
            }
        }
        return new Header(file, model, opt, m.step(), m.epoch(), m.stepInEpoch(), m.modelConfig());
    }

    /**
     * Reads a checkpoint written by {@link #save} onto {@code f}'s backend. Close it (or load its
     * tensors into a model and close it) to release them.
     *
     * @throws NablaException if the file is corrupt or hostile, or its metadata is missing, malformed, out
     *                        of range (see the bounds above) or of another version
     * @throws java.io.UncheckedIOException if it cannot be read
     */
    public static Checkpoint load(Path file, TensorFactory f) {
        return load(file, f, h -> { });
    }

    /**
     * Reads a checkpoint like {@link #load(Path, TensorFactory)}, after {@code beforeAllocation} has seen
     * its validated header and metadata: it may refuse the checkpoint by throwing before one tensor is
     * allocated. Header, metadata and tensors come from one open file, so a checkpoint replaced
     * concurrently by a training run is seen whole, old or new, never mixed.
     *
     * @throws NablaException if the file is corrupt or hostile, or its metadata is missing, malformed, out
     *                        of range or of another version
     */
    public static Checkpoint load(Path file, TensorFactory f, Consumer<? super Header> beforeAllocation) {
        CheckpointMetadata[] meta = new CheckpointMetadata[1];
        SafeTensors.Contents c = SafeTensors.read(file, f, h -> {
            meta[0] = CheckpointMetadata.parse(file, h.metadata());
            beforeAllocation.accept(header(file, h, meta[0]));
        });
        CheckpointMetadata m = meta[0];
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> opt = new LinkedHashMap<>();
        Map<String, Tensor> run = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith(RUN_STATE_PREFIX)) {
                run.put(k.substring(RUN_STATE_PREFIX.length()), v);
            } else if (k.startsWith(OPTIMIZER_PREFIX)) {
                opt.put(k.substring(OPTIMIZER_PREFIX.length()), v);
            } else {
                model.put(k, v);
            }
        });
        Map<String, OptimizerState> optimizers = new LinkedHashMap<>();
        try {
            Map<String, Map<String, Tensor>> byUpdate = new LinkedHashMap<>();
            m.optimizers().keySet().forEach(u -> byUpdate.put(u, new LinkedHashMap<>()));
            opt.forEach((k, v) -> {
                if (m.optimizers().isEmpty()) {
                    throw new NablaException("checkpoint: " + file + " holds optimizer tensors but no optimizer metadata");
                }
                if (!m.updatePrefixed()) {   // one optimizer, stored as it always was
                    byUpdate.values().iterator().next().put(k, v);
                    return;
                }
                int dot = k.indexOf('.');
                Map<String, Tensor> target = dot < 0 ? null : byUpdate.get(k.substring(0, dot));
                if (target == null) {
                    throw new NablaException("checkpoint: " + file + ": optimizer tensor " + Json.quote(OPTIMIZER_PREFIX + k)
                            + " belongs to none of the updates " + Json.abbreviate(String.valueOf(m.optimizers().keySet()),
                            Json.QUOTE_CHARS));
                }
                target.put(k.substring(dot + 1), v);
            });
            m.optimizers().forEach((u, o) -> optimizers.put(u,
                    new OptimizerState(o.name(), o.hyperParameters(), o.steps(), byUpdate.get(u))));
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return new Checkpoint(model, optimizers, m.step(), m.epoch(), m.stepInEpoch(), m.modelConfig(), m.rng(),
                m.extra(), run);
    }

    /**
     * Refuses a checkpoint whose floating-point tensors (model or optimizer state) hold NaN or ±∞: what
     * {@code eval} and {@code sample} call after {@link #load}, so a diverged run is not reported or
     * sampled as if it were a model.
     *
     * @param file where this checkpoint was read from, for the message
     * @throws NablaException naming the file, the first such tensor, how many values are not finite and
     *                        the index of the first
     */
    public void requireFinite(Path file) {
        TensorChecks.requireFinite("checkpoint " + file, model);
        boolean several = optimizers.size() > 1;
        Map<String, Tensor> opt = new LinkedHashMap<>();
        optimizers.forEach((u, o) -> o.state().forEach((k, v) -> opt.put(OPTIMIZER_PREFIX + (several ? u + "." : "") + k, v)));
        TensorChecks.requireFinite("checkpoint " + file, opt);
        Map<String, Tensor> run = new LinkedHashMap<>();
        runState.forEach((k, v) -> run.put(RUN_STATE_PREFIX + k, v));
        TensorChecks.requireFinite("checkpoint " + file, run);
    }

    /** Releases the tensors read from disk (do not call on a checkpoint made with {@link #of}). */
    @Override
    public void close() {
        model.values().forEach(Tensor::close);
        optimizers.values().forEach(o -> o.state().values().forEach(Tensor::close));
        runState.values().forEach(Tensor::close);
    }
}
