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
 * The losses of one run as training reports them: every step's training loss and every validation,
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
    private final List<Point> validation = new ArrayList<>();

    @Override
    public synchronized void onStep(long step, double loss) {
        train.add(new Point(step, loss));
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

    /** The validation losses, in step order. */
    public synchronized List<Point> validation() {
        return List.copyOf(validation);
    }

    /**
     * Writes {@code step,train_loss,val_loss} rows (a validation shares the row of its step; an empty cell
     * where a value is missing), atomically ({@link AtomicFiles}).
     */
    public void writeCsv(Path file) {
        List<Point> t = train();
        List<Point> v = validation();
        AtomicFiles.write(file, stream -> {
            Writer w = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
            w.write("step,train_loss,val_loss\n");
            int j = 0;
            for (Point p : t) {
                while (j < v.size() && v.get(j).step() < p.step()) {
                    w.write(String.format(Locale.ROOT, "%d,,%.6f%n", v.get(j).step(), v.get(j).loss()));
                    j++;
                }
                String val = "";
                if (j < v.size() && v.get(j).step() == p.step()) {
                    val = String.format(Locale.ROOT, "%.6f", v.get(j).loss());
                    j++;
                }
                w.write(String.format(Locale.ROOT, "%d,%.6f,%s%n", p.step(), p.loss(), val));
            }
            for (; j < v.size(); j++) {
                w.write(String.format(Locale.ROOT, "%d,,%.6f%n", v.get(j).step(), v.get(j).loss()));
            }
            w.flush();
        });
    }
}
