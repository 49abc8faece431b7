package dev.nabla.models.family;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.SequencePairs;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Stochastic;
import dev.nabla.models.train.Objective;
import java.util.Map;

/**
 * The teacher-forced objective of a model trained on {@link SequencePairs} (source → target, every translating
 * model): the training loss is the network's loss on a batch of pairs, and the validation loss is the
 * token-weighted mean over the validation pairs, in evaluation mode,
 * <pre>
 *   val = Σ_batches loss_b · n_b / Σ_batches n_b,    n_b = Σ_pairs (target length + 1)   (the end token counts)
 * </pre>
 * Each family passes how its network scores a batch ({@link PairLoss}); the validation pass asks for the loss
 * without training-only terms (label smoothing, a REINFORCE surrogate keeps its own reporting).
 */
public final class PairsObjective implements Objective {
    /** How a network scores a batch of pairs. */
    @FunctionalInterface
    public interface PairLoss {
        /**
         * The mean loss per target token of {@code pairs}.
         *
         * @param pairs      a batch of {@link SequencePairs}
         * @param validation true for the validation figure (without training-only terms such as label smoothing)
         * @param random     the step's generator
         * @return a scalar
         */
        Tensor loss(Batch pairs, boolean validation, Generator random);
    }

    private final Block net;
    private final SequencePairs train;
    private final SequencePairs validation;
    private final PairLoss loss;

    /**
     * @param net        the network trained (its parameters, state, random sources and mode)
     * @param train      the training pairs
     * @param validation the validation pairs
     * @param loss       how the network scores a batch
     */
    public PairsObjective(Block net, SequencePairs train, SequencePairs validation, PairLoss loss) {
        this.net = net;
        this.train = train;
        this.validation = validation;
        this.loss = loss;
    }

    @Override
    public int trainingSize() {
        return train.size();
    }

    @Override
    public Tensor loss(int[] batch, int batchSize, Generator random) {
        return loss.loss(train.batch(tensors(), batch), false, random);
    }

    @Override
    public double validationLoss(int batchSize, Generator random) {
        double sum = 0;
        long tokens = 0;
        boolean was = net.isTraining();
        net.train(false);   // evaluation mode even when called outside the training loop
        try {
            int[] order = Batches.sequential(validation.size());
            for (int k = 0; k < Batches.count(validation.size(), batchSize, false); k++) {
                try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                    Batch b = validation.batch(tensors(), Batches.batch(order, batchSize, k));
                    long n = 0;
                    for (long l : b.get(SequencePairs.TARGET_LENGTH).toLongArray()) {
                        n += l + 1;
                    }
                    sum += loss.loss(b, true, random).item() * n;
                    tokens += n;
                }
            }
        } finally {
            net.train(was);
        }
        return tokens == 0 ? Double.NaN : sum / tokens;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return net.namedParameters();
    }

    @Override
    public Map<String, Tensor> state() {
        return net.state();
    }

    @Override
    public Map<String, Stochastic> randomSources() {
        return Stochastic.find(net);
    }

    @Override
    public void train(boolean training) {
        net.train(training);
    }
}
