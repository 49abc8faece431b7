package dev.nabla.models.recurrent.lm;

import dev.nabla.api.spi.Config;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.data.TokenStream;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.family.DataSpec;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.ModelSpec;
import dev.nabla.models.family.SequenceDataSets;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.loss.Reduction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The character-level language models of the recurrent family and their data: {@code char-rnn},
 * {@code char-lstm} and {@code char-gru} ({@link CharLanguageModel} over the cell of that name) on
 * {@value DataCatalog#TINY_SHAKESPEARE}, split by position into the first 90 % (training), the next 5 %
 * (validation) and the last 5 % (test), encoded with the vocabulary of the whole text's characters.
 *
 * <p>Keys (defaults): {@code embedding} (64), {@code hidden} (256), {@code layers} (1), {@code dropout}
 * (0, between layers), {@code bptt} (64, the window of truncated backpropagation through time; also the
 * window of evaluation), and for {@code char-rnn} {@code nonlinearity} ({@code tanh} or {@code relu}).
 *
 * <p>Bits per character ({@link #nats}) are measured over a whole split cut into {@value #EVAL_ROWS}
 * rows (fewer for a short split) of consecutive {@code bptt}-step windows, the state carried from
 * window to window, so they do not depend on a batch size: {@code bits/char = nats/char / ln 2}.
 */
public final class LanguageModels {
    /** The rows a split is cut into for evaluation. */
    public static final int EVAL_ROWS = 32;
    /** The largest {@code embedding} and {@code hidden}. */
    public static final int MAX_WIDTH = 8192;
    /** The most {@code layers}. */
    public static final int MAX_LAYERS = 16;
    /** The longest {@code bptt}. */
    public static final int MAX_BPTT = SequenceDataSets.MAX_WINDOW;

    private LanguageModels() {
    }

    private static Map<String, Object> keys(boolean rnn) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("embedding", 64);
        k.put("hidden", 256);
        k.put("layers", 1);
        k.put("dropout", 0.0);
        k.put("bptt", 64);
        if (rnn) {
            k.put("nonlinearity", "tanh");
        }
        return k;
    }

    /** The models: {@code char-rnn}, {@code char-lstm}, {@code char-gru}. */
    public static final List<ModelSpec> MODELS = List.of(
            new ModelSpec("char-rnn", "character-level language model, vanilla RNN (tanh or relu)",
                    List.of(DataCatalog.TINY_SHAKESPEARE), keys(true), (r, k) -> build("char-rnn", r, k)),
            new ModelSpec("char-lstm", "character-level language model, LSTM",
                    List.of(DataCatalog.TINY_SHAKESPEARE), keys(false), (r, k) -> build("char-lstm", r, k)),
            new ModelSpec("char-gru", "character-level language model, GRU",
                    List.of(DataCatalog.TINY_SHAKESPEARE), keys(false), (r, k) -> build("char-gru", r, k)));

    /** The data: {@value DataCatalog#TINY_SHAKESPEARE}, split as {@link SequenceDataSets} says. */
    public static final List<DataSpec> DATASETS = List.of(SequenceDataSets.TINY_SHAKESPEARE_SPEC);

    private static CharModel build(String name, ModelRequest r, Config k) {
        Vocabulary vocabulary = SequenceDataSets.vocabulary(r, "vocabulary");
        int embedding = k.intIn("embedding", 1, MAX_WIDTH, 64);
        int hidden = k.intIn("hidden", 1, MAX_WIDTH, 256);
        int layers = k.intIn("layers", 1, MAX_LAYERS, 1);
        double dropout = k.doubleIn("dropout", 0, Math.nextDown(1.0), 0);
        int bptt = k.intIn("bptt", 1, MAX_BPTT, 64);
        CharLanguageModel.Cell cell = switch (name) {
            case "char-rnn" -> k.oneOf("nonlinearity", "tanh", List.of("tanh", "relu")).equals("relu")
                    ? CharLanguageModel.Cell.RNN_RELU : CharLanguageModel.Cell.RNN_TANH;
            case "char-lstm" -> CharLanguageModel.Cell.LSTM;
            default -> CharLanguageModel.Cell.GRU;
        };
        CharLanguageModel m = new CharLanguageModel(r.tensors(), r.random(), vocabulary.size(), embedding, hidden, cell,
                layers, dropout);
        return new CharModel(name, m, vocabulary, bptt);
    }

    /**
     * The summed cross-entropy of a split, in nats, and the number of characters it covers.
     *
     * @param sum   Σ −log p(x_{t+1} | x_{≤t}) over the covered positions
     * @param count the positions covered
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
     * The cross-entropy of {@code model} over {@code stream}, in evaluation mode and without gradients:
     * the stream cut into {@value #EVAL_ROWS} rows (fewer when too short, at least one) of consecutive
     * windows of {@code bptt} steps (shorter when the stream is), the state carried from window to window
     * and starting from zeros, summed in float64. The tokens past the last whole window of each row are left out.
     *
     * @throws IllegalArgumentException if the stream has fewer than two tokens
     */
    public static Nats nats(CharLanguageModel model, TokenStream stream, int bptt) {
        int n = stream.length();
        if (n < 2) {
            throw new IllegalArgumentException("lm: a text of " + n + " characters has no next character to predict");
        }
        int seq = Math.min(bptt, n - 1);
        int rows = Math.max(1, Math.min(EVAL_ROWS, n / (seq + 1)));
        Dataset windows = stream.windows(rows, seq);
        TensorFactory f = model.namedParameters().values().iterator().next().factory();
        boolean training = model.isTraining();
        model.train(false);
        double sum = 0;
        long count = 0;
        try (GradMode ignored = Autograd.noGrad(); Scope outer = Scope.open()) {
            CharLanguageModel.State state = model.initialState(rows);
            for (int b = 0; b < windows.size() / rows; b++) {
                int[] idx = new int[rows];
                for (int r = 0; r < rows; r++) {
                    idx[r] = b * rows + r;
                }
                CharLanguageModel.State next;
                try (Scope s = Scope.open()) {
                    Batch batch = windows.batch(f, idx);
                    CharLanguageModel.Output out = model.forward(batch.get(TokenStream.INPUT), state);
                    Tensor ce = Losses.crossEntropy(out.logits(), batch.get(TokenStream.TARGET).reshape(rows * seq),
                            Integer.MIN_VALUE, Reduction.NONE);
                    for (double v : ce.to(DType.FLOAT64).toDoubleArray()) {
                        sum += v;
                    }
                    count += (long) rows * seq;
                    next = out.state();
                    next.tensors().forEach(Tensor::keep);   // into the outer scope; the rest of the window is freed
                }
                state.tensors().forEach(Tensor::close);
                state = next;
            }
        } finally {
            model.train(training);
        }
        return new Nats(sum, count);
    }
}
