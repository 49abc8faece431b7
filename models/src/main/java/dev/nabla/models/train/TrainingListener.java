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

    /** After training step {@code step} (1-based, global across epochs) with that step's loss. */
    default void onStep(long step, double loss) {
    }

    /**
     * After training step {@code step} with its loss and its named parts (the parts the updates' losses
     * report, and each update's loss by name when there are several; empty for a plain one-update run).
     * The loop calls this; the default forwards to {@link #onStep(long, double)}.
     */
    default void onStep(long step, double loss, Map<String, Double> parts) {
        onStep(step, loss);
    }

    /** After a validation pass at {@code step}, during or at the end of epoch {@code epoch} (1-based). */
    default void onValidation(long step, int epoch, double loss) {
    }

    /**
     * After epoch {@code epoch} (1-based) completes, with its metrics: {@code train_loss}, {@code val_loss},
     * {@code lr}, the epoch means of the steps' named parts, and {@code lr_UPDATE} for each update when
     * there are several.
     */
    default void onEpochEnd(int epoch, Map<String, Double> metrics) {
    }

    /** Asked after every step and epoch; {@code true} ends training cleanly (a checkpoint is written if configured). */
    default boolean shouldStop() {
        return false;
    }

    /**
     * The listener's own state that a checkpoint must keep so that a resumed run behaves as an
     * uninterrupted one (e.g. early stopping's best loss and count of validations without
     * improvement); empty (the default) for stateless listeners. Only finite values are stored: a
     * non-finite value is left out, so {@link #loadState} must treat a missing key as its initial value.
     *
     * @return the state by name; never null
     */
    default Map<String, Double> state() {
        return Map.of();
    }

    /**
     * Restores what {@link #state()} returned when the checkpoint was written; called by
     * {@link TrainingLoop#run()} after {@link TrainingLoop#resume}, before {@link #onStart}. The
     * default ignores it.
     *
     * @param state the saved state (finite values only; keys whose value was not finite are missing)
     */
    default void loadState(Map<String, Double> state) {
    }

    /** After the last step, whether training completed or was stopped. */
    default void onEnd(dev.nabla.api.train.TrainingReport report) {
    }
}
