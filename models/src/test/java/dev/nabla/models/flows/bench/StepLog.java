package dev.nabla.models.flows.bench;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.flows.density.DensityModel;
import dev.nabla.models.flows.density.MleObjective;
import dev.nabla.models.train.TrainingListener;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What the benchmark mains share: a {@link TrainingListener} printing the loss and the elapsed time at
 * the first step and every {@code every} steps, and the mean test log-likelihood computed exactly as
 * {@link MleObjective}'s validation computes it.
 */
final class StepLog implements TrainingListener {
    private final long every;
    private final String label;
    private final PrintStream out;
    private final long t0 = System.nanoTime();

    StepLog(long every, String label, PrintStream out) {
        this.every = Math.max(1, every);
        this.label = label;
        this.out = out;
    }

    @Override
    public void onStep(long step, double loss) {
        if (step == 1 || step % every == 0) {
            out.printf(Locale.ROOT, "step %5d  %s %.5f  (%.1f s)%n", step, label, loss, (System.nanoTime() - t0) / 1e9);
        }
    }

    @Override
    public void onValidation(long step, int epoch, double loss) {
        out.printf(Locale.ROOT, "step %5d  validation %s %.5f  (%.1f s)%n", step, label, loss,
                (System.nanoTime() - t0) / 1e9);
    }

    /** The mean of {@code log p(x)} over {@code data} in batches of 1024, without recording (the model's mode is the caller's). */
    static double meanLogProb(DensityModel model, Dataset data) {
        try (GradMode ignored = Nabla.noGrad()) {
            return -new MleObjective(model, data, data).validationLoss(1024, null);
        }
    }
}
