package dev.nabla.models.train;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;

import java.util.Map;

/**
 * A {@link Trainable} with one scalar loss per batch over a fixed set of trainable parameters: the
 * common case, trained by {@link TrainingLoop#TrainingLoop(Objective, dev.nabla.models.optim.Optimizer, TrainingOptions)}
 * as a single update. The maximum-likelihood and distillation objectives of the flows family are
 * objectives; a regression is a few lines. A loss with named parts (an ELBO's {@code recon} and
 * {@code kl}) overrides {@link #lossWithParts}; several updates (a GAN) are written as {@link Update}s
 * over a {@link Trainable} instead.
 */
public interface Objective extends Trainable {
    /**
     * The loss for one step: a scalar that requires grad. {@code batch} holds the example indices
     * (null when {@link #trainingSize()} is 0, then {@code batchSize} says how many samples to draw);
     * {@code random} is the loop's sampling generator, whose state checkpoints save.
     */
    Tensor loss(int[] batch, int batchSize, Generator random);

    /**
     * The loss for one step with named parts ({@link Loss#with}) that the loop reports beside it (a VAE's
     * {@code recon} and {@code kl}); what the loop calls. By default {@link #loss} without parts.
     */
    default Loss lossWithParts(int[] batch, int batchSize, Generator random) {
        return Loss.of(loss(batch, batchSize, random));
    }

    /** The parameters the optimizer updates, by name. */
    Map<String, Tensor> parameters();

    /** The parameters (and nothing else) by default. */
    @Override
    default Map<String, Tensor> state() {
        return parameters();
    }

    /** The factory of the first parameter. */
    @Override
    default TensorFactory tensors() {
        return parameters().values().iterator().next().factory();
    }
}
