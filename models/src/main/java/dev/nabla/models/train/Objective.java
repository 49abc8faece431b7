package dev.nabla.models.train;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;

import java.util.Map;

/**
 * What a {@link TrainingLoop} minimises: a scalar loss per batch, over a fixed set of trainable
 * parameters. {@link MleObjective} and {@link DistillObjective} are the two in this package; a VAE or
 * a regression is a few lines more.
 */
public interface Objective {
    /**
     * The number of training examples the loop shuffles and batches, or 0 when the objective draws
     * its own data (distillation samples from the student); then the loop runs a fixed number of
     * steps per epoch.
     */
    int trainingSize();

    /**
     * The loss for one step: a scalar that requires grad. {@code batch} holds the example indices
     * (null when {@link #trainingSize()} is 0, then {@code batchSize} says how many samples to draw);
     * {@code random} is the loop's sampling generator, whose state checkpoints save.
     */
    Tensor loss(int[] batch, int batchSize, Generator random);

    /**
     * The validation loss (no gradients are recorded), or NaN when there is nothing to validate on.
     * {@code random} is freshly seeded for every call, so successive validations are comparable.
     */
    default double validationLoss(int batchSize, Generator random) {
        return Double.NaN;
    }

    /** The parameters the optimizer updates, by name. */
    Map<String, Tensor> parameters();

    /** Everything a checkpoint must hold to restore the trained model (parameters and buffers). */
    default Map<String, Tensor> state() {
        return parameters();
    }

    /** Restores {@link #state()} strictly (every entry, matching shapes). */
    default void loadState(Map<String, Tensor> values) {
        Map<String, Tensor> own = state();
        for (String k : own.keySet()) {
            if (!values.containsKey(k)) {
                throw new IllegalArgumentException("loadState: missing '" + k + "'; given: " + values.keySet());
            }
        }
        for (String k : values.keySet()) {
            if (!own.containsKey(k)) {
                throw new IllegalArgumentException("loadState: unexpected entry '" + k + "'; expected: " + own.keySet());
            }
        }
        own.forEach((k, t) -> {
            Tensor v = values.get(k);
            if (!v.shape().equals(t.shape()) || v.dtype() != t.dtype()) {
                throw new IllegalArgumentException("loadState: '" + k + "' is " + v.describe() + ", expected " + t.describe());
            }
        });
        own.forEach((k, t) -> t.assign(values.get(k).backend() == t.backend() ? values.get(k)
                : t.factory().copyOf(values.get(k))));
    }

    /**
     * The generators the model draws from while training (its dropout layers), by name; a checkpoint
     * saves their states so a resume is exact. Empty by default.
     */
    default Map<String, dev.nabla.models.nn.Stochastic> randomSources() {
        return Map.of();
    }

    /** Switches the model between training and evaluation behaviour (dropout, batch norm). */
    default void train(boolean training) {
    }

    /** Called once before the first step of a run (e.g. to freeze a teacher). */
    default void begin() {
    }

    /** Called once after the last step of a run, also when it failed. */
    default void end() {
    }

    /** The factory tensors are made on: that of the first parameter. */
    default TensorFactory tensors() {
        return parameters().values().iterator().next().factory();
    }
}
