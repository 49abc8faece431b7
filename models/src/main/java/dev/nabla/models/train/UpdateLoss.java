package dev.nabla.models.train;

import dev.nabla.api.tensor.Generator;
import dev.nabla.models.data.Batch;

/** The loss function of one {@link Update}: computed on the step's batch, inside the step's scope. */
@FunctionalInterface
public interface UpdateLoss {
    /**
     * The loss for one update.
     *
     * @param batch  the step's batch: the training examples the loop drew (typed tensors by name), or,
     *               when the trainable draws its own data, a batch of {@link dev.nabla.models.data.Batch#size()}
     *               rows without tensors; every update run in one step sees the same batch
     * @param random the loop's sampling generator (noise, dropout masks of the objective's own), whose
     *               state checkpoints save
     */
    Loss compute(Batch batch, Generator random);
}
