package dev.nabla.models.recurrent.lm;

import dev.nabla.models.data.TextData;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.data.TokenStream;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.nn.Stochastic;
import dev.nabla.models.train.Objective;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Truncated backpropagation through time for a {@link CharLanguageModel}: the mean next-character
 * cross-entropy (nats) of one window of {@code bptt} steps per row,
 * <pre>
 *   L = −(1 / (B·T)) Σ_{r &lt; B} Σ_{t &lt; T} log p(x_{r, t+1} | x_{r, ≤ t}, h_r),
 * </pre>
 * where {@code h_r}, the state the window starts from, is the state row {@code r} ended the previous
 * window with, detached: its value is carried, its graph is not, so gradients flow back at most
 * {@code T} steps. The training stream is cut by {@link TokenStream#windows(int, int)} into {@code B}
 * rows (the batch size) whose windows the loop takes in order ({@code shuffle} off), so row {@code r} of
 * each batch continues row {@code r} of the one before; the first window of an epoch starts from zeros.
 * Full BPTT is {@code bptt} = the length of a row minus one (one window per row).
 *
 * <p>The carried state is the run's own state ({@link #runState()}): checkpoints keep it, so a resumed
 * run continues bit for bit. It lives in two sets of tensors outside every scope that take turns: the
 * step writes its final state into the set the current graph does not read, since the backward pass,
 * which runs after this method returns, still needs the values the window started from.
 */
public final class LanguageModelObjective implements Objective {
    private final CharLanguageModel model;
    private final Dataset windows;
    private final TextData validation;
    private final int rows;
    private final int bptt;
    private final TensorFactory f;
    private List<Tensor> carryIn;    // the state the next window starts from (when carried)
    private List<Tensor> carryOut;   // the other set, written by the next step
    private boolean carried;

    /**
     * @param model      the model
     * @param train      the training stream
     * @param validation the validation split, or null
     * @param rows       the batch size: the number of rows the stream is cut into
     * @param bptt       the window length {@code T}
     * @throws IllegalArgumentException if the stream holds no window of {@code bptt} per row (naming the numbers)
     */
    public LanguageModelObjective(CharLanguageModel model, TokenStream train, TextData validation, int rows, int bptt) {
        this.model = model;
        this.windows = train.windows(rows, bptt);
        this.validation = validation;
        this.rows = rows;
        this.bptt = bptt;
        this.f = model.namedParameters().values().iterator().next().factory();
    }

    /** The number of windows of the training stream ({@code rows × windows per row}). */
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
        if (batch == null || batch.length != rows || batch[0] % rows != 0) {
            throw new IllegalArgumentException("lm: a batch must be one window of each of the " + rows
                    + " rows, in order (the loop's shuffle off and batch size " + rows + "), got "
                    + (batch == null ? "none" : batch.length + " examples from " + batch[0]));
        }
        boolean first = batch[0] / rows == 0;
        Batch b = windows.batch(f, batch);
        CharLanguageModel.State start = first || !carried ? model.initialState(rows) : state(carryIn);
        CharLanguageModel.Output out = model.forward(b.get(TokenStream.INPUT), start);
        Tensor loss = Losses.crossEntropy(out.logits(), b.get(TokenStream.TARGET).reshape(rows * bptt));
        carry(out.state());
        return loss;
    }

    /** Copies {@code end} into the set the graph does not read, then makes it the one the next window reads. */
    private void carry(CharLanguageModel.State end) {
        List<Tensor> values = end.tensors();
        if (carryOut == null) {
            carryOut = fresh(values);
        } else {
            for (int i = 0; i < values.size(); i++) {
                carryOut.get(i).assign(values.get(i));
            }
        }
        List<Tensor> t = carryIn;
        carryIn = carryOut;
        carryOut = t;
        carried = true;
    }

    private static List<Tensor> fresh(List<Tensor> values) {
        List<Tensor> out = new ArrayList<>(values.size());
        for (Tensor v : values) {
            out.add(v.detach().toParameter().requiresGrad(false));
        }
        return out;
    }

    private static CharLanguageModel.State state(List<Tensor> tensors) {
        return new CharLanguageModel.State(tensors);
    }

    /** The mean validation cross-entropy in nats per character ({@link LanguageModels#nats}). */
    @Override
    public double validationLoss(int batchSize, Generator random) {
        return validation == null ? Double.NaN : LanguageModels.nats(model, validation.stream(), bptt).mean();
    }

    /** The carried state, {@code carry.I} in the order of the layers' state tensors; empty before the first step. */
    @Override
    public Map<String, Tensor> runState() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        if (carried) {
            for (int i = 0; i < carryIn.size(); i++) {
                m.put("carry." + i, carryIn.get(i));
            }
        }
        return m;
    }

    /** Restores {@link #runState()}; an empty map means no state is carried (the next window starts from zeros). */
    @Override
    public void loadRunState(Map<String, Tensor> values) {
        if (values.isEmpty()) {
            carried = false;
            return;
        }
        CharLanguageModel.State zero = model.initialState(rows);
        List<Tensor> shapes = zero.tensors();
        if (values.size() != shapes.size()) {
            throw new IllegalArgumentException("lm: the checkpoint carries " + values.size() + " state tensors, the model "
                    + shapes.size() + " (" + rows + " rows)");
        }
        List<Tensor> in = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            Tensor v = values.get("carry." + i);
            if (v == null || !v.shape().equals(shapes.get(i).shape()) || v.dtype() != shapes.get(i).dtype()) {
                throw new IllegalArgumentException("lm: the checkpoint's carried state 'carry." + i + "' is "
                        + (v == null ? "missing" : v.describe()) + ", expected " + shapes.get(i).describe()
                        + " (was it trained with another batch size?)");
            }
            in.add((v.backend() == f.backend() ? v : f.copyOf(v)).detach().toParameter().requiresGrad(false));
        }
        zero.tensors().forEach(Tensor::close);
        release();
        carryIn = in;
        carried = true;
    }

    private void release() {
        for (List<Tensor> l : new ArrayList<>(java.util.Arrays.asList(carryIn, carryOut))) {
            if (l != null) {
                l.forEach(Tensor::close);
            }
        }
        carryIn = null;
        carryOut = null;
    }

    /** Frees the carried state when the run ends. */
    @Override
    public void end() {
        release();
        carried = false;
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
