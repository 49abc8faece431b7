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
 * resumed run first reads back the rows the earlier sessions wrote ({@link #restore}), so its
 * {@code metrics.csv} and {@code loss.png} hold the whole history.
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

    /**
     * Reads back the rows of an earlier session's {@code metrics.csv} (as {@link #writeCsv} wrote them)
     * up to and including step {@code upTo} (the step of the checkpoint a run resumes from; rows past it
     * were trained again and are dropped), before any step of this session is recorded. A missing file
     * restores nothing.
     *
     * @return the number of training rows restored
     * @throws java.io.UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException     naming the line that is not a metrics row
     */
    public synchronized int restore(Path csv, long upTo) {
        if (!java.nio.file.Files.isRegularFile(csv)) {
            return 0;
        }
        List<String> lines;
        try {
            lines = java.nio.file.Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            return 0;
        }
        String[] header = lines.getFirst().split(",", -1);
        if (header.length < 3 || !header[0].equals("step") || !header[1].equals("train_loss") || !header[2].equals("val_loss")) {
            throw new IllegalArgumentException(csv + ": not a metrics file (header " + lines.getFirst() + ")");
        }
        List<Point> t = new ArrayList<>();
        List<Point> v = new ArrayList<>();
        java.util.Map<String, List<Point>> p = new java.util.LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            long step;
            try {
                step = Long.parseLong(cells[0]);
                if (step > upTo) {
                    continue;
                }
                if (!cells[1].isEmpty()) {
                    t.add(new Point(step, Double.parseDouble(cells[1])));
                }
                if (cells.length > 2 && !cells[2].isEmpty()) {
                    v.add(new Point(step, Double.parseDouble(cells[2])));
                }
                for (int c = 3; c < Math.min(cells.length, header.length); c++) {
                    if (!cells[c].isEmpty()) {
                        p.computeIfAbsent(header[c], k -> new ArrayList<>()).add(new Point(step, Double.parseDouble(cells[c])));
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(csv + ", line " + (i + 1) + ": not a metrics row: " + line, e);
            }
        }
        train.addAll(0, t);
        validation.addAll(0, v);
        java.util.Map<String, List<Point>> merged = new java.util.LinkedHashMap<>(p);
        parts.forEach((k, points) -> merged.computeIfAbsent(k, x -> new ArrayList<>()).addAll(points));
        parts.clear();
        parts.putAll(merged);
        return t.size();
    }

    /**
     * The steps the history covers, for a picture's title: {@code "120 steps"} for a run recorded from
     * its first step, {@code "steps 5,481–6,000"} when the earlier rows are missing, and
     * {@code ", resumed at step 5,480"} after either when {@code resumedAt > 0}.
     */
    public synchronized String span(long resumedAt) {
        String resumed = resumedAt > 0 ? String.format(Locale.ROOT, ", resumed at step %,d", resumedAt) : "";
        if (train.isEmpty()) {
            return "no steps" + resumed;
        }
        long first = train.getFirst().step();
        long last = train.getLast().step();
        String steps = first <= 1 ? String.format(Locale.ROOT, "%,d steps", last)
                : String.format(Locale.ROOT, "steps %,d–%,d", first, last);
        return steps + resumed;
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
