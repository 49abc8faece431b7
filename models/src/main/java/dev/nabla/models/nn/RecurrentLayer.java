package dev.nabla.models.nn;

import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The machinery shared by the recurrent sequence layers {@link RNN}, {@link LSTM} and {@link GRU}, which
 * work like PyTorch's {@code nn.RNN}, {@code nn.LSTM} and {@code nn.GRU}: a stack of
 * {@link RecurrentOptions#numLayers() numLayers} layers, each running a cell over the whole sequence
 * (forwards, and also backwards when bidirectional, the two outputs concatenated on the last axis),
 * each layer reading the previous one's output, with dropout between layers in training.
 *
 * <p><b>Parameters</b> carry PyTorch's state-dict keys, so a PyTorch state dict saved as safetensors
 * loads by name: for layer {@code k}, {@code weight_ih_lk [G·hidden, in_k]}, {@code weight_hh_lk
 * [G·hidden, hidden]}, {@code bias_ih_lk}, {@code bias_hh_lk [G·hidden]}, and the same with the suffix
 * {@code _reverse} for the backward direction; {@code G} is 1 (RNN), 4 (LSTM) or 3 (GRU),
 * {@code in_0 = inputSize} and {@code in_k = directions·hidden} above. Every parameter starts uniform in
 * {@code ±1/sqrt(hidden)}.
 *
 * <p><b>Shapes.</b> The input is {@code [batch, time, inputSize]} when batch-first, else {@code [time,
 * batch, inputSize]}; the output likewise with {@code directions·hidden} on the last axis. Initial and
 * final states are {@code [layers·directions, batch, hidden]} in either layout, indexed
 * {@code layer·directions + direction}; a missing initial state is zero.
 *
 * <p><b>Variable lengths</b> ({@link #forward(Tensor, Tensor, Object)}, PyTorch's packed sequences):
 * sequence {@code b} has {@code lengths[b]} valid steps, {@code 1 ≤ lengths[b] ≤ time}. Its outputs past
 * its length are exactly zero, its final state is the state after its last valid step, and the backward
 * direction starts from the initial state at its own last valid element {@code lengths[b] − 1}; steps
 * past the length do not affect any result, nor receive gradient.
 *
 * <p><b>Cost.</b> Per layer and direction the input projection of all steps is one matrix product
 * {@code [time·batch, in] × W_ihᵀ}; each step then adds only {@code h × W_hhᵀ} and the cell's
 * elementwise part. Without gradient recording ({@link dev.nabla.api.tensor.Autograd#noGrad()}) each
 * step's temporaries are released as soon as the step is done.
 *
 * @param <S> the state: {@link Tensor} {@code h}, or {@link LSTMState} {@code (h, c)}
 */
public abstract sealed class RecurrentLayer<S> extends Block permits RNN, LSTM, GRU {
    private final String name;
    private final int inputSize;
    private final int hiddenSize;
    private final RecurrentOptions options;
    private final int directions;
    private final Tensor[] weightIh;
    private final Tensor[] weightHh;
    private final Tensor[] biasIh;
    private final Tensor[] biasHh;
    private final Dropout dropout;

    RecurrentLayer(String name, int gates, TensorFactory f, Generator random, int inputSize, int hiddenSize,
                   RecurrentOptions options) {
        Objects.requireNonNull(options, name + ": options");
        Objects.requireNonNull(f, name + ": factory");
        Objects.requireNonNull(random, name + ": random");
        CellChecks.sizes(name, inputSize, hiddenSize, options.dtype());
        this.name = name;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.options = options;
        this.directions = options.bidirectional() ? 2 : 1;
        int n = options.numLayers() * directions;
        this.weightIh = new Tensor[n];
        this.weightHh = new Tensor[n];
        this.biasIh = new Tensor[n];
        this.biasHh = new Tensor[n];
        DType d = options.dtype();
        int g = gates * hiddenSize;
        for (int layer = 0; layer < options.numLayers(); layer++) {
            int in = layer == 0 ? inputSize : directions * hiddenSize;
            for (int dir = 0; dir < directions; dir++) {
                int k = layer * directions + dir;
                String suffix = "_l" + layer + (dir == 1 ? "_reverse" : "");
                weightIh[k] = parameter("weight_ih" + suffix, CellChecks.uniform(f, random, hiddenSize, d, g, in));
                weightHh[k] = parameter("weight_hh" + suffix, CellChecks.uniform(f, random, hiddenSize, d, g,
                        hiddenSize));
                if (options.bias()) {
                    biasIh[k] = parameter("bias_ih" + suffix, CellChecks.uniform(f, random, hiddenSize, d, g));
                    biasHh[k] = parameter("bias_hh" + suffix, CellChecks.uniform(f, random, hiddenSize, d, g));
                }
            }
        }
        this.dropout = options.dropout() > 0 && options.numLayers() > 1
                ? child("dropout", new Dropout(options.dropout(), random.split())) : null;
    }

    /** One step of the cell: from this step's input projection {@code x·W_ihᵀ + b_ih} and the state. */
    abstract S step(Tensor inputProjection, S state, Tensor weightHh, Tensor biasHh);

    /** The output {@code h} of a state. */
    abstract Tensor output(S state);

    /** The tensors of a state ({@code [h]} or {@code [h, c]}). */
    abstract List<Tensor> stateTensors(S state);

    /** The state made of {@code tensors}. */
    abstract S stateOf(List<Tensor> tensors);

    /**
     * Runs the layers over full-length sequences from the zero state.
     *
     * @param input {@code [batch, time, inputSize]} (batch-first) or {@code [time, batch, inputSize]}
     * @return the output and the final states
     * @throws ShapeException naming the input's shape if it does not fit
     */
    public RecurrentOutput<S> forward(Tensor input) {
        return forward(input, null, null);
    }

    /**
     * Runs the layers over full-length sequences.
     *
     * @param input   {@code [batch, time, inputSize]} (batch-first) or {@code [time, batch, inputSize]}
     * @param initial the initial state, each tensor {@code [layers·directions, batch, hidden]}; null for zeros
     * @return the output and the final states
     * @throws ShapeException naming the shape that does not fit
     */
    public RecurrentOutput<S> forward(Tensor input, S initial) {
        return forward(input, null, initial);
    }

    /**
     * Runs the layers over sequences of different lengths (see the class comment for the semantics).
     *
     * @param input   {@code [batch, time, inputSize]} (batch-first) or {@code [time, batch, inputSize]}
     * @param lengths int32 or int64 {@code [batch]}, each in {@code [1, time]}; null for full lengths
     * @param initial the initial state, each tensor {@code [layers·directions, batch, hidden]}; null for zeros
     * @return the output and the final states
     * @throws ShapeException           naming the shape that does not fit
     * @throws IllegalArgumentException naming a length out of range
     */
    public RecurrentOutput<S> forward(Tensor input, Tensor lengths, S initial) {
        DType dtype = weightIh[0].dtype();
        String op = name + ".forward";
        checkInput(op, input, dtype);
        Tensor x = options.batchFirst() ? input.transpose(0, 1) : input;    // [T, B, in]
        int steps = x.dim(0);
        int batch = x.dim(1);
        int[] len = lengths == null ? null : checkLengths(op, lengths, batch, steps);
        List<Tensor> init = initial == null ? null : checkInitial(op, initial, batch, dtype);
        TensorFactory f = x.factory();
        // per step: null when every sequence takes it, else the bool and float masks [B, 1]
        Tensor[] keepMask = new Tensor[steps];
        Tensor[] outMask = new Tensor[steps];
        if (len != null) {
            for (int t = 0; t < steps; t++) {
                boolean[] active = new boolean[batch];
                double[] activeF = new double[batch];
                boolean all = true;
                for (int b = 0; b < batch; b++) {
                    active[b] = len[b] > t;
                    activeF[b] = active[b] ? 1 : 0;
                    all &= active[b];
                }
                if (!all) {
                    keepMask[t] = f.of(active, batch, 1);
                    outMask[t] = f.of(activeF, batch, 1).to(dtype);
                }
            }
        }
        int layers = options.numLayers();
        int stateCount = stateSize();
        List<List<Tensor>> finals = new ArrayList<>();
        for (int j = 0; j < stateCount; j++) {
            finals.add(new ArrayList<>());
        }
        Tensor zero = init == null ? f.zeros(dtype, batch, hiddenSize) : null;
        for (int layer = 0; layer < layers; layer++) {
            List<Tensor> outs = new ArrayList<>(directions);
            int in = x.dim(2);
            for (int dir = 0; dir < directions; dir++) {
                int k = layer * directions + dir;
                Tensor proj = x.reshape(steps * batch, in).linear(weightIh[k], biasIh[k]).reshape(steps, batch, -1);
                List<Tensor> s0 = new ArrayList<>(stateCount);
                for (int j = 0; j < stateCount; j++) {
                    s0.add(init == null ? zero : init.get(j).select(0, k));
                }
                S state = stateOf(s0);
                Tensor[] out = new Tensor[steps];
                boolean tidy = !GradMode.isEnabled();
                for (int i = 0; i < steps; i++) {
                    int t = dir == 0 ? i : steps - 1 - i;
                    Scope scope = tidy ? Scope.open() : null;
                    try {
                        S next = step(proj.select(0, t), state, weightHh[k], biasHh[k]);
                        Tensor h;
                        if (keepMask[t] == null) {
                            state = next;
                            h = output(next);
                        } else {
                            List<Tensor> a = stateTensors(next);
                            List<Tensor> b = stateTensors(state);
                            List<Tensor> merged = new ArrayList<>(a.size());
                            for (int j = 0; j < a.size(); j++) {
                                merged.add(Tensor.where(keepMask[t], a.get(j), b.get(j)));
                            }
                            state = stateOf(merged);
                            h = output(next).mul(outMask[t]);
                        }
                        if (scope != null) {
                            for (Tensor s : stateTensors(state)) {
                                scope.keep(s);
                            }
                            scope.keep(h);
                        }
                        out[t] = h;
                    } finally {
                        if (scope != null) {
                            scope.close();
                        }
                    }
                }
                outs.add(Tensor.stack(Arrays.asList(out), 0));
                List<Tensor> fin = stateTensors(state);
                for (int j = 0; j < stateCount; j++) {
                    finals.get(j).add(fin.get(j));
                }
            }
            x = directions == 1 ? outs.getFirst() : Tensor.concat(outs, 2);
            if (dropout != null && layer < layers - 1) {
                x = dropout.forward(x);
            }
        }
        Tensor output = options.batchFirst() ? x.transpose(0, 1) : x;
        List<Tensor> state = new ArrayList<>(stateCount);
        for (List<Tensor> parts : finals) {
            state.add(Tensor.stack(parts, 0));
        }
        return new RecurrentOutput<>(output, stateOf(state));
    }

    /** Number of tensors in a state: 1, or 2 for an LSTM. */
    abstract int stateSize();

    private void checkInput(String op, Tensor input, DType dtype) {
        Objects.requireNonNull(input, op + ": input");
        String layout = options.batchFirst() ? "[batch, time, " + inputSize + "] (batch-first)"
                : "[time, batch, " + inputSize + "] (time-first)";
        if (input.rank() != 3 || input.dim(2) != inputSize) {
            throw new ShapeException(op + ": input must be " + layout + ", got " + input.shape());
        }
        if (input.dim(0) == 0 || input.dim(1) == 0) {
            throw new ShapeException(op + ": input must have at least one sequence and one step, got "
                    + input.shape());
        }
        if (input.dtype() != dtype) {
            throw new DTypeException(op + ": input " + input.describe() + " must have the parameters' dtype "
                    + dtype);
        }
    }

    private static int[] checkLengths(String op, Tensor lengths, int batch, int steps) {
        if (lengths.rank() != 1 || lengths.dim(0) != batch || !lengths.dtype().isInteger()) {
            throw new ShapeException(op + ": lengths must be int32 or int64 [" + batch + "] (one per sequence), got "
                    + lengths.describe());
        }
        long[] raw = lengths.toLongArray();
        int[] len = new int[batch];
        for (int b = 0; b < batch; b++) {
            if (raw[b] < 1 || raw[b] > steps) {
                throw new IllegalArgumentException(op + ": lengths[" + b + "] = " + raw[b] + " is out of range [1, "
                        + steps + "] for " + steps + " time steps");
            }
            len[b] = (int) raw[b];
        }
        return len;
    }

    private List<Tensor> checkInitial(String op, S initial, int batch, DType dtype) {
        List<Tensor> ts = stateTensors(initial);
        Shape expected = Shape.of(options.numLayers() * directions, batch, hiddenSize);
        String[] names = ts.size() == 1 ? new String[] {"h_0"} : new String[] {"h_0", "c_0"};
        for (int j = 0; j < ts.size(); j++) {
            Tensor t = Objects.requireNonNull(ts.get(j), op + ": initial " + names[j]);
            if (!t.shape().equals(expected)) {
                throw new ShapeException(op + ": initial " + names[j] + " must be [layers·directions, batch, hidden] = "
                        + expected + ", got " + t.shape());
            }
            if (t.dtype() != dtype) {
                throw new DTypeException(op + ": initial " + names[j] + " " + t.describe()
                        + " must have the parameters' dtype " + dtype);
            }
        }
        return ts;
    }

    /** Size of the input's last axis. */
    public int inputSize() {
        return inputSize;
    }

    /** Size of {@code h} (each direction's share of the output's last axis). */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** The options this layer was built with. */
    public RecurrentOptions options() {
        return options;
    }

    /** 2 when bidirectional, else 1. */
    public int directions() {
        return directions;
    }

    /** Size of the output's last axis, {@code directions·hidden}. */
    public int outputSize() {
        return directions * hiddenSize;
    }

    @Override
    public String toString() {
        RecurrentOptions o = options;
        return name + "(" + inputSize + ", " + hiddenSize + describeExtra()
                + (o.numLayers() != 1 ? ", num_layers=" + o.numLayers() : "")
                + (o.bias() ? "" : ", bias=false") + (o.batchFirst() ? ", batch_first=true" : "")
                + (o.dropout() != 0 ? ", dropout=" + o.dropout() : "")
                + (o.bidirectional() ? ", bidirectional=true" : "") + ")";
    }

    /** Extra options for {@link #toString()}, e.g. the nonlinearity. */
    String describeExtra() {
        return "";
    }
}
