package org.example.nabla.plugin;

import dev.nabla.api.spi.Config;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.api.types.DType;
import dev.nabla.models.nn.Block;
import dev.nabla.models.train.LoopTrainer;
import dev.nabla.models.train.Objective;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code sgd_momentum} trainer: maximum likelihood by mini-batch SGD with heavy-ball (or Nesterov)
 * momentum, on the model library's {@link dev.nabla.models.train.TrainingLoop} and its
 * {@link dev.nabla.models.optim.SGD} (PyTorch's {@code SGD} with {@code dampening = 0}). For a batch
 * {@code B} the loss is the mean negative log-likelihood {@code L(θ) = −(1/|B|)·Σ_{x∈B} log p_θ(x)}; each step
 * clips the gradient to {@code clipNorm} (when set), adds {@code weightDecay·θ}, and updates
 * {@code v ← μ·v + g}, {@code θ ← θ − η·(g + μ·v)} with {@code nesterov}, {@code θ ← θ − η·v} without.
 *
 * <p>It reads the parts {@code nabla train} hands every trainer of a density model: {@code "parameters"}
 * ({@code Map<String, Tensor>}), {@code "logProb"} ({@code Function<Tensor, Tensor>}, {@code [batch, dim] →
 * [batch]}), {@code "trainData"} ({@code Tensor [n, dim]}) and, optionally, {@code "validationData"}; when part
 * {@code "model"} is a {@link Block} (as the flows family hands it), its state — parameters and buffers —
 * is what checkpoints keep and its train/eval mode is switched around validations. Being a
 * {@link LoopTrainer}, it gets the loop's seeded shuffling, validation, NaN guards, early stopping,
 * listeners, checkpoints and exact resume for free.
 *
 * <p>Settings: {@code lr} (0.01), {@code momentum} (0.9), {@code nesterov} (false), {@code weightDecay} (0),
 * and the loop's ({@code batchSize}, {@code maxSteps}, {@code clipNorm}, {@code schedule}, {@code patience}, …,
 * see {@link LoopTrainer}); the other optimizers' settings ({@code optimizer}, {@code beta1}, …) are refused.
 */
public final class MomentumTrainer extends LoopTrainer {
    /** The trainer's name. */
    public static final String NAME = "sgd_momentum";
    private static final Set<String> NOT_SGD = Set.of("optimizer", "beta1", "beta2", "eps", "alpha", "centered");

    /**
     * A trainer with provider-level settings, validated now.
     *
     * @throws IllegalArgumentException naming an unknown setting and the valid ones, or a bad value
     */
    public MomentumTrainer(Map<String, Object> settings) {
        super(settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected Map<String, Object> defaults() {
        return Map.of("lr", 0.01, "momentum", 0.9);
    }

    @Override
    protected Set<String> validKeys() {
        Set<String> s = new HashSet<>(super.validKeys());
        s.removeAll(NOT_SGD);
        return s;
    }

    @Override
    protected Set<String> extraKeys() {
        return Set.of();
    }

    @Override
    protected String optimizerName(Config s) {
        return "sgd";
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Objective objective(TrainingPlan plan, Config s) {
        Map<String, Tensor> parameters = plan.part("parameters", Map.class);
        Function<Tensor, Tensor> logProb = plan.part("logProb", Function.class);
        Tensor train = plan.part("trainData", Tensor.class);
        Tensor validation = plan.parts().get("validationData") instanceof Tensor v ? v : null;
        if (train.rank() != 2 || train.dim(0) == 0) {
            throw new IllegalArgumentException(NAME + ": part 'trainData' must be a non-empty [n, dim] tensor, got "
                    + train.describe());
        }
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            if (!e.getValue().isParameter()) {
                throw new IllegalArgumentException(NAME + ": part 'parameters' entry '" + e.getKey()
                        + "' is not a parameter (Tensor.toParameter())");
            }
        }
        Block model = plan.parts().get("model") instanceof Block b ? b : null;
        return new NegativeLogLikelihood(new LinkedHashMap<>(parameters), logProb, train, validation, model);
    }

    /**
     * {@code −mean log p(x)} over rows of the training tensor; validation over all of the validation tensor;
     * the state of {@code model} when there is one, else the parameters.
     */
    private record NegativeLogLikelihood(Map<String, Tensor> parameters, Function<Tensor, Tensor> logProb, Tensor train,
                                         Tensor validation, Block model) implements Objective {
        private static final int VALIDATION_CHUNK = 4096;

        @Override
        public int trainingSize() {
            return train.dim(0);
        }

        @Override
        public Tensor loss(int[] batch, int batchSize, Generator random) {
            long[] rows = new long[batch.length];
            for (int i = 0; i < batch.length; i++) {
                rows[i] = batch[i];
            }
            Tensor x = train.indexSelect(0, train.factory().of(rows, rows.length));
            Tensor lp = logProb.apply(x);
            if (lp.rank() != 1 || lp.dim(0) != x.dim(0)) {
                throw new IllegalArgumentException(NAME + ": part 'logProb' must map [batch, dim] to [batch], got "
                        + x.describe() + " -> " + lp.describe());
            }
            return lp.mean().neg();
        }

        @Override
        public double validationLoss(int batchSize, Generator random) {
            if (validation == null || validation.dim(0) == 0) {
                return Double.NaN;
            }
            int m = validation.dim(0);
            double sum = 0;
            for (int start = 0; start < m; start += VALIDATION_CHUNK) {
                try (Scope s = Scope.open()) {
                    sum -= logProb.apply(validation.slice(0, start, Math.min(m, start + VALIDATION_CHUNK)))
                            .to(DType.FLOAT64).sum().item();
                }
            }
            return sum / m;
        }

        @Override
        public TensorFactory tensors() {
            return train.factory();
        }

        @Override
        public Map<String, Tensor> state() {
            return model == null ? parameters : model.state();
        }

        @Override
        public void loadState(Map<String, Tensor> values) {
            if (model == null) {
                Objective.super.loadState(values);
            } else {
                model.loadState(values);
            }
        }

        @Override
        public void train(boolean training) {
            if (model != null) {
                model.train(training);
            }
        }
    }
}
