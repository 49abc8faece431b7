package dev.nabla.launcher.report;

import dev.nabla.api.train.TrainingReport;
import dev.nabla.models.train.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
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
     * where a value is missing), atomically enough for a report: to a temporary file, then renamed.
     */
    public void writeCsv(Path file) {
        List<Point> t = train();
        List<Point> v = validation();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
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
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
