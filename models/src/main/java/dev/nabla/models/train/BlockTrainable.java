package dev.nabla.models.train;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Stochastic;

import java.util.Map;

/**
 * A {@link Trainable} for a model that is one {@link Block} (put several networks under one parent
 * block, as a GAN's generator and discriminator) trained on a {@link Dataset}: the loop draws the
 * batches from the data set ({@link Dataset#batch}), checkpoints the block's state, restores its
 * generators and switches its train/eval mode. Without a data set ({@code null}) the updates draw their
 * own data from batches of rows without tensors.
 */
public final class BlockTrainable implements Trainable {
    /** The validation loss of a model, with gradients off. */
    @FunctionalInterface
    public interface Validation {
        /** The loss; {@code random} is seeded afresh for each call. */
        double loss(int batchSize, Generator random);
    }

    private final Block model;
    private final Dataset train;
    private final Validation validation;
    private final TensorFactory tensors;

    /**
     * @param model      the model; it must have a parameter
     * @param train      the training examples, or null when the updates draw their own data
     * @param validation the validation loss, or null for none
     */
    public BlockTrainable(Block model, Dataset train, Validation validation) {
        if (model.namedParameters().isEmpty()) {
            throw new IllegalArgumentException("BlockTrainable: the model has no parameters to train");
        }
        this.model = model;
        this.train = train;
        this.validation = validation;
        this.tensors = model.namedParameters().values().iterator().next().factory();
    }

    /** The model. */
    public Block model() {
        return model;
    }

    @Override
    public int trainingSize() {
        return train == null ? 0 : train.size();
    }

    @Override
    public Batch trainingBatch(int[] indices) {
        return train.batch(tensors, indices);
    }

    @Override
    public double validationLoss(int batchSize, Generator random) {
        return validation == null ? Double.NaN : validation.loss(batchSize, random);
    }

    @Override
    public Map<String, Tensor> state() {
        return model.state();
    }

    @Override
    public void loadState(Map<String, Tensor> values) {
        model.loadState(values);
    }

    @Override
    public Map<String, Stochastic> randomSources() {
        return Stochastic.find(model);
    }

    @Override
    public void train(boolean training) {
        model.train(training);
    }

    @Override
    public TensorFactory tensors() {
        return tensors;
    }
}
