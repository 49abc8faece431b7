package dev.nabla.models.train;

import dev.nabla.api.spi.Config;
import dev.nabla.api.train.TrainingPlan;

import java.util.Map;
import java.util.Set;

/**
 * The {@code "objective"} trainer: minimises the {@link Objective} the plan hands it as part
 * {@code "objective"} — a model's own loss (a regression's mean squared error, an autoencoder's
 * reconstruction error) — with the {@link LoopTrainer} settings (optimizer, schedule, clipping,
 * early stopping, checkpoints). A model family whose models train by their own loss names this
 * trainer as their default and hands it the objective, so the family needs no trainer of its own.
 */
public final class ObjectiveTrainer extends LoopTrainer {
    /** The trainer's name. */
    public static final String NAME = "objective";

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
        return Set.of();
    }

    @Override
    protected Objective objective(TrainingPlan plan, Config s) {
        return plan.part("objective", Objective.class);
    }
}
