package dev.nabla.models.train;

import dev.nabla.api.spi.Config;
import dev.nabla.api.train.TrainingPlan;

import java.util.Map;
import java.util.Set;

/**
 * The {@code "objective"} trainer: minimises the {@link Objective} the plan hands it as part
 * {@code "objective"} — a model's own loss (a regression's mean squared error, an autoencoder's
 * reconstruction error) — with the {@link LoopTrainer} settings (optimizer, schedule, clipping,
 * early stopping, checkpoints), plus {@code stepsPerEpoch} for an objective that draws its own samples
 * ({@code trainingSize() == 0}, such as the copy task's fresh sequences). A model family whose models train by their own loss names this
 * trainer as their default and hands it the objective, so the family needs no trainer of its own.
 */
public final class ObjectiveTrainer extends LoopTrainer {
    /** The trainer's name. */
    public static final String NAME = "objective";

    /**
     * Refuses a trainer other than this one for a model that trains only on its own objective: one line
     * naming the model, this trainer and the one asked for.
     *
     * @param model   the model's name
     * @param trainer the trainer asked for ({@code --trainer})
     * @param what    what the objective is, for the message ("its ELBO")
     * @throws IllegalArgumentException when {@code trainer} is not {@value #NAME}
     */
    public static void requireFor(String model, String trainer, String what) {
        if (!NAME.equals(trainer)) {
            throw new IllegalArgumentException("model '" + model + "' trains with trainer '" + NAME + "' (" + what
                    + "), not '" + trainer + "'");
        }
    }

    /** A trainer with default settings that the plan's settings may extend. */
    public ObjectiveTrainer(Map<String, Object> settings) {
        super(settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    protected Set<String> extraKeys() {
        return Set.of("stepsPerEpoch");   // for an objective that draws its own samples (trainingSize 0)
    }

    @Override
    protected Objective objective(TrainingPlan plan, Config s) {
        return plan.part("objective", Objective.class);
    }
}
