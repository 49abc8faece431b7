package dev.nabla.launcher.report;

import dev.nabla.api.train.TrainingReport;
import dev.nabla.models.train.TrainingListener;

import dev.nabla.models.checkpoint.AtomicFiles;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The losses of one run as training reports them: every step's training loss and its named parts (a
 * VAE's {@code recon} and {@code kl}, a GAN's {@code d_loss} and {@code g_loss}), and every validation,
 * each with its global step. Written as {@code metrics.csv} and drawn by {@link Plots#lossCurve}. A
 * resumed run records from the step it resumed at.
 */
public final class RunHistory implements TrainingListener {
    /**
     * One recorded value.
     *
     * @param step the global optimisation step
     * @param loss the loss at that step
     */
    public record Point(long step, double loss) {
    }

    private final List<Point> train = new ArrayList<>();
    private final java.util.Map<String, List<Point>> parts = new java.util.LinkedHashMap<>();
    private final List<Point> validation = new ArrayList<>();

    /** A step without named parts (what a trainer outside the model library reports). */
    @Override
    public void onStep(long step, double loss) {
        onStep(step, loss, java.util.Map.of());
    }

    @Override
    public synchronized void onStep(long step, double loss, java.util.Map<String, Double> stepParts) {
        train.add(new Point(step, loss));
        stepParts.forEach((k, v) -> parts.computeIfAbsent(k, x -> new ArrayList<>()).add(new Point(step, v)));
    }

    @Override
    public synchronized void onValidation(long step, int epoch, double loss) {
        validation.add(new Point(step, loss));
    }

    @Override
    public void onEnd(TrainingReport report) {
    }

    /** The training losses, in step order. */
    public synchronized List<Point> train() {
        return List.copyOf(train);
    }

    /** The named parts of the training loss, each in step order, by name in the order first seen. */
    public synchronized java.util.Map<String, List<Point>> parts() {
        java.util.Map<String, List<Point>> m = new java.util.LinkedHashMap<>();
        parts.forEach((k, v) -> m.put(k, List.copyOf(v)));
        return m;
    }

    /** The validation losses, in step order. */
    public synchronized List<Point> validation() {
        return List.copyOf(validation);
    }

    /**
     * Writes {@code step,train_loss,val_loss} rows, then one column per named part of the loss (a
     * validation shares the row of its step; an empty cell where a value is missing), atomically
     * ({@link AtomicFiles}).
     */
    public void writeCsv(Path file) {
        List<Point> t = train();
        List<Point> v = validation();
        java.util.Map<String, List<Point>> p = parts();
        java.util.Map<String, java.util.Map<Long, Double>> byStep = new java.util.LinkedHashMap<>();
        p.forEach((k, points) -> {
            java.util.Map<Long, Double> m = new java.util.HashMap<>();
            points.forEach(x -> m.put(x.step(), x.loss()));
            byStep.put(k, m);
        });
        AtomicFiles.write(file, stream -> {
            Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            StringBuilder header = new StringBuilder("step,train_loss,val_loss");
            p.keySet().forEach(k -> header.append(',').append(k));
            w.write(header.append('\n').toString());
            int j = 0;
            for (Point point : t) {
                while (j < v.size() && v.get(j).step() < point.step()) {
                    w.write(String.format(Locale.ROOT, "%d,,%.6f%s%n", v.get(j).step(), v.get(j).loss(), ",".repeat(p.size())));
                    j++;
                }
                String val = "";
                if (j < v.size() && v.get(j).step() == point.step()) {
                    val = String.format(Locale.ROOT, "%.6f", v.get(j).loss());
                    j++;
                }
                StringBuilder extra = new StringBuilder();
                for (java.util.Map<Long, Double> m : byStep.values()) {
                    Double x = m.get(point.step());
                    extra.append(',').append(x == null ? "" : String.format(Locale.ROOT, "%.6f", x));
                }
                w.write(String.format(Locale.ROOT, "%d,%.6f,%s%s%n", point.step(), point.loss(), val, extra));
            }
            for (; j < v.size(); j++) {
                w.write(String.format(Locale.ROOT, "%d,,%.6f%s%n", v.get(j).step(), v.get(j).loss(), ",".repeat(p.size())));
            }
            w.flush();
        });
    }
}
