package dev.nabla.trainer.spark;

import dev.nabla.api.spi.Config;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.train.Trainer;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.models.spi.Trainers;
import dev.nabla.models.train.LoopTrainer;
import dev.nabla.models.train.Objective;
import dev.nabla.models.train.TrainingLoop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code spark} trainer: the loop of {@link LoopTrainer} on the driver (checkpoints, validation,
 * schedules, early stopping, listeners, exact resume), with each step's work spread over P Spark
 * partitions. Two strategies ({@code mode}):
 * <ul>
 *   <li>{@code sync} — per step, the driver broadcasts θ; partition p computes the gradient of its
 *       share of the global batch B (its {@code n_p} of the batch's N examples),
 *       <pre>  g = Σ_p (n_p/N) ∇_θ L(θ; share_p) = ∇_θ L(θ; batch),</pre>
 *       the results are summed in a tree, and the driver's optimizer applies g. Equal to single-process
 *       training on the same global batch up to summation order.</li>
 *   <li>{@code average} — per round (one loop step), every partition runs K optimizer steps from the
 *       broadcast θ and optimizer state on its share of the round's K·B examples (local batches of
 *       about B/P), then
 *       <pre>  θ ← Σ_p (n_p/N) θ_p,   m ← Σ_p (n_p/N) m_p   (every optimizer moment, e.g. Adam's m and v)</pre>
 *       Communication once per K local steps. A loop step (and {@code maxSteps}) counts rounds.</li>
 * </ul>
 * Settings, besides those of {@link LoopTrainer} ({@code batchSize} is the global batch B):
 * {@code mode} (sync | average, default sync), {@code partitions} (P, default 2), {@code localSteps}
 * (K, default 10; average), {@code treeDepth} (default 2; 1 sums on the driver), {@code objective}
 * (the trainer whose loss is distributed; default the model's own, {@code mle} for flows), {@code master}
 * (used only when the {@code spark.master} property is unset; default {@code local[N,4]}) and
 * {@code failFirstAttempt} (a partition whose first attempt fails: a check of deterministic retries).
 *
 * <p>Parts: those of the objective's trainer, plus {@code modelConfig} (family, model, dataset,
 * config, seed — what {@code nabla train} records), from which executors rebuild the model.
 */
public final class SparkTrainer extends LoopTrainer {
    /** The trainer's name. */
    public static final String NAME = "spark";
    private static final Set<String> OWN = Set.of("mode", "partitions", "localSteps", "treeDepth", "objective", "master",
            "failFirstAttempt");

    private final Map<String, Object> own;
    private DistributedObjective pending;

    /**
     * A trainer with these settings, checked now.
     *
     * @throws IllegalArgumentException naming a bad setting
     */
    public SparkTrainer(Map<String, Object> settings) {
        super(settings);
        this.own = Map.copyOf(settings);
        Settings.of(Config.settings(NAME, settings, validKeys()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected Set<String> extraKeys() {
        return OWN;
    }

    /**
     * The driver's loop for {@code plan}: rebuilds the model once here from the plan's recipe (what each
     * executor will do, so a model that cannot be rebuilt is refused now, before any checkpoint is
     * touched), builds the objective's trainer's objective, and wraps it.
     *
     * @throws IllegalArgumentException for a bad setting, a model that cannot be rebuilt, or more partitions than examples
     */
    @Override
    public TrainingLoop prepare(TrainingPlan plan) {
        Map<String, Object> merged = new LinkedHashMap<>(own);
        merged.putAll(plan.settings());
        Settings s = Settings.of(Config.settings(NAME, merged, validKeys()));
        Map<String, Object> innerSettings = new LinkedHashMap<>(merged);
        OWN.forEach(innerSettings::remove);
        for (String k : List.of("checkpoint", "checkpointEvery", "resume", "validateEvery", "patience", "minDelta")) {
            innerSettings.remove(k);   // the driver's loop does these
        }
        Recipe recipe = Recipe.of(plan, s.objective(), innerSettings);
        Objective local;
        try (Replica probe = rebuild(recipe)) {
            recipe = recipe.withInner(probe.inner());
            Trainer t = Trainers.create(probe.inner(), innerSettings);
            if (!(t instanceof LoopTrainer lt)) {
                throw new IllegalArgumentException("spark: trainer '" + probe.inner() + "' has no objective to distribute");
            }
            local = lt.objectiveOf(new TrainingPlan(plan.parts(), plan.epochs(), plan.seed(), innerSettings));
            requireSameLayout(recipe, probe.state(), local.state());
        }
        if (local.trainingSize() <= 0) {
            throw new IllegalArgumentException("spark: the objective of '" + recipe.inner()
                    + "' draws its own samples; the spark trainer distributes data sets");
        }
        if (s.partitions() > local.trainingSize()) {
            throw new IllegalArgumentException("spark: partitions=" + s.partitions() + " is more than the "
                    + local.trainingSize() + " training examples");
        }
        int batch = Config.settings(NAME, merged, validKeys()).positiveIntOr("batchSize", 64);
        if (s.partitions() > batch) {
            throw new IllegalArgumentException("spark: partitions=" + s.partitions() + " is more than the global batch of "
                    + batch + " examples (batchSize): some partitions would have nothing to do");
        }
        Map<String, Object> loopSettings = new LinkedHashMap<>(plan.settings());
        if (s.average()) {   // a loop step is a round of K local steps
            loopSettings.put("batchSize", (long) batch * s.localSteps());
        }
        pending = new DistributedObjective(local, recipe, s);
        try {
            TrainingLoop loop = super.prepare(new TrainingPlan(plan.parts(), plan.epochs(), plan.seed(), loopSettings));
            pending.attach(loop);
            return loop;
        } finally {
            pending = null;
        }
    }

    private static Replica rebuild(Recipe recipe) {
        try {
            return Replica.build(recipe, null);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("spark: the model cannot be rebuilt on an executor from " + recipe + ": "
                    + e.getMessage(), e);
        }
    }

    private static void requireSameLayout(Recipe recipe, Map<String, Tensor> rebuilt, Map<String, Tensor> driver) {
        List<String> a = rebuilt.entrySet().stream().map(e -> e.getKey() + e.getValue().shape()).toList();
        List<String> b = driver.entrySet().stream().map(e -> e.getKey() + e.getValue().shape()).toList();
        if (!a.equals(b)) {
            throw new IllegalArgumentException("spark: the model rebuilt from " + recipe + " has another state than the "
                    + "driver's (" + a.size() + " vs " + b.size() + " tensors; first: " + (a.isEmpty() ? "none" : a.getFirst())
                    + " vs " + (b.isEmpty() ? "none" : b.getFirst()) + ")");
        }
    }

    @Override
    protected Objective objective(TrainingPlan plan, Config s) {
        if (pending == null) {
            throw new IllegalStateException("spark: the objective is made by prepare(plan)");
        }
        return pending;
    }

    /**
     * The trainer's own settings, checked.
     *
     * @param average          mode = average
     * @param partitions       P
     * @param localSteps       K
     * @param treeDepth        the depth of the summation tree
     * @param objective        the trainer whose objective is distributed, or null for the model's own
     * @param master           the master when {@code spark.master} is unset, or null
     * @param failFirstAttempt a partition whose first attempt fails, or -1
     * @param clipNorm         the loop's gradient-norm clipping, applied to local steps too
     * @param clipValue        the loop's gradient-value clipping, applied to local steps too
     */
    record Settings(boolean average, int partitions, int localSteps, int treeDepth, String objective, String master,
                    int failFirstAttempt, double clipNorm, double clipValue) {
        static Settings of(Config c) {
            boolean average = c.oneOf("mode", "sync", List.of("sync", "average")).equals("average");
            int partitions = c.intIn("partitions", 1, 100_000, 2);
            int k = c.intIn("localSteps", 1, 1_000_000, 10);
            int depth = c.intIn("treeDepth", 1, 10, 2);
            String objective = c.has("objective") ? c.stringOr("objective", null) : null;
            if (NAME.equals(objective)) {
                throw new IllegalArgumentException("spark: setting 'objective' names the trainer whose loss is distributed "
                        + "(mle, objective, …), not 'spark'");
            }
            String master = c.has("master") ? c.stringOr("master", null) : null;
            int fail = c.intIn("failFirstAttempt", -1, partitions - 1, -1);
            return new Settings(average, partitions, k, depth, objective, master, fail, c.doubleOr("clipNorm", 0),
                    c.doubleOr("clipValue", 0));
        }
    }
}
