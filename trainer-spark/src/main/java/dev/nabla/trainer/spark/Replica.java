package dev.nabla.trainer.spark;

import dev.nabla.api.spi.Backends;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.Trainer;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.ModelFamily;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.optim.GradClip;
import dev.nabla.models.optim.Optimizer;
import dev.nabla.models.optim.Optimizers;
import dev.nabla.models.spi.ServiceComponents;
import dev.nabla.models.spi.Trainers;
import dev.nabla.models.train.LoopTrainer;
import dev.nabla.models.train.Objective;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * One copy of the model on a worker, rebuilt from a {@link Recipe} on the best backend there: its
 * objective (the inner trainer's), and in {@code average} mode an optimizer of the driver's kind. A
 * partition's work is a pure function of the vector it is handed, its example indices, the seed and the
 * step, so a retried task computes the same numbers. Not thread-safe: a task borrows a replica
 * ({@link Workers}) for its duration.
 */
final class Replica implements AutoCloseable {
    /** The generator mixing {@code nabla train} uses for the initial parameters (they are overwritten anyway). */
    private static final long MIXING = 0x9E3779B97F4A7C15L;

    private final FamilyModel model;
    private final Objective objective;
    private final String inner;
    private final List<Tensor> owned = new ArrayList<>();
    private Optimizer optimizer;

    private Replica(FamilyModel model, Objective objective, String inner, Map<String, Object> parts) {
        this.model = model;
        this.objective = objective;
        this.inner = inner;
        parts.values().forEach(v -> {
            if (v instanceof Tensor t) {
                owned.add(t);
            }
        });
    }

    /** The trainer whose objective this replica computes (the recipe's, else the model's default). */
    String inner() {
        return inner;
    }

    /** The objective's parameters, by name. */
    Map<String, Tensor> parameters() {
        return objective.parameters();
    }

    /** The objective's state (parameters and buffers), in the order vectors use. */
    Map<String, Tensor> state() {
        return objective.state();
    }

    /** The state's entries that are not parameters (buffers: ActNorm's flag, running statistics). */
    static List<Tensor> buffers(Objective o) {
        List<Tensor> b = new ArrayList<>();
        o.state().forEach((k, t) -> {
            if (!o.parameters().containsKey(k)) {
                b.add(t);
            }
        });
        return b;
    }

    /**
     * Rebuilds the model of {@code recipe} on {@code tensors} (null: the best backend here).
     *
     * @throws IllegalArgumentException naming why the model cannot be rebuilt (unknown family, key, trainer)
     */
    static Replica build(Recipe recipe, TensorFactory tensors) {
        TensorFactory f = tensors != null ? tensors : TensorFactory.on(Backends.selected());
        ModelFamily family = family(recipe.family());
        Map<String, Object> keys = new LinkedHashMap<>(recipe.keys());
        DataSplits data = family.data(recipe.dataset(), recipe.seed(), keys);
        Map<String, Object> dataInfo = family.describe(recipe.dataset(), data);
        FamilyModel built = family.build(new ModelRequest(recipe.model(), recipe.dataset(), keys, dataInfo, f,
                new Generator(recipe.seed() ^ MIXING), ServiceComponents.load()));
        try {
            String inner = recipe.inner() != null ? recipe.inner() : built.defaultTrainer();
            if (SparkTrainer.NAME.equals(inner)) {
                throw new IllegalArgumentException("the objective trainer cannot be 'spark' itself");
            }
            Map<String, Object> settings = new LinkedHashMap<>(recipe.innerSettings());
            Map<String, Object> parts = built.trainingParts(new TrainingRequest(inner, data, f, settings,
                    role -> Optional.empty(), line -> { }));
            Trainer t = Trainers.create(inner, settings);
            if (!(t instanceof LoopTrainer lt)) {
                throw new IllegalArgumentException("trainer '" + inner + "' does not expose an objective to distribute");
            }
            Objective o = lt.objectiveOf(new TrainingPlan(parts, 1, recipe.seed(), settings));
            return new Replica(built, o, inner, parts);
        } catch (RuntimeException e) {
            built.close();
            throw e;
        }
    }

    private static ModelFamily family(String name) {
        TreeSet<String> known = new TreeSet<>();
        for (ModelFamily m : ServiceLoader.load(ModelFamily.class, Replica.class.getClassLoader())) {
            if (m.name().equals(name)) {
                return m;
            }
            known.add(m.name());
        }
        throw new IllegalArgumentException("no model family '" + name + "' here (found " + known + ")");
    }

    /** Writes {@code v[from ..]} into the state; returns the offset after it. */
    int setState(float[] v, int from) {
        return Flat.unpackInto(v, from, objective.state().values());
    }

    /**
     * {@code sync}: from the state in {@code state}, the gradient of {@code (n_p/N) · L(θ; share)}, the
     * partition's part of the global batch's mean loss, then {@code (n_p/N)} times the change of the
     * buffers in the forward pass (running statistics; a mask's is exactly 0), then {@code (n_p/N) · L}.
     */
    float[] gradient(float[] state, int[] share, int globalBatch, Generator random) {
        int n = Flat.size(objective.parameters().values());
        List<Tensor> buffers = buffers(objective);
        int nb = Flat.size(buffers);
        float[] out = new float[n + nb + 1];
        if (share.length == 0) {
            return out;
        }
        setState(state, 0);
        objective.train(true);
        double weight = (double) share.length / globalBatch;
        objective.parameters().values().forEach(Tensor::zeroGrad);
        try (Scope s = Scope.open()) {
            Tensor loss = objective.loss(share, share.length, random);
            out[n + nb] = (float) (loss.item() * weight);
            loss.mul(weight).backward();
        }
        int at = 0;
        for (Tensor p : objective.parameters().values()) {
            Tensor g = p.grad();
            int size = Math.toIntExact(p.numel());
            if (g != null) {
                System.arraycopy(g.toFloatArray(), 0, out, at, size);
            }
            at += size;
        }
        float[] after = Flat.pack(objective.state().values());   // the buffers' change, in state order
        int offset = 0;
        for (Map.Entry<String, Tensor> e : objective.state().entrySet()) {
            int size = Math.toIntExact(e.getValue().numel());
            if (!objective.parameters().containsKey(e.getKey())) {
                for (int j = 0; j < size; j++) {
                    out[at++] = (float) (weight * (after[offset + j] - state[offset + j]));
                }
            }
            offset += size;
        }
        return out;
    }

    /**
     * {@code average}: {@code k} local optimizer steps from the parameters and optimizer state in
     * {@code start} (at optimizer step {@code t0}, learning rate {@code lr}) over {@code share}, cut into
     * {@code k} consecutive batches; returns {@code w · [Δ state (θ and buffers) | Δ optimizer state | mean loss]}, the changes from {@code start} with
     * {@code w = n_p/N}, so the sum over the partitions is the weighted average.
     */
    float[] localSteps(float[] start, int[] share, int globalExamples, int k, Optim spec, double lr, long t0,
            Generator random) {
        Optimizer opt = optimizer(spec);
        int n = Flat.size(objective.state().values());
        int m = Flat.size(opt.state().values());
        float[] out = new float[n + m + 1];
        if (share.length == 0) {
            return out;
        }
        int at = setState(start, 0);
        try (Scope s = Scope.open()) {   // the moments, and the step counter (Adam's bias correction)
            opt.loadState(Flat.slices(start, at, opt.state()), t0);
        }
        opt.learningRate(lr);
        objective.train(true);
        double lossSum = 0;
        int steps = 0;
        for (int j = 0; j < k; j++) {
            int from = (int) ((long) share.length * j / k);
            int to = (int) ((long) share.length * (j + 1) / k);
            if (to == from) {
                continue;
            }
            int[] batch = java.util.Arrays.copyOfRange(share, from, to);
            opt.zeroGrad();
            try (Scope s = Scope.open()) {
                Tensor loss = objective.loss(batch, batch.length, random);
                lossSum += loss.item();
                loss.backward();
            }
            if (spec.clipValue() > 0) {
                GradClip.byValue(opt.parameters().values(), spec.clipValue());
            }
            if (spec.clipNorm() > 0) {
                GradClip.byGlobalNorm(opt.parameters().values(), spec.clipNorm());
            }
            opt.step();
            steps++;
        }
        double w = (double) share.length / globalExamples;
        at = Flat.packInto(objective.state().values(), out, 0);
        Flat.packInto(opt.state().values(), out, at);
        for (int i = 0; i < n + m; i++) {   // the change, so what no partition changes (MADE's masks) stays exact
            out[i] = (float) (w * (out[i] - start[i]));
        }
        out[n + m] = (float) (w * lossSum / Math.max(1, steps));
        return out;
    }

    private Optimizer optimizer(Optim spec) {
        if (optimizer == null) {
            optimizer = Optimizers.create(spec.name(), objective.parameters(), spec.hyperParameters());
        }
        return optimizer;
    }

    @Override
    public void close() {
        if (optimizer != null) {
            optimizer.close();
        }
        owned.forEach(Tensor::close);
        model.close();
    }

    /**
     * The optimizer of {@code average} mode, as the driver's: its name, hyper-parameters (PyTorch's
     * names) and clipping.
     */
    record Optim(String name, Map<String, Object> hyperParameters, double clipNorm, double clipValue)
            implements java.io.Serializable {
        Optim {
            hyperParameters = new java.util.TreeMap<>(hyperParameters);
        }
    }
}
