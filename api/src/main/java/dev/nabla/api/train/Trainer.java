package dev.nabla.api.train;

/**
 * A training strategy (maximum likelihood, ELBO, adversarial, distillation, distributed …): it owns
 * the loop over data for one kind of objective and reports progress to its listeners.
 *
 * <p>Trainers are built by name through {@link dev.nabla.api.spi.TrainerProvider}; their concrete
 * inputs (the model, data, optimizer) are described by the {@link TrainingPlan} the caller hands in.
 */
public interface Trainer {
    /** The strategy's name, e.g. {@code "mle"}. */
    String name();

    /**
     * Runs training to completion (or until a listener stops it) and reports the outcome.
     *
     * @throws dev.nabla.api.types.NablaException if the loss becomes NaN or infinite; the message names the step
     */
    TrainingReport train(TrainingPlan plan);
}
