package org.example.nabla.plugin;

import dev.nabla.api.spi.Config;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.train.Trainer;
import dev.nabla.api.train.TrainingMonitor;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.api.types.NablaException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code sgd_momentum} trainer: maximum likelihood by mini-batch stochastic gradient descent with
 * heavy-ball (or Nesterov) momentum, written with api operations only. For a batch {@code B} the loss is the
 * mean negative log-likelihood {@code L(θ) = −(1/|B|)·Σ_{x∈B} log p_θ(x)}, and each step is (PyTorch's
 * {@code SGD} with {@code dampening = 0})
 *
 * <pre>
 *   g ← c·∇L(θ) + λ·θ           c = min(1, clipNorm / ‖∇L‖₂) when clipNorm > 0, else 1;  λ = weightDecay
 *   v ← μ·v + g                 v starts at 0;  μ = momentum
 *   θ ← θ − η·(g + μ·v)         with nesterov,   θ ← θ − η·v  without;  η = lr
 * </pre>
 *
 * <p><b>Plan parts</b> (those {@code nabla train} hands every trainer): {@code "parameters"}
 * ({@code Map<String, Tensor>}, updated in place), {@code "logProb"} ({@code Function<Tensor, Tensor>},
 * {@code [batch, dim] → [batch]}, differentiable in the parameters), {@code "trainData"} ({@code Tensor [n, dim]}),
 * optional {@code "validationData"} ({@code Tensor [m, dim]}) and {@code "monitor"} ({@link TrainingMonitor}).
 * Other parts are ignored.
 *
 * <p><b>Loop.</b> Each epoch draws a permutation of the training rows from a {@link Generator} seeded with the
 * plan's seed and walks it in batches of {@code batchSize} (the last one smaller). After every step the
 * monitor gets the step's loss; training ends after the plan's epochs, after {@code maxSteps} steps (when
 * positive) or as soon as the monitor asks to stop, whichever is first. After each completed epoch, and at the
 * end if that fell inside an epoch, the mean NLL of the validation data is computed without gradients and
 * reported to the monitor. The same seed and data give bit-identical parameters.
 *
 * <p><b>Report.</b> Steps taken, epochs completed, {@code train_loss} (the mean NLL over the last epoch's
 * batches, weighted by batch size; the partial epoch's when the run stopped inside one) and {@code val_loss}
 * (the final validation NLL, when there is validation data).
 *
 * <p><b>Settings</b> (the provider's, overridden by the plan's; numbers may be strings): {@code lr} (0.01),
 * {@code batchSize} (64), {@code maxSteps} (0 = no limit), {@code momentum} (0.9, in [0, 1)), {@code nesterov}
 * (false), {@code weightDecay} (0), {@code clipNorm} (0 = off). Any other key is refused.
 *
 * <p>A loss or gradient norm that is NaN or infinite ends training with a {@link NablaException} naming the
 * step; the parameters keep the values of the last good step.
 */
public final class MomentumTrainer implements Trainer {
    /** The trainer's name. */
    public static final String NAME = "sgd_momentum";
    /** The settings this trainer accepts. */
    public static final Set<String> SETTINGS = Set.of("lr", "batchSize", "maxSteps", "momentum", "nesterov",
            "weightDecay", "clipNorm");

    /** Rows per validation forward pass; large enough to be fast, small enough to bound memory. */
    private static final int VALIDATION_CHUNK = 4096;

    private final Map<String, Object> settings;

    /**
     * A trainer with provider-level settings, validated now.
     *
     * @param settings the settings above; the plan's settings may override them
     * @throws IllegalArgumentException naming an unknown setting and the valid ones, or a bad value
     */
    public MomentumTrainer(Map<String, Object> settings) {
        this.settings = Map.copyOf(settings);
        Options.of(this.settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The settings read and checked. */
    private record Options(double lr, int batchSize, long maxSteps, double momentum, boolean nesterov,
            double weightDecay, double clipNorm) {
        static Options of(Map<String, ?> s) {
            Config k = Config.settings(NAME, s, SETTINGS);
            double lr = k.doubleIn("lr", Double.MIN_VALUE, Double.MAX_VALUE, 0.01);
            return new Options(lr, k.positiveIntOr("batchSize", 64), k.longAtLeast("maxSteps", 0, 0),
                    k.doubleIn("momentum", 0.0, Math.nextDown(1.0), 0.9), k.boolOr("nesterov", false),
                    k.doubleIn("weightDecay", 0.0, Double.MAX_VALUE, 0.0),
                    k.doubleIn("clipNorm", 0.0, Double.MAX_VALUE, 0.0));
        }
    }

    /**
     * Trains the plan's parameters as described above.
     *
     * @throws IllegalArgumentException naming a missing or ill-typed part, or an unknown setting in the plan
     * @throws NablaException           if a loss or the gradient norm becomes NaN or infinite, naming the step
     */
    @Override
    @SuppressWarnings("unchecked")
    public TrainingReport train(TrainingPlan plan) {
        Map<String, Object> merged = new LinkedHashMap<>(settings);
        merged.putAll(plan.settings());
        Options o = Options.of(merged);
        Map<String, Tensor> parameters = plan.part("parameters", Map.class);
        Function<Tensor, Tensor> logProb = plan.part("logProb", Function.class);
        Tensor train = plan.part("trainData", Tensor.class);
        Tensor validation = plan.parts().get("validationData") instanceof Tensor v ? v : null;
        TrainingMonitor monitor = TrainingMonitor.of(plan);
        if (train.rank() != 2 || train.dim(0) == 0) {
            throw new IllegalArgumentException(NAME + ": part 'trainData' must be a non-empty [n, dim] tensor, got "
                    + train.describe());
        }
        List<Tensor> params = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            if (!e.getValue().isParameter()) {
                throw new IllegalArgumentException(NAME + ": part 'parameters' entry '" + e.getKey()
                        + "' is not a parameter (Tensor.toParameter())");
            }
            params.add(e.getValue());
        }
        List<Tensor> velocity = new ArrayList<>();
        try {
            try (Scope s = Scope.open()) {
                for (Tensor p : params) {
                    velocity.add(p.factory().zeros(p.shape(), p.dtype()).toParameter());
                }
            }
            return run(plan, o, params, velocity, logProb, train, validation, monitor);
        } finally {
            velocity.forEach(Tensor::close);
        }
    }

    private TrainingReport run(TrainingPlan plan, Options o, List<Tensor> params, List<Tensor> velocity,
            Function<Tensor, Tensor> logProb, Tensor train, Tensor validation, TrainingMonitor monitor) {
        int n = train.dim(0);
        int batch = Math.min(o.batchSize(), n);
        Generator shuffle = new Generator(plan.seed());
        long step = 0;
        int epochsDone = 0;
        double trainLoss = Double.NaN;
        double valLoss = Double.NaN;
        long validatedAt = -1;
        boolean stopped = false;
        for (int epoch = 0; epoch < plan.epochs() && !stopped; epoch++) {
            double sum = 0;
            long rows = 0;
            try (Scope es = Scope.open()) {
                Tensor order = train.factory().randperm(shuffle, n);
                for (int start = 0; start < n; start += batch) {
                    if (monitor.stopRequested() || (o.maxSteps() > 0 && step >= o.maxSteps())) {
                        stopped = true;
                        break;
                    }
                    int end = Math.min(n, start + batch);
                    double loss = step(o, params, velocity, logProb, train, order.slice(0, start, end), step + 1,
                            epoch + 1);
                    step++;
                    sum += loss * (end - start);
                    rows += end - start;
                    monitor.step(step, loss);
                }
            }
            if (rows > 0) {
                trainLoss = sum / rows;
            }
            if (!stopped) {
                epochsDone++;
            }
            if (validation != null && (!stopped || validatedAt != step)) {
                valLoss = meanNll(logProb, validation);
                validatedAt = step;
                monitor.validation(step, valLoss);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (!Double.isNaN(trainLoss)) {
            metrics.put("train_loss", trainLoss);
        }
        if (!Double.isNaN(valLoss)) {
            metrics.put("val_loss", valLoss);
        }
        return new TrainingReport(step, epochsDone, metrics);
    }

    /** One optimisation step on the rows {@code index} of {@code train}; returns the step's loss. */
    private static double step(Options o, List<Tensor> params, List<Tensor> velocity, Function<Tensor, Tensor> logProb,
            Tensor train, Tensor index, long step, int epoch) {
        try (Scope s = Scope.open()) {
            Tensor x = train.indexSelect(0, index);
            Tensor lp = logProb.apply(x);
            if (lp.rank() != 1 || lp.dim(0) != x.dim(0)) {
                throw new IllegalArgumentException(NAME + ": part 'logProb' must map [batch, dim] to [batch], got "
                        + x.describe() + " -> " + lp.describe());
            }
            Tensor loss = lp.mean().neg();
            double value = loss.item();
            if (!Double.isFinite(value)) {
                throw new NablaException(NAME + ": training stopped at step " + step + " (epoch " + epoch
                        + "): the loss is " + value);
            }
            for (Tensor p : params) {
                p.zeroGrad();
            }
            loss.backward();
            try (GradMode ignored = Autograd.noGrad()) {
                double sq = 0;
                for (Tensor p : params) {
                    if (p.grad() != null) {
                        sq += p.grad().square().sum().item();
                    }
                }
                double norm = Math.sqrt(sq);
                if (!Double.isFinite(norm)) {
                    throw new NablaException(NAME + ": training stopped at step " + step + " (epoch " + epoch
                            + "): the gradient norm is " + norm);
                }
                double scale = o.clipNorm() > 0 && norm > o.clipNorm() ? o.clipNorm() / norm : 1.0;
                for (int i = 0; i < params.size(); i++) {
                    Tensor p = params.get(i);
                    if (p.grad() == null) {
                        continue;   // the loss does not depend on it
                    }
                    Tensor g = scale == 1.0 ? p.grad() : p.grad().mul(scale);
                    if (o.weightDecay() != 0) {
                        g = g.add(p.mul(o.weightDecay()));
                    }
                    Tensor v = velocity.get(i);
                    v.assign(v.mul(o.momentum()).add(g));
                    p.addInPlace(o.nesterov() ? g.add(v.mul(o.momentum())) : v, -o.lr());
                }
            }
            return value;
        }
    }

    /** The mean of {@code −logProb} over the rows of {@code data}, without gradients. */
    private static double meanNll(Function<Tensor, Tensor> logProb, Tensor data) {
        int m = data.dim(0);
        if (m == 0) {
            return Double.NaN;
        }
        double sum = 0;
        try (GradMode ignored = Autograd.noGrad()) {
            for (int start = 0; start < m; start += VALIDATION_CHUNK) {
                try (Scope s = Scope.open()) {
                    sum -= logProb.apply(data.slice(0, start, Math.min(m, start + VALIDATION_CHUNK))).sum().item();
                }
            }
        }
        return sum / m;
    }
}
