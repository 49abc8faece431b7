package dev.nabla.api.train;

import java.util.Map;

/**
 * The outcome of {@link Trainer#train}: how far it got and the final metrics.
 *
 * @param steps   optimisation steps taken
 * @param epochs  epochs completed
 * @param metrics final metric values by name (e.g. {@code "train_loss"}, {@code "val_loss"})
 */
public record TrainingReport(long steps, int epochs, Map<String, Double> metrics) {
    /** Copies the metrics. */
    public TrainingReport {
        metrics = Map.copyOf(metrics);
    }
}
