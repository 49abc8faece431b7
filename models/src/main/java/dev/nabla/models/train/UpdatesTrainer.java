package dev.nabla.models.train;

import dev.nabla.api.spi.Config;
import dev.nabla.api.train.TrainingPlan;

import java.util.Map;
import java.util.Set;

/**
 * The {@code "updates"} trainer: runs the {@link UpdatePlan} the plan hands it as part {@code "updates"}
 * — a model's own list of {@link Update}s, each with its optimizer, loss and cadence (a GAN's two
 * players) — with the {@link LoopTrainer} loop settings (batch size, {@code maxSteps}, clipping,
 * validation cadence, checkpoints, exact resume of every optimizer). The optimizer settings
 * ({@code optimizer}, {@code lr}, {@code beta1}, …) and the schedule settings do not apply: the updates
 * carry their optimizers (a family reads their settings from its own model keys, so a checkpoint's
 * {@code model_config} rebuilds the same ones on resume). A model that draws its own data
 * ({@link Trainable#trainingSize()} 0) needs {@code stepsPerEpoch}.
 */
public final class UpdatesTrainer extends LoopTrainer {
    /** The trainer's name. */
    public static final String NAME = "updates";
    /** The plan part it reads. */
    public static final String PART = "updates";

    /**
     * Refuses a trainer other than this one for a model that trains only by its own updates: one line
     * naming the model, this trainer and the one asked for.
     *
     * @throws IllegalArgumentException when {@code trainer} is not {@value #NAME}
     */
    public static void requireFor(String model, String trainer, String what) {
        if (!NAME.equals(trainer)) {
            throw new IllegalArgumentException("model '" + model + "' trains with trainer '" + NAME + "' (" + what
                    + "), not '" + trainer + "'");
        }
    }

    /** A trainer with default settings that the plan's settings may extend. */
    public UpdatesTrainer(Map<String, Object> settings) {
        super(settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected Set<String> extraKeys() {
        return Set.of("stepsPerEpoch");
    }

    /** There is no single objective: the updates each have a loss of their own. */
    @Override
    protected Objective objective(TrainingPlan plan, Config s) {
        throw new IllegalArgumentException(NAME + ": the plan's updates each have their own loss; there is no single objective");
    }

    @Override
    protected TrainingLoop loop(TrainingPlan plan, Config s, TrainingOptions options) {
        UpdatePlan p = plan.part(PART, UpdatePlan.class);
        return new TrainingLoop(p.trainable(), p.updates(), options);
    }
}
