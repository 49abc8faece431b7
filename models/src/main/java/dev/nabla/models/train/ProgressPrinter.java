package dev.nabla.models.train;

import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** Prints the loss (and its named parts) every {@code every} steps and each epoch's metrics to a line sink (e.g. {@code System.out::println}). */
public final class ProgressPrinter implements TrainingListener {
    private final long every;
    private final Consumer<String> out;

    /** Prints every {@code every} steps (at least 1) to {@code out}. */
    public ProgressPrinter(long every, Consumer<String> out) {
        if (every < 1) {
            throw new IllegalArgumentException("ProgressPrinter: every must be >= 1, got " + every);
        }
        this.every = every;
        this.out = out;
    }

    /** A step without named parts (what a trainer outside the model library reports). */
    @Override
    public void onStep(long step, double loss) {
        onStep(step, loss, java.util.Map.of());
    }

    @Override
    public void onStep(long step, double loss, Map<String, Double> parts) {
        if (step % every == 0) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "step %d  loss %.6g", step, loss));
            parts.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %s %.6g", k, v)));
            out.accept(b.toString());
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> metrics) {
        StringBuilder b = new StringBuilder("epoch ").append(epoch);
        new java.util.TreeMap<>(metrics).forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %s %.6g", k, v)));
        out.accept(b.toString());
    }
}
