package dev.nabla.models.train;

import java.util.List;

/**
 * A model that brings its own {@link Update}s — optimizers, losses and cadence — to the {@code updates}
 * trainer ({@link UpdatesTrainer}): a GAN's discriminator and generator, each with its own Adam, the
 * generator stepped every {@code k}-th step. The trainer adds only the loop's options (epochs, batch
 * size, clipping, checkpoints, exact resume with every optimizer's state).
 *
 * @param trainable what the loop trains (data, state, generators, train/eval switch)
 * @param updates   the updates in the order they run in a step; the first must run every step
 */
public record UpdatePlan(Trainable trainable, List<Update> updates) {
    /** Copies the list; requires a trainable and an update. */
    public UpdatePlan {
        if (trainable == null || updates == null || updates.isEmpty()) {
            throw new IllegalArgumentException("UpdatePlan: needs a trainable and at least one update");
        }
        updates = List.copyOf(updates);
    }
}
