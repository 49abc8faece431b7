package dev.nabla.models.optim;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.nn.Names;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Updates a fixed, named set of parameters in place from their accumulated gradients. The names are
 * those of {@link dev.nabla.models.nn.Block#namedParameters()}, so optimizer state can be checkpointed
 * and restored next to the weights.
 *
 * <p>A training step is {@code zeroGrad(); loss.backward(); step();}. A parameter whose gradient is
 * null (it did not take part in the loss) is left alone.
 */
public abstract class Optimizer implements AutoCloseable {
    private final Map<String, Tensor> parameters;
    private double learningRate;
    private long steps;

    /**
     * An optimizer over {@code parameters}, each of which must be a parameter ({@link Tensor#toParameter()}).
     *
     * @param parameters   the parameters to update, by name; copied
     * @param learningRate the initial learning rate, positive
     */
    protected Optimizer(Map<String, Tensor> parameters, double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be positive and finite, got "
                    + learningRate);
        }
        for (var e : parameters.entrySet()) {
            if (!e.getValue().isParameter()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": '" + e.getKey()
                        + "' is not a parameter: " + e.getValue().describe());
            }
        }
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        this.learningRate = learningRate;
    }

    /** The parameters, by name, in a deterministic order. */
    public final Map<String, Tensor> parameters() {
        return parameters;
    }

    /** The current learning rate. */
    public final double learningRate() {
        return learningRate;
    }

    /** Sets the learning rate (schedules call this between steps). */
    public final void learningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be >= 0 and finite, got " + lr);
        }
        this.learningRate = lr;
    }

    /** Steps taken so far. */
    public final long steps() {
        return steps;
    }

    /** Sets the step counter (when restoring from a checkpoint). */
    protected final void steps(long steps) {
        this.steps = steps;
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : parameters.values()) {
            p.zeroGrad();
        }
    }

    /** Applies one update to every parameter that has a gradient. */
    public final void step() {
        steps++;
        update(steps);
    }

    /** The update rule; {@code t} is the 1-based step number. */
    protected abstract void update(long t);

    /**
     * The optimizer's per-parameter state (moments, velocities) by {@code paramName.slot}, for
     * checkpoints. Empty for stateless optimizers.
     */
    public Map<String, Tensor> state() {
        return Map.of();
    }

    /**
     * The optimizer's name as configuration spells it ({@code "adam"}, {@code "sgd"}, …); checkpoints
     * record it next to {@link #hyperParameters()}.
     */
    public String name() {
        return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** The hyper-parameters by PyTorch's names ({@code lr}, {@code betas} as {@code beta1}/{@code beta2}, …). */
    public Map<String, Double> hyperParameters() {
        return Map.of("lr", learningRate);
    }

    /**
     * Restores {@link #state()} values and the step counter. Strict: every entry must be present with
     * the parameter's shape and dtype, and no other entry may be given (state this optimizer does not
     * keep, such as momentum buffers given to SGD without momentum, would be silently dropped); nothing
     * is written unless all match. Values on another backend
     * are copied across.
     *
     * @throws IllegalArgumentException naming the first missing, mismatched or unexpected entry
     */
    public void loadState(Map<String, Tensor> state, long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": step count must be >= 0, got " + steps);
        }
        Map<String, Tensor> own = state();
        for (var e : own.entrySet()) {
            Tensor v = state.get(e.getKey());
            if (v == null) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer state '" + e.getKey()
                        + "' missing; given: " + Names.listed(state.keySet()));
            }
            if (!v.shape().equals(e.getValue().shape()) || v.dtype() != e.getValue().dtype()) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer state '" + e.getKey()
                        + "' is " + v.describe() + ", expected " + e.getValue().describe());
            }
        }
        for (String k : state.keySet()) {   // e.g. momentum buffers given to an optimizer without momentum
            if (!own.containsKey(k)) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": unexpected optimizer state '" + Names.abbreviated(k)
                        + "'; expected: " + Names.listed(own.keySet()));
            }
        }
        for (var e : own.entrySet()) {
            Tensor target = e.getValue();
            Tensor src = state.get(e.getKey());
            if (src.backend() == target.backend()) {
                target.assign(src);
            } else {
                try (dev.nabla.api.tensor.Scope ignored = dev.nabla.api.tensor.Scope.open()) {
                    target.assign(target.factory().copyOf(src));
                }
            }
        }
        steps(steps);
    }

    /** Releases the optimizer's state tensors (not the parameters). */
    @Override
    public void close() {
        state().values().forEach(Tensor::close);
    }
}
