package dev.nabla.launcher.report;

import dev.nabla.api.train.TrainingReport;
import dev.nabla.models.train.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressState;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Shows training progress. On a terminal ({@link Mode#BAR}) one line that fits the terminal's width
 * ({@link #barLine}): the percentage, a bar, the step count, steps per second, the ETA, the running loss,
 * the last validation loss and the loss's named parts, dropping the least useful pieces first when the
 * terminal is narrow so the bar keeps a useful width and no value is cut. Elsewhere ({@link Mode#LINES},
 * for logs and pipes) plain lines at a readable rate: one when the step crosses a multiple of
 * {@code every} steps, but at most one per {@value #MIN_SECONDS} seconds, at least one per
 * {@value #MAX_SECONDS} seconds, and always the last step when training ends (with the last validation loss in the line, not
 * a line per validation); {@link Mode#NONE} shows nothing. The loss shown, and each named part of it, is
 * an exponential moving average (α = 0.05) so the display does not flicker.
 */
public final class ProgressDisplay implements TrainingListener {
    /** Plain lines come at most this often, in seconds (the last step's always comes). */
    public static final int MIN_SECONDS = 2;
    /** Plain lines come at least this often, in seconds, while steps are made. */
    public static final int MAX_SECONDS = 30;
    /** The fewest characters of bar worth drawing. */
    static final int MIN_BAR = 10;
    /** The most characters of bar on a wide terminal. */
    static final int MAX_BAR = 50;

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
    private final int columns;
    private final LongSupplier nanos;
    private final long startNanos;
    private ProgressBar bar;
    private long firstStep = -1;
    private long lastStep;
    private long lastLineStep = -1;
    private long lastLineNanos;
    private boolean validatedSinceLine;
    private double smoothed = Double.NaN;
    private double lastValidation = Double.NaN;
    private final Map<String, Double> smoothedParts = new java.util.LinkedHashMap<>();

    /**
     * A display for a run of {@code totalSteps} steps (0 if unknown), as wide as the terminal.
     *
     * @param every for {@link Mode#LINES}, the steps between lines (rate limits aside)
     */
    public ProgressDisplay(Mode mode, PrintStream out, long totalSteps, long every) {
        this(mode, out, totalSteps, every, 0, System::nanoTime);
    }

    /**
     * A display with a given width and clock (for tests).
     *
     * @param columns the width of the bar's line ({@code 0}: the terminal's)
     * @param nanos   the clock, in nanoseconds
     */
    public ProgressDisplay(Mode mode, PrintStream out, long totalSteps, long every, int columns, LongSupplier nanos) {
        this.mode = mode;
        this.out = out;
        this.totalSteps = totalSteps;
        this.every = Math.max(1, every);
        this.columns = columns;
        this.nanos = nanos;
        this.startNanos = nanos.getAsLong();
        this.lastLineNanos = startNanos;
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
                ConsoleProgressBarConsumer consumer = columns > 0 ? new ConsoleProgressBarConsumer(out, columns)
                        : new ConsoleProgressBarConsumer(out);   // the terminal's width, asked each time it draws
                bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalSteps > 0 ? totalSteps : -1)
                        .setUpdateIntervalMillis(250).setConsumer(consumer).setRenderer(this::render)
                        .startsFrom(firstStep, Duration.ZERO).build();
            }
        }
        lastStep = step;
        smoothed = Double.isNaN(smoothed) || !Double.isFinite(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
        switch (mode) {
            case BAR -> {
                if (bar != null) {
                    bar.stepTo(step);
                }
            }
            case LINES -> {
                long now = nanos.getAsLong();
                double since = (now - lastLineNanos) / 1e9;
                boolean milestone = step / every > Math.max(0, lastLineStep) / every;
                if ((totalSteps <= 0 || step < totalSteps) && (milestone && since >= MIN_SECONDS || since >= MAX_SECONDS)) {   // the last in onEnd
                    printLine(now);
                }
            }
            case NONE -> {
            }
        }
    }

    private void printLine(long now) {
        out.println(line(lastStep, now));
        lastLineStep = lastStep;
        lastLineNanos = now;
        validatedSinceLine = false;
    }

    @Override
    public synchronized void onValidation(long step, int epoch, double loss) {
        lastValidation = loss;
        validatedSinceLine = true;
    }

    /** Closes the bar, or prints the last step's line if it has not been printed with its validation yet. */
    @Override
    public void onEnd(TrainingReport report) {
        ProgressBar closing;
        synchronized (this) {
            closing = bar;
            bar = null;
            if (mode == Mode.LINES && firstStep >= 0 && (lastLineStep != lastStep || validatedSinceLine)) {
                printLine(nanos.getAsLong());
            }
        }
        if (closing != null) {   // outside the lock: closing draws the last line, which takes it
            closing.close();
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> metrics) {
    }

    /** The bar's line for the library's drawing thread (reads the bar's state before taking this lock). */
    private String render(ProgressState state, int maxLength) {
        long current = state.getCurrent();
        long done = current - state.getStart();
        double seconds = state.getElapsedAfterStart().toNanos() / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        synchronized (this) {
            return barLine(maxLength, current, totalSteps, rate, seconds, smoothed, lastValidation,
                    new java.util.LinkedHashMap<>(smoothedParts));
        }
    }

    /**
     * The bar's line, at most {@code width - 1} characters (a terminal wraps a line that fills its last
     * column): {@code train  45% │█████▌    │ 540/1200 30.0/s ETA 0:12 loss 2.879 val 2.901 kl 0.300}.
     * When that is too long the named parts go first, then the rate, then the ETA, so the bar keeps at
     * least {@value #MIN_BAR} characters and the loss and validation loss are never cut; the bar grows with
     * the width up to {@value #MAX_BAR} characters. With {@code total} 0 (unknown) there is no bar.
     *
     * @param rate    steps per second
     * @param seconds seconds since the start (shown when the run is done)
     */
    public static String barLine(int width, long step, long total, double rate, double seconds, double loss,
            double validation, Map<String, Double> parts) {
        int room = Math.max(20, width - 1);
        List<String> optional = new ArrayList<>();   // dropped from the end first
        List<String> tail = new ArrayList<>();
        tail.add(total > 0 ? step + "/" + total : step + " steps");
        String rateText = String.format(Locale.ROOT, rate >= 100 ? "%.0f/s" : "%.1f/s", rate);
        String time = total > 0 && step >= total ? "in " + format(seconds)
                : total > 0 && rate > 0 ? "ETA " + format((total - step) / rate) : "";
        StringBuilder values = new StringBuilder();
        if (!Double.isNaN(loss)) {
            values.append(String.format(Locale.ROOT, "loss %.3f", loss));
        }
        if (!Double.isNaN(validation)) {
            values.append(values.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "val %.3f", validation));
        }
        StringBuilder partsText = new StringBuilder();
        parts.forEach((k, v) -> partsText.append(partsText.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%s %.3f", k, v)));
        // the order pieces appear in, and (reversed) the order they are dropped in
        String[] pieces = {time, rateText, partsText.toString()};
        boolean[] keep = {!time.isEmpty(), true, !partsText.isEmpty()};
        String head = total > 0 ? String.format(Locale.ROOT, "train %3d%% ", Math.min(100, 100 * step / total)) : "train ";
        int[] dropOrder = {2, 1, 0};
        for (int d = 0; ; d++) {
            String rest = rest(tail.getFirst(), pieces, keep, values.toString());
            int barRoom = room - head.length() - rest.length() - 3;   // two borders and a space
            if (total <= 0) {
                String line = head + rest.stripLeading();
                if (line.length() <= room || d >= dropOrder.length) {
                    return cut(line, room);
                }
            } else if (barRoom >= MIN_BAR || d >= dropOrder.length) {
                int n = Math.max(1, Math.min(MAX_BAR, barRoom));
                return cut(head + "│" + bar(n, (double) step / total) + "│ " + rest.stripLeading(), room);
            }
            keep[dropOrder[d]] = false;
        }
    }

    private static String rest(String count, String[] pieces, boolean[] keep, String values) {
        StringBuilder b = new StringBuilder(" ").append(count);
        if (keep[1]) {
            b.append(' ').append(pieces[1]);
        }
        if (keep[0]) {
            b.append(' ').append(pieces[0]);
        }
        if (!values.isEmpty()) {
            b.append(' ').append(values);
        }
        if (keep[2]) {
            b.append(' ').append(pieces[2]);
        }
        return b.toString();
    }

    private static String cut(String line, int room) {
        return line.length() <= room ? line : line.substring(0, room);
    }

    /** {@code n} characters of bar filled to {@code fraction}, in eighths of a character. */
    static String bar(int n, double fraction) {
        String eighths = " ▏▎▍▌▋▊▉";
        long filled = Math.round(Math.max(0, Math.min(1, fraction)) * n * 8);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            long e = Math.max(0, Math.min(8, filled - 8L * i));
            b.append(e == 8 ? '█' : eighths.charAt((int) e));
        }
        return b.toString();
    }

    private String line(long step, long now) {
        double seconds = (now - startNanos) / 1e9;
        long done = step - Math.max(0, firstStep);
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = totalSteps > 0 && rate > 0 && step < totalSteps ? String.format(Locale.ROOT, ", ETA %s",
                format(Math.max(0, (totalSteps - step) / rate))) : "";
        return String.format(Locale.ROOT, "step %d%s: loss %.4f%s%s (%.0f steps/s%s)", step,
                totalSteps > 0 ? "/" + totalSteps : "", smoothed, partsText("%s %.4f"),
                Double.isNaN(lastValidation) ? "" : String.format(Locale.ROOT, ", validation loss %.4f", lastValidation),
                rate, eta);
    }

    /** The smoothed named parts of the loss, each formatted with {@code format} after a space. */
    private String partsText(String format) {
        StringBuilder b = new StringBuilder();
        smoothedParts.forEach((k, v) -> b.append(' ').append(String.format(Locale.ROOT, format, k, v)));
        return b.toString();
    }

    /** {@code 75.4} → {@code "1:15"}. */
    static String format(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
