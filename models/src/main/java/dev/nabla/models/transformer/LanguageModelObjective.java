package dev.nabla.models.transformer;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.data.TextData;
import dev.nabla.models.data.TokenStream;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.nn.Stochastic;
import dev.nabla.models.train.Objective;

import java.util.Map;

/**
 * The training loss of a {@link TransformerLm}: the training stream cut into non-overlapping windows of
 * {@code T = context} characters (window {@code i} reads {@code [i·T, (i+1)·T)} and predicts one later),
 * which the loop shuffles and batches, and for a batch of {@code B} windows the mean next-character
 * cross-entropy over every position,
 * <pre>
 *   L = −(1/(B·T)) Σ_b Σ_{t &lt; T} log p(x_{b, t+1} | x_{b, ≤ t})
 * </pre>
 * in one causal pass per window (no state crosses windows). Validation: {@link LanguageModelNats} on the
 * validation split, in nats per character.
 */
final class LanguageModelObjective implements Objective {
    private final TransformerLm model;
    private final Dataset windows;
    private final TextData validation;
    private final TensorFactory f;

    LanguageModelObjective(TransformerLm model, TokenStream train, TextData validation) {
        this.model = model;
        this.windows = train.windows(1, model.context());
        this.validation = validation;
        this.f = model.tensors();
    }

    @Override
    public int trainingSize() {
        return windows.size();
    }

    @Override
    public Batch trainingBatch(int[] indices) {
        return windows.batch(f, indices);
    }

    @Override
    public Tensor loss(int[] batch, int batchSize, Generator random) {
        Batch b = windows.batch(f, batch);
        Tensor logits = model.forward(b.get(TokenStream.INPUT));
        int n = batch.length * model.context();
        return Losses.crossEntropy(logits.reshape(n, model.vocabulary()), b.get(TokenStream.TARGET).reshape(n));
    }

    @Override
    public double validationLoss(int batchSize, Generator random) {
        return validation == null ? Double.NaN : LanguageModelNats.nats(model, validation.stream()).mean();
    }

    @Override
    public Map<String, Tensor> parameters() {
        return model.namedParameters();
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
        return f;
    }
}
