package dev.nabla.models.serve;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.flows.density.Sample;
import dev.nabla.models.flows.TransformedDistribution;

/**
 * The one place a {@link Predictor} touches a model family: a density model's {@code logProb} and
 * {@code sample} with their log-probabilities, its dimension, dtype and backend. Today a flow
 * ({@link TransformedDistribution}); another family's model gets an adapter of its own.
 */
final class DensityAdapter implements AutoCloseable {
    private final TransformedDistribution model;
    private final TensorFactory tensors;
    private final DType dtype;

    private DensityAdapter(TransformedDistribution model, TensorFactory tensors, DType dtype) {
        this.model = model;
        this.tensors = tensors;
        this.dtype = dtype;
    }

    /** The adapter of {@code model}, switched to evaluation mode (which only reads its state). */
    static DensityAdapter of(TransformedDistribution model) {
        Tensor any = model.namedParameters().values().stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("predictor: the model has no parameters"));
        model.eval();
        return new DensityAdapter(model, TensorFactory.on(any.backend()), any.dtype());
    }

    int dim() {
        return model.dim();
    }

    DType dtype() {
        return dtype;
    }

    TensorFactory tensors() {
        return tensors;
    }

    Tensor logProb(Tensor x) {
        return model.logProb(x);
    }

    Sample sample(int n, Generator random) {
        return model.sampleWithLogProb(n, random);
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return model.getClass().getSimpleName();
    }
}
