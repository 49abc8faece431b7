package dev.nabla.models.family;

import java.util.List;

/**
 * What {@code nabla eval} reports for a model: named measures, the first being the headline
 * {@code nabla train} prints for the test split ({@code test log-likelihood -2.46 nats}).
 *
 * @param metrics the measures, headline first (at least one)
 * @param summary one human-readable line ({@code "mean log-likelihood -2.461 nats, -1.230 nats/dim"})
 */
public record Evaluation(List<Metric> metrics, String summary) {
    /** Copies the list; requires a metric. */
    public Evaluation {
        metrics = List.copyOf(metrics);
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("Evaluation: needs at least one metric");
        }
    }

    /**
     * One measure.
     *
     * @param key   the name of its {@code key=value} line for scripts ({@code log_likelihood})
     * @param name  what it is, for people ({@code log-likelihood})
     * @param value the value
     * @param unit  its unit ({@code nats}, {@code bits/dim}, {@code %}), or empty
     */
    public record Metric(String key, String name, double value, String unit) {
    }

    /** The headline metric. */
    public Metric headline() {
        return metrics.getFirst();
    }
}
