package dev.nabla.launcher.command;

import dev.nabla.api.train.TrainingReport;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.optim.Optimizer;
import dev.nabla.models.train.TrainingListener;

import java.nio.file.Path;
import java.util.Map;

/**
 * Keeps a run's {@value RunDirectory#BEST}: each time a validation loss is lower than every one before
 * it (in this session and, after {@code --resume}, the earlier ones), the model's parameters and buffers
 * at that step are saved there, atomically ({@link Checkpoint#save}: a temporary file renamed over the
 * old one). It holds no optimizer state: it is for {@code eval}, {@code sample} and {@code serve}, not
 * for resuming. A non-finite validation loss never counts as better.
 */
final class BestCheckpoint implements TrainingListener {
    private final Path file;
    private final FamilyModel model;
    private final Map<String, Object> modelConfig;
    private double best;

    /**
     * @param best the best validation loss of earlier sessions ({@code NaN} if none)
     */
    BestCheckpoint(Path file, FamilyModel model, Map<String, Object> modelConfig, double best) {
        this.file = file;
        this.model = model;
        this.modelConfig = modelConfig;
        this.best = best;
    }

    @Override
    public void onStep(long step, double loss) {
    }

    @Override
    public synchronized void onValidation(long step, int epoch, double loss) {
        if (!Double.isFinite(loss) || (!Double.isNaN(best) && loss >= best)) {
            return;
        }
        best = loss;
        Checkpoint.of(model.state(), (Optimizer) null, step, epoch, 0, modelConfig, Map.of(), Map.of("val_loss", loss))
                .save(file);
    }

    @Override
    public void onEnd(TrainingReport report) {
    }

    /** The lowest validation loss saved so far ({@code NaN} if none). */
    synchronized double best() {
        return best;
    }
}
