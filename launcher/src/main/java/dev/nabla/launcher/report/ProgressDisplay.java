package dev.nabla.launcher.report;

import dev.nabla.api.train.TrainingReport;
import dev.nabla.models.train.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Shows training progress. On a terminal ({@link Mode#BAR}) a progress bar with the step count, steps
 * per second, ETA, the running loss and the last validation loss; elsewhere ({@link Mode#LINES}, for
 * logs and pipes) one line every {@code every} steps and one per validation; {@link Mode#NONE} shows
 * nothing. The loss shown, and each named part of it, is an exponential moving average (α = 0.05) so the
 * bar does not flicker.
 */
public final class ProgressDisplay implements TrainingListener {
    /** How progress is shown. */
    public enum Mode {
        /** a progress bar (needs a terminal to look right) */
        BAR,
        /** plain lines */
        LINES,
        /** nothing */
        NONE;

        /** BAR when the JVM has a console, else LINES. */
        public static Mode auto() {
            return System.console() != null && System.console().isTerminal() ? BAR : LINES;
        }
    }

    private final Mode mode;
    private final PrintStream out;
    private final long totalSteps;
    private final long every;
    private final long startNanos = System.nanoTime();
    private ProgressBar bar;
    private long firstStep = -1;
    private double smoothed = Double.NaN;
    private double lastValidation = Double.NaN;
    private final java.util.Map<String, Double> smoothedParts = new java.util.LinkedHashMap<>();

    /**
     * A display for a run of {@code totalSteps} steps (0 if unknown).
     *
     * @param every for {@link Mode#LINES}, the steps between lines
     */
    public ProgressDisplay(Mode mode, PrintStream out, long totalSteps, long every) {
        this.mode = mode;
        this.out = out;
        this.totalSteps = totalSteps;
        this.every = Math.max(1, every);
    }

    @Override
    public synchronized void onStep(long step, double loss, Map<String, Double> parts) {
        parts.forEach((k, v) -> smoothedParts.merge(k, v, (old, x) -> Double.isFinite(old) ? 0.95 * old + 0.05 * x : x));
        onStep(step, loss);
    }

    @Override
    public synchronized void onStep(long step, double loss) {
        if (firstStep < 0) {
            firstStep = step - 1;
            if (mode == Mode.BAR) {
                bar = new ProgressBarBuilder().setTaskName("train").setMaxRenderedLength(120).setInitialMax(totalSteps > 0 ? totalSteps : -1)
                        .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                        .showSpeed().setUnit(" steps", 1).setConsumer(new ConsoleProgressBarConsumer(out))
                        .startsFrom(firstStep, Duration.ZERO).build();
            }
        }
        smoothed = Double.isNaN(smoothed) || !Double.isFinite(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
        switch (mode) {
            case BAR -> {
                bar.stepTo(step);
                bar.setExtraMessage(message());
            }
            case LINES -> {
                if (step % every == 0 || step == totalSteps) {
                    out.println(line(step));
                }
            }
            case NONE -> {
            }
        }
    }

    @Override
    public synchronized void onValidation(long step, int epoch, double loss) {
        lastValidation = loss;
        if (mode == Mode.BAR && bar != null) {
            bar.setExtraMessage(message());
        } else if (mode == Mode.LINES) {
            out.printf(Locale.ROOT, "step %d: validation loss %.4f%n", step, loss);
        }
    }

    @Override
    public synchronized void onEnd(TrainingReport report) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> metrics) {
    }

    private String message() {
        return String.format(Locale.ROOT, " loss %.3f%s%s", smoothed, partsText("%s %.3f"),
                Double.isNaN(lastValidation) ? "" : String.format(Locale.ROOT, " val %.3f", lastValidation));
    }

    /** The smoothed named parts of the loss, each formatted with {@code format} after a space. */
    private String partsText(String format) {
        StringBuilder b = new StringBuilder();
        smoothedParts.forEach((k, v) -> b.append(' ').append(String.format(Locale.ROOT, format, k, v)));
        return b.toString();
    }

    private String line(long step) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long done = step - Math.max(0, firstStep);
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = totalSteps > 0 && rate > 0 ? String.format(Locale.ROOT, ", ETA %s",
                format(Math.max(0, (totalSteps - step) / rate))) : "";
        return String.format(Locale.ROOT, "step %d%s: loss %.4f%s (%.0f steps/s%s)", step,
                totalSteps > 0 ? "/" + totalSteps : "", smoothed, partsText("%s %.4f"), rate, eta);
    }

    /** {@code 75.4} → {@code "1:15"}. */
    static String format(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
