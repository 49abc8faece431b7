package dev.nabla.models.train;

import java.util.Map;

/**
 * Callbacks from a {@link TrainingLoop}, all optional. They run on the training thread between
 * steps, so they may read the model but must not hold on to per-step tensors. A progress bar, a
 * metrics log, early stopping and checkpoint policies are listeners.
 */
public interface TrainingListener {
    /** Before the first step (also after a resume). */
    default void onStart(TrainingLoop loop) {
    }

    /** After optimizer step {@code step} (1-based, global across epochs) with that step's loss. */
    default void onStep(long step, double loss) {
    }

    /** After a validation pass at {@code step}, during or at the end of epoch {@code epoch} (1-based). */
    default void onValidation(long step, int epoch, double loss) {
    }

    /** After epoch {@code epoch} (1-based) completes, with its metrics ({@code train_loss}, {@code val_loss}, {@code lr}). */
    default void onEpochEnd(int epoch, Map<String, Double> metrics) {
    }

    /** Asked after every step and epoch; {@code true} ends training cleanly (a checkpoint is written if configured). */
    default boolean shouldStop() {
        return false;
    }

    /** After the last step, whether training completed or was stopped. */
    default void onEnd(dev.nabla.api.train.TrainingReport report) {
    }
}
