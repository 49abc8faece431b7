package dev.nabla.models.train;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.density.DensityModel;
import dev.nabla.models.nn.Block;

import java.util.Map;

/**
 * Maximum likelihood: minimise the average negative log-likelihood of the data,
 * <pre>
 *   L(θ) = -(1/B) Σ_{i ∈ batch} log p_θ(x_i)
 * </pre>
 * over a training set, validated on a held-out set with the same formula over all of it. When the
 * model is a {@link Block} its buffers are checkpointed too and its train/eval mode is switched.
 */
public final class MleObjective implements Objective {
    private final DensityModel model;
    private final Dataset train;
    private final Dataset validation;
    private final TensorFactory f;

    /**
     * @param model      the density model
     * @param train      the training examples
     * @param validation the held-out examples, or null
     */
    public MleObjective(DensityModel model, Dataset train, Dataset validation) {
        if (model.namedParameters().isEmpty()) {
            throw new IllegalArgumentException("mle: the model has no parameters to train");
        }
        if (train.size() < 1) {
            throw new IllegalArgumentException("mle: the training set is empty");
        }
        this.model = model;
        this.train = train;
        this.validation = validation;
        this.f = model.namedParameters().values().iterator().next().factory();
    }

    @Override
    public int trainingSize() {
        return train.size();
    }

    @Override
    public Tensor loss(int[] batch, int batchSize, Generator random) {
        return model.logProb(train.batch(f, batch)).mean().neg();
    }

    @Override
    public double validationLoss(int batchSize, Generator random) {
        if (validation == null || validation.size() == 0) {
            return Double.NaN;
        }
        int[] all = Batches.sequential(validation.size());
        double sum = 0;
        for (int b = 0; b < Batches.count(all.length, batchSize, false); b++) {
            try (Scope s = Scope.open()) {
                sum += model.logProb(validation.batch(f, Batches.batch(all, batchSize, b))).to(
                        dev.nabla.api.types.DType.FLOAT64).sum().item();
            }
        }
        return -sum / all.length;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return model.namedParameters();
    }

    @Override
    public Map<String, Tensor> state() {
        return model instanceof Block b ? b.state() : model.namedParameters();
    }

    @Override
    public void loadState(Map<String, Tensor> values) {
        if (model instanceof Block b) {
            b.loadState(values);
        } else {
            Objective.super.loadState(values);
        }
    }

    @Override
    public Map<String, dev.nabla.models.nn.Stochastic> randomSources() {
        return model instanceof Block b ? dev.nabla.models.nn.Stochastic.find(b) : Map.of();
    }

    @Override
    public void train(boolean training) {
        if (model instanceof Block b) {
            b.train(training);
        }
    }

    @Override
    public TensorFactory tensors() {
        return f;
    }
}
