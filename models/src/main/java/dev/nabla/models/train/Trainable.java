package dev.nabla.models.train;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Batch;
import dev.nabla.models.nn.Stochastic;

import java.util.Map;

/**
 * What a {@link TrainingLoop} trains, apart from its {@link Update}s: the training data it batches, the
 * validation it runs, the state its checkpoints keep, the generators the model draws from and its
 * train/eval switch. {@link BlockTrainable} is one for a {@link dev.nabla.models.nn.Block} over a
 * {@link dev.nabla.models.data.Dataset}; an {@link Objective} is one with a single loss of its own.
 */
public interface Trainable {
    /**
     * The number of training examples the loop shuffles and batches, or 0 when the model draws its
     * own data (distillation samples from the student, a GAN may draw only noise); then the loop runs
     * {@link TrainingOptions#stepsPerEpoch()} steps per epoch and hands the updates batches of
     * {@link TrainingOptions#batchSize()} rows without tensors.
     */
    int trainingSize();

    /**
     * The batch of the training examples at {@code indices}. The default is a batch without tensors
     * that carries the indices, for objectives that read their data themselves.
     */
    default Batch trainingBatch(int[] indices) {
        return Batch.indices(indices);
    }

    /**
     * The validation loss (no gradients are recorded), or NaN when there is nothing to validate on.
     * {@code random} is freshly seeded for every call, so successive validations are comparable.
     */
    default double validationLoss(int batchSize, Generator random) {
        return Double.NaN;
    }

    /** Everything a checkpoint must hold to restore the trained model (parameters and buffers), by name. */
    Map<String, Tensor> state();

    /**
     * Restores {@link #state()} strictly: every entry, matching shapes and dtypes, no other entry.
     *
     * @throws IllegalArgumentException naming the first missing, unexpected or mismatched entry
     */
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
     * The state of the run besides the model, the optimizers and the generators that a checkpoint must
     * keep for an exact resume, by name: a language model's hidden state carried from one window of the
     * stream to the next. Empty by default (and whenever nothing is carried).
     */
    default Map<String, Tensor> runState() {
        return Map.of();
    }

    /**
     * Restores {@link #runState()} from a checkpoint ({@link TrainingLoop#resume}); an empty map means
     * the checkpoint carried none. By default only an empty map is accepted.
     *
     * @throws IllegalArgumentException naming an entry that does not fit
     */
    default void loadRunState(Map<String, Tensor> values) {
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("loadRunState: this model keeps no run state, the checkpoint has "
                    + values.keySet());
        }
    }

    /**
     * The generators the model draws from while training (its dropout layers), by name; a checkpoint
     * saves their states so a resume is exact. Empty by default.
     */
    default Map<String, Stochastic> randomSources() {
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

    /** The factory tensors are made on. */
    TensorFactory tensors();
}
