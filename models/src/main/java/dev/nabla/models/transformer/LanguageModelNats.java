package dev.nabla.models.transformer;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.data.TokenStream;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.loss.Reduction;

/**
 * Bits per character of a {@link TransformerLm} over a text split. The protocol: the split is cut into
 * consecutive, non-overlapping windows of {@code context} characters ({@link TokenStream#windows} with one
 * row: window {@code i} reads characters {@code [i·T, (i+1)·T)} and predicts {@code [i·T + 1, (i+1)·T]}),
 * each window is read on its own from an empty context, and
 * <pre>
 *   nats/char = −(1/N) Σ_windows Σ_{t &lt; T} log p(x_{i·T+t+1} | x_{i·T}, …, x_{i·T+t}),   bits/char = nats/char / ln 2
 * </pre>
 * summed in float64 over the {@code N = T·⌊(L − 1)/T⌋} predicted characters (the tail past the last whole
 * window is left out). The first character of a window is predicted from one character of context, the
 * last from {@code T}: the mean over positions of a model that sees at most {@code T} characters, exactly
 * what its training loss averages. (The char-LSTM's protocol, {@code recurrent.lm.LanguageModels.nats},
 * carries its state across windows and so sees unbounded context; the two figures are comparable as
 * "next character given the model's context", not as the same conditional.)
 */
public final class LanguageModelNats {
    /** Windows per evaluation batch. */
    public static final int BATCH = 64;

    private LanguageModelNats() {
    }

    /**
     * The summed cross-entropy of a split, in nats, and the number of characters it covers.
     *
     * @param sum   Σ −log p over the covered characters
     * @param count the characters covered
     */
    public record Nats(double sum, long count) {
        /** Nats per character. */
        public double mean() {
            return sum / count;
        }

        /** Bits per character, {@code nats / ln 2}. */
        public double bits() {
            return mean() / Math.log(2);
        }
    }

    /**
     * The cross-entropy of {@code model} over {@code stream} by the protocol above, in evaluation mode and
     * without gradients.
     *
     * @throws IllegalArgumentException if the stream is shorter than one window and its next character
     */
    public static Nats nats(TransformerLm model, TokenStream stream) {
        int context = model.context();
        int n = stream.length();
        if (n < 2) {
            throw new IllegalArgumentException("transformer-lm: a text of " + n + " characters has no next character to predict");
        }
        int seq = Math.min(context, n - 1);
        Dataset windows = stream.windows(1, seq);
        TensorFactory f = model.tensors();
        boolean training = model.isTraining();
        model.train(false);
        double sum = 0;
        long count = 0;
        try (GradMode ignored = Autograd.noGrad()) {
            int[] order = Batches.sequential(windows.size());
            for (int k = 0; k < Batches.count(windows.size(), BATCH, false); k++) {
                try (Scope s = Scope.open()) {
                    int[] idx = Batches.batch(order, BATCH, k);
                    Batch b = windows.batch(f, idx);
                    Tensor logits = model.forward(b.get(TokenStream.INPUT));
                    Tensor ce = Losses.crossEntropy(logits.reshape(idx.length * seq, model.vocabulary()),
                            b.get(TokenStream.TARGET).reshape(idx.length * seq), Integer.MIN_VALUE, Reduction.NONE);
                    for (double v : ce.to(DType.FLOAT64).toDoubleArray()) {
                        sum += v;
                    }
                    count += (long) idx.length * seq;
                }
            }
        } finally {
            model.train(training);
        }
        return new Nats(sum, count);
    }
}
