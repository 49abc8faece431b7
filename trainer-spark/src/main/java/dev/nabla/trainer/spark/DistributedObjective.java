package dev.nabla.trainer.spark;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.nn.Stochastic;
import dev.nabla.models.optim.Optimizer;
import dev.nabla.models.train.Objective;
import dev.nabla.models.train.TrainingLoop;

import java.util.List;
import java.util.Map;

/**
 * The driver's side of a step: the loop asks it for the loss of the global batch, and it has the
 * partitions compute it.
 *
 * <p>{@code sync}: the partitions return {@code g = Σ_p (n_p/N) ∇L(θ; share_p) = ∇L(θ; batch)} and the
 * loss; the value returned to the loop is the surrogate
 * <pre>
 *   ℓ(θ) = L + Σ_i (θ_i·g_i − stop_gradient(θ_i·g_i))     (value exactly L, gradient exactly g)
 * </pre>
 * so the loop's own machinery — NaN guards, clipping, schedules, the optimizer on the driver,
 * checkpoints — runs unchanged on the summed gradient.
 *
 * <p>{@code average}: the partitions each take K optimizer steps from the driver's parameters and
 * optimizer state on their share of the round's examples; the weighted averages
 * {@code θ̄ = θ + Σ_p (n_p/N)(θ_p − θ) = Σ_p (n_p/N) θ_p} and likewise of every buffer and optimizer moment
 * are installed on the driver here (sent as changes, so what no partition changes stays bit-exact),
 * and the loss returned depends on a dummy parameter only, so the driver's optimizer, whose parameters
 * get no gradient, leaves them as they are (it only counts the round).
 *
 * <p>Validation, state and checkpoints are the wrapped objective's, on the driver.
 */
final class DistributedObjective implements Objective {
    private final Objective local;
    private final Recipe recipe;
    private final SparkTrainer.Settings settings;
    private final SparkRounds rounds;
    private final Tensor dummy;
    private TrainingLoop loop;
    private boolean started;
    private boolean initialised;

    DistributedObjective(Objective local, Recipe recipe, SparkTrainer.Settings settings) {
        this.local = local;
        this.recipe = recipe;
        this.settings = settings;
        this.rounds = new SparkRounds(settings.partitions(), settings.treeDepth(), settings.master());
        this.dummy = local.tensors().scalar(0).toParameter();
        Flat.size(local.state().values());   // float32 only: refused before anything starts
    }

    /** The loop that runs this objective (its step and optimizer). */
    void attach(TrainingLoop loop) {
        this.loop = loop;
    }

    @Override
    public int trainingSize() {
        return local.trainingSize();
    }

    @Override
    public Tensor loss(int[] batch, int batchSize, Generator random) {
        if (batch == null) {
            throw new IllegalArgumentException("spark: the objective draws its own samples; only data sets are distributed");
        }
        Optimizer opt = loop.optimizer();
        long step = loop.step() + 1;
        TensorFactory f = local.tensors();
        if (!initialised) {
            initialise(batch, settings.average() ? Math.min(batch.length, batchSize / settings.localSteps()) : batch.length);
        }
        List<Tensor> buffers = Replica.buffers(local);
        if (!settings.average()) {
            Map<String, Tensor> params = local.parameters();
            float[] out = rounds.run(new Round(recipe, false, batch, step, settings.partitions(), 1, 0, 0, null,
                    settings.failFirstAttempt()), Flat.pack(local.state().values()));
            Tensor surrogate = f.scalar(out[out.length - 1]);
            int at = 0;
            for (Tensor p : params.values()) {
                int n = Math.toIntExact(p.numel());
                Tensor g = f.of(java.util.Arrays.copyOfRange(out, at, at + n), p.shape().dims());
                Tensor s = p.mul(g).sum();
                surrogate = surrogate.add(s.sub(s.detach()));
                at += n;
            }
            float[] now = Flat.pack(buffers);   // the buffers plus the partitions' weighted changes
            for (int i = 0; i < now.length; i++) {
                now[i] += out[at + i];
            }
            Flat.unpackInto(now, 0, buffers);
            return surrogate;
        }
        float[] start = new float[Flat.size(local.state().values()) + Flat.size(opt.state().values())];
        int at = Flat.packInto(local.state().values(), start, 0);
        Flat.packInto(opt.state().values(), start, at);
        Map<String, Object> hyper = new java.util.LinkedHashMap<>();
        opt.hyperParameters().forEach((k, v) -> hyper.put(k, k.equals("nesterov") || k.equals("centered") ? v != 0 : v));
        Replica.Optim optim = new Replica.Optim(opt.name(), hyper, settings.clipNorm(), settings.clipValue());
        float[] out = rounds.run(new Round(recipe, true, batch, step, settings.partitions(), settings.localSteps(),
                opt.learningRate(), opt.steps() * settings.localSteps(), optim, settings.failFirstAttempt()), start);
        for (int i = 0; i < start.length; i++) {   // x + Σ_p w_p (x_p − x)
            start[i] += out[i];
        }
        at = Flat.unpackInto(start, 0, local.state().values());
        try (Scope s = Scope.open()) {
            opt.loadState(Flat.slices(start, at, opt.state()), opt.steps());
        }
        return dummy.mul(0).add(out[out.length - 1]);
    }

    /**
     * Once per run, before the first step's work: a forward pass without gradients on the driver over
     * the first {@code n} examples of the step — the batch single-process training would see first — so
     * that data-dependent initialisation (ActNorm) is done once, on the same examples, and then
     * broadcast. (A batch norm's running statistics see that batch once more than in single-process
     * training.) A model without buffers skips it.
     */
    private void initialise(int[] batch, int n) {
        initialised = true;
        if (Replica.buffers(local).isEmpty()) {
            return;
        }
        int[] first = java.util.Arrays.copyOf(batch, Math.max(1, n));
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            local.train(true);
            local.loss(first, first.length, new Generator(recipe.seed()));
        }
    }

    @Override
    public Map<String, Tensor> parameters() {
        return local.parameters();
    }

    @Override
    public double validationLoss(int batchSize, Generator random) {
        return local.validationLoss(batchSize, random);
    }

    @Override
    public Map<String, Tensor> state() {
        return local.state();
    }

    @Override
    public void loadState(Map<String, Tensor> values) {
        local.loadState(values);
    }

    @Override
    public Map<String, Stochastic> randomSources() {
        return local.randomSources();
    }

    @Override
    public void train(boolean training) {
        local.train(training);
    }

    /** Starts Spark (or joins the caller's context), then the wrapped objective's {@code begin}. */
    @Override
    public void begin() {
        initialised = false;
        if (!started) {
            rounds.start("nabla train " + recipe.model() + " (" + (settings.average() ? "average" : "sync") + ")");
            started = true;
        }
        local.begin();
    }

    /** The wrapped objective's {@code end}, then stops Spark if this run started it. */
    @Override
    public void end() {
        try {
            local.end();
        } finally {
            if (started) {
                rounds.close();
                started = false;
                Workers.release(recipe);
            }
        }
    }

    /** The master in use, once started. */
    String master() {
        return rounds.master();
    }

    @Override
    public TensorFactory tensors() {
        return local.tensors();
    }
}
