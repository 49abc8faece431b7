package dev.nabla.models.train;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.train.Trainer;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.models.optim.LrSchedule;
import dev.nabla.models.optim.Optimizer;
import dev.nabla.models.optim.Optimizers;
import dev.nabla.api.spi.Config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Trainer} that builds a {@link TrainingLoop} from a {@link TrainingPlan} and runs it. The
 * settings (the provider's, overridden by the plan's) are:
 * <ul>
 *   <li>optimizer: {@code optimizer} = adam (default) | adamw | sgd | rmsprop; {@code lr} (default 1e-3);
 *       {@code weightDecay}, {@code momentum}, {@code nesterov}, {@code beta1}, {@code beta2},
 *       {@code eps}, {@code alpha}, {@code centered} where the optimizer has them;</li>
 *   <li>loop: {@code batchSize} (64), {@code dropLast}, {@code shuffle} (true; false takes the examples
 *       in index order every epoch), {@code maxSteps} (0 = no limit besides the plan's epochs),
 *       {@code validateEvery} (steps; 0 = per epoch),
 *       {@code clipNorm}, {@code clipValue}, {@code patience} and {@code minDelta} (early stopping);</li>
 *   <li>schedule: {@code schedule} = constant (default) | cosine | step | inverse-sqrt, {@code warmupSteps},
 *       {@code minLr} (cosine), {@code stepSize} and {@code gamma} (step); inverse-sqrt is
 *       {@link LrSchedule#inverseSqrt} peaking at {@code lr} after {@code warmupSteps} (at least 1), the
 *       Transformer's schedule when {@code lr = (d_model·warmupSteps)^-0.5};</li>
 *   <li>checkpoints: {@code checkpoint} (a {@code .safetensors} path), {@code checkpointEvery} (steps;
 *       0 = per epoch), {@code resume} (a checkpoint to continue from).</li>
 * </ul>
 * Parts common to every loop trainer: optional {@code "listeners"} (a {@link TrainingListener} or a list of
 * them) and {@code "modelConfig"} (a map recorded in checkpoints). Use {@link #prepare} to get the
 * loop without running it (to add a progress bar or a Ctrl-C hook).
 */
public abstract class LoopTrainer implements Trainer {
    private static final Set<String> COMMON = Set.of("optimizer", "lr", "weightDecay", "momentum", "nesterov", "beta1",
            "beta2", "eps", "alpha", "centered", "batchSize", "dropLast", "validateEvery", "clipNorm", "clipValue",
            "patience", "minDelta", "schedule", "warmupSteps", "minLr", "stepSize", "gamma", "checkpoint",
            "checkpointEvery", "resume", "shuffle", "maxSteps");

    private static final List<String> SCHEDULES = List.of("constant", "cosine", "step", "inverse-sqrt");

    private final Map<String, Object> settings;

    /**
     * A trainer with provider-level {@code settings} over its {@link #defaults()}, validated now.
     *
     * @throws IllegalArgumentException naming an unknown setting and the valid ones, or a bad value
     */
    protected LoopTrainer(Map<String, Object> settings) {
        Map<String, Object> s = new LinkedHashMap<>(defaults());
        s.putAll(settings);
        this.settings = Map.copyOf(s);
        checkValues(Config.settings(name(), this.settings, validKeys()));
    }

    /**
     * Checks the values of the common settings now (a bad one fails before any work, naming the key);
     * the optimizer's own checks run again when it is made.
     */
    private static void checkValues(Config c) {
        double max = Double.MAX_VALUE;
        c.doubleIn("lr", Double.MIN_VALUE, max, 1e-3);
        c.positiveIntOr("batchSize", 64);
        for (String k : new String[] {"dropLast", "shuffle", "nesterov", "centered"}) {
            c.boolOr(k, false);
        }
        for (String k : new String[] {"validateEvery", "checkpointEvery", "maxSteps", "warmupSteps"}) {
            c.longAtLeast(k, 0, 0);
        }
        for (String k : new String[] {"clipNorm", "clipValue", "weightDecay", "minDelta", "minLr"}) {
            c.doubleIn(k, 0, max, 0);
        }
        for (String k : new String[] {"momentum", "beta1", "beta2", "alpha"}) {
            c.doubleIn(k, 0, Math.nextDown(1.0), 0);
        }
        c.doubleIn("eps", Double.MIN_VALUE, max, 1e-8);
        c.doubleIn("gamma", Double.MIN_VALUE, max, 0.1);
        c.longAtLeast("stepSize", 1, 1);
        c.positiveIntOr("patience", 1);
        c.oneOf("schedule", "constant", SCHEDULES);
    }

    /**
     * Settings this trainer starts from, which the provider's and the plan's override (none by default).
     * Called from the constructor: return constants.
     */
    protected Map<String, Object> defaults() {
        return Map.of();
    }

    /** The optimizer's name: the {@code optimizer} setting, {@code adam} when absent. */
    protected String optimizerName(Config s) {
        return s.stringOr("optimizer", "adam");
    }

    /** The settings this trainer accepts. */
    protected Set<String> validKeys() {
        Set<String> s = new HashSet<>(COMMON);
        s.addAll(extraKeys());
        return s;
    }

    /** Settings beyond the common ones. */
    protected abstract Set<String> extraKeys();

    /** The objective for {@code plan}. */
    protected abstract Objective objective(TrainingPlan plan, Config s);

    /**
     * The objective this trainer minimises for {@code plan} (with the provider's settings under the
     * plan's), without a loop: what a trainer that spreads the work over machines (the {@code spark}
     * trainer) computes the loss and gradients of on each worker.
     *
     * @throws IllegalArgumentException for a bad setting or a plan without the parts this trainer reads
     */
    public Objective objectiveOf(TrainingPlan plan) {
        Map<String, Object> merged = new LinkedHashMap<>(settings);
        merged.putAll(plan.settings());
        return objective(plan, Config.settings(name(), merged, validKeys()));
    }

    /** Builds the loop for {@code plan} (resumed if the settings say {@code resume}), without running it. */
    public TrainingLoop prepare(TrainingPlan plan) {
        Map<String, Object> merged = new LinkedHashMap<>(settings);
        merged.putAll(plan.settings());
        Config s = Config.settings(name(), merged, validKeys());
        TrainingOptions o = new TrainingOptions().epochs(plan.epochs()).seed(plan.seed())
                .batchSize(s.intOr("batchSize", 64)).dropLast(s.boolOr("dropLast", false))
                .validateEvery(s.longOr("validateEvery", 0)).clipNorm(s.doubleOr("clipNorm", 0))
                .clipValue(s.doubleOr("clipValue", 0)).checkpointEvery(s.longOr("checkpointEvery", 0))
                .shuffle(s.boolOr("shuffle", true)).maxSteps(s.longOr("maxSteps", 0));
        if (s.has("stepsPerEpoch")) {
            o.stepsPerEpoch(s.intOr("stepsPerEpoch", 0));
        }
        if (s.has("checkpoint")) {
            o.checkpoint(Path.of(s.raw("checkpoint").toString()));
        }
        if (plan.parts().get("modelConfig") instanceof Map<?, ?> mc) {
            Map<String, Object> cfg = new LinkedHashMap<>();
            mc.forEach((k, v) -> cfg.put(k.toString(), v));
            o.modelConfig(cfg);
        }
        TrainingLoop loop = loop(plan, s, o);
        if (s.has("patience")) {
            loop.addListener(new EarlyStopping(s.intOr("patience", 1), s.doubleOr("minDelta", 0)));
        }
        Object ls = plan.parts().get("listeners");
        if (ls instanceof TrainingListener l) {
            loop.addListener(l);
        } else if (ls instanceof List<?> list) {
            for (Object x : list) {
                if (!(x instanceof TrainingListener l)) {
                    throw new IllegalArgumentException(name() + ": part 'listeners' holds a "
                            + (x == null ? "null" : x.getClass().getSimpleName()) + ", not a TrainingListener");
                }
                loop.addListener(l);
            }
        } else if (ls != null) {
            throw new IllegalArgumentException(name() + ": part 'listeners' must be a TrainingListener or a list of them");
        }
        if (s.has("resume")) {
            loop.resumeFrom(Path.of(s.raw("resume").toString()));
        }
        return loop;
    }

    /**
     * The loop for {@code plan} with the loop {@code options} the settings gave (epochs, seed, batch size,
     * checkpoint, clipping, …): by default one update of the {@link #objective} by the optimizer and
     * schedule the settings name. A trainer whose plan brings its own updates (several optimizers, as a
     * GAN's two players) overrides this; {@link #prepare} then adds the listeners and resumes.
     */
    protected TrainingLoop loop(TrainingPlan plan, Config s, TrainingOptions options) {
        Objective objective = objective(plan, s);
        Optimizer optimizer = optimizer(s, objective.parameters());
        long total = (long) TrainingLoop.stepsPerEpoch(objective, options) * plan.epochs();
        options.schedule(schedule(s, optimizer.learningRate(), options.maxSteps() > 0
                ? Math.min(total, options.maxSteps()) : total));
        return new TrainingLoop(objective, optimizer, options);
    }

    @Override
    public TrainingReport train(TrainingPlan plan) {
        return prepare(plan).run();
    }

    private static final Map<String, String> OPTIMIZER_KEYS = Map.of("lr", "lr", "weightDecay", "weight_decay",
            "momentum", "momentum", "nesterov", "nesterov", "beta1", "beta1", "beta2", "beta2", "eps", "eps",
            "alpha", "alpha", "centered", "centered");

    private Optimizer optimizer(Config s, Map<String, Tensor> params) {
        Map<String, Object> o = new LinkedHashMap<>();
        OPTIMIZER_KEYS.forEach((ours, torch) -> {
            if (s.has(ours)) {
                o.put(torch, s.raw(ours));
            }
        });
        o.putIfAbsent("lr", 1e-3);
        return Optimizers.create(optimizerName(s), params, o);
    }

    private LrSchedule schedule(Config s, double lr, long totalSteps) {
        long warm = s.longOr("warmupSteps", 0);
        if (s.oneOf("schedule", "constant", SCHEDULES).equals("inverse-sqrt")) {   // its warm-up is its own
            return LrSchedule.inverseSqrt(lr, Math.max(1, warm));
        }
        long rest = Math.max(1, totalSteps - warm);
        LrSchedule main = switch (s.oneOf("schedule", "constant", SCHEDULES)) {
            case "cosine" -> LrSchedule.cosine(lr, rest, s.doubleOr("minLr", 0));
            case "step" -> LrSchedule.step(lr, s.longOr("stepSize", Math.max(1, rest / 3)), s.doubleOr("gamma", 0.1));
            default -> LrSchedule.constant(lr);
        };
        return warm > 0 ? LrSchedule.linearWarmup(lr, warm).then(warm, main) : main;
    }
}
