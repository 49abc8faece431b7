package dev.nabla.models.flows.density;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.data.Dataset;

import java.util.stream.IntStream;

/**
 * Maximum likelihood: minimise the average negative log-likelihood of the data,
 * <pre>
 *   L(θ) = -(1/B) Σ_{i ∈ batch} log p_θ(x_i)
 * </pre>
 * over a training set, validated on a held-out set with the same formula over all of it. When the
 * model is a {@link dev.nabla.models.nn.Block} its buffers are checkpointed too and its train/eval mode is switched.
 */
public final class MleObjective extends ModelObjective {
    private final DensityModel model;
    private final Dataset train;
    private final Dataset validation;

    /**
     * @param model      the density model
     * @param train      the training examples
     * @param validation the held-out examples, or null
     */
    public MleObjective(DensityModel model, Dataset train, Dataset validation) {
        super("mle", "model", model);
        if (train.size() < 1) {
            throw new IllegalArgumentException("mle: the training set is empty");
        }
        this.model = model;
        this.train = train;
        this.validation = validation;
    }

    @Override
    public int trainingSize() {
        return train.size();
    }

    @Override
    public Tensor loss(int[] batch, int batchSize, Generator random) {
        return model.logProb(train.batch(tensors(), batch).get(Dataset.X)).mean().neg();
    }

    @Override
    public double validationLoss(int batchSize, Generator random) {
        if (validation == null || validation.size() == 0) {
            return Double.NaN;
        }
        return -chunkedMean(validation.size(), batchSize,
                (from, to) -> model.logProb(validation.batch(tensors(), IntStream.range(from, to).toArray()).get(Dataset.X)));
    }
}
