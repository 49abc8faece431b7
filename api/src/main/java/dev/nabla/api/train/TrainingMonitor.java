package dev.nabla.api.train;

/**
 * Where a {@link Trainer} reports progress and learns that it should stop, for callers (a command
 * line, a service) that know nothing of the trainer's own listener types. A caller hands one in as the
 * plan part {@value #PART}; a trainer reports every optimisation step, and stops cleanly (returning a
 * report of what it did) as soon as {@link #stopRequested()} turns true.
 */
public interface TrainingMonitor {
    /** The {@link TrainingPlan} part under which callers pass a monitor. */
    String PART = "monitor";

    /** A monitor that ignores everything and never asks to stop. */
    TrainingMonitor NONE = (step, loss) -> {
    };

    /** After optimisation step {@code step} (1-based) with that step's training loss. */
    void step(long step, double loss);

    /** After a validation pass at {@code step}, with the validation loss. */
    default void validation(long step, double loss) {
    }

    /** True once the caller wants training to end (e.g. on Ctrl-C); checked between steps. */
    default boolean stopRequested() {
        return false;
    }

    /** The monitor in {@code plan}'s part {@value #PART}, or {@link #NONE} if it has none. */
    static TrainingMonitor of(TrainingPlan plan) {
        return plan.parts().get(PART) instanceof TrainingMonitor m ? m : NONE;
    }
}
