package dev.nabla.models.memory;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.LSTMCell;
import dev.nabla.models.nn.LSTMState;
import dev.nabla.models.nn.Linear;

import java.util.ArrayList;
import java.util.List;

/**
 * A Neural Turing Machine (Graves, Wayne and Danihelka, 2014) with an LSTM controller, one read head and
 * one write head over a memory of {@code N} locations of width {@code W}.
 *
 * <p>One step, from input {@code x_t} and the state {@code (h, c, M_{t-1}, w^r_{t-1}, w^w_{t-1}, r_{t-1})}:
 * <pre>
 *   (h_t, c_t) = LSTMCell([x_t; r_{t-1}], (h_{t-1}, c_{t-1}))                       the controller
 *   for each head, from its slice of  φ = W_φ h_t + b_φ:
 *     k = φ_k,  β = softplus(φ_β),  g = σ(φ_g),  s = softmax(φ_s) over shifts (−1, 0, +1),
 *     γ = 1 + softplus(φ_γ);  the write head also  e = σ(φ_e),  a = tanh(φ_a)
 *   w^r_t = address(k^r, β^r, g^r, s^r, γ^r, w^r_{t-1}, M_{t-1})                      see {@link Addressing}
 *   r_t   = Σ_i w^r_t(i) M_{t-1}(i)                                                  read
 *   w^w_t = address(k^w, β^w, g^w, s^w, γ^w, w^w_{t-1}, M_{t-1})
 *   M_t   = M_{t-1} ⊙ (1 − w^w_t eᵀ) + w^w_t aᵀ                                         erase, then add
 *   y_t   = W_y [h_t; r_t] + b_y                                                     the logits of the output bits
 * </pre>
 * The memory starts at the constant {@value #MEMORY_INIT} in every cell (Collier and Beel, 2018, found a
 * small constant the most reliable start), both weightings on location 0, the controller at zero and
 * {@code r_0 = Σ_i w_0(i) M_0(i)}. Parameters: {@code controller.*} (PyTorch's {@code nn.LSTMCell} names),
 * {@code heads.weight}/{@code heads.bias} ({@code W_φ}: the read head's {@code W + 6} rows, then the write
 * head's {@code 3W + 6}) and {@code output.weight}/{@code output.bias}.
 */
public final class NeuralTuringMachine extends Block implements CopyNetwork {
    /** The initial value of every memory cell. */
    public static final double MEMORY_INIT = 1e-6;

    private final int inputSize;
    private final int outputSize;
    private final int locations;
    private final int width;
    private final DType dtype;
    private final LSTMCell controller;
    private final Linear heads;
    private final Linear output;

    /**
     * The state between steps.
     *
     * @param controller   the controller's {@code (h, c)}, each {@code [batch, hidden]}
     * @param memory       {@code [batch, N, W]}
     * @param readWeights  {@code [batch, N]}
     * @param writeWeights {@code [batch, N]}
     * @param read         the last read vector {@code [batch, W]}
     */
    public record State(LSTMState controller, Tensor memory, Tensor readWeights, Tensor writeWeights, Tensor read) {
    }

    /**
     * What one step gives.
     *
     * @param logits {@code [batch, outputSize]}
     * @param state  the state after the step
     */
    public record Step(Tensor logits, State state) {
    }

    /**
     * A whole sequence run, for pictures: the logits and both weightings at every step.
     *
     * @param logits       {@code [batch, T, outputSize]}
     * @param readWeights  {@code [batch, T, N]}
     * @param writeWeights {@code [batch, T, N]}
     */
    public record Trace(Tensor logits, Tensor readWeights, Tensor writeWeights) {
    }

    /**
     * A machine with freshly initialised parameters (PyTorch's defaults for the LSTM cell and the linear maps).
     *
     * @param f          where the parameters live
     * @param random     the generator to draw them from
     * @param inputSize  channels of the input
     * @param outputSize logits per step
     * @param hidden     the controller's hidden size
     * @param locations  memory locations {@code N}
     * @param width      memory width {@code W}
     * @param dtype      float32 or float64
     * @throws IllegalArgumentException for a size below 1
     */
    public NeuralTuringMachine(TensorFactory f, Generator random, int inputSize, int outputSize, int hidden, int locations,
                               int width, DType dtype) {
        if (inputSize < 1 || outputSize < 1 || hidden < 1 || locations < 1 || width < 1) {
            throw new IllegalArgumentException("NeuralTuringMachine: sizes must be at least 1, got input " + inputSize
                    + ", output " + outputSize + ", hidden " + hidden + ", memory " + locations + " x " + width);
        }
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.locations = locations;
        this.width = width;
        this.dtype = dtype;
        this.controller = child("controller", new LSTMCell(f, random, inputSize + width, hidden, true, dtype));
        this.heads = child("heads", new Linear(f, random, hidden, headParameters(width), true, dtype));
        this.output = child("output", new Linear(f, random, hidden + width, outputSize, true, dtype));
    }

    /** The rows of {@code W_φ}: {@code (W + 6)} for the read head and {@code (3W + 6)} for the write head. */
    public static int headParameters(int width) {
        return (width + 6) + (3 * width + 6);
    }

    /** Memory locations {@code N}. */
    public int locations() {
        return locations;
    }

    /** Memory width {@code W}. */
    public int width() {
        return width;
    }

    /** The state before the first step, for {@code batch} sequences. */
    public State initialState(int batch) {
        TensorFactory f = heads.weight().factory();
        int hidden = controller.hiddenSize();
        Tensor memory = f.full(dev.nabla.api.types.Shape.of(batch, locations, width), MEMORY_INIT, dtype);
        double[] first = new double[batch * locations];
        for (int b = 0; b < batch; b++) {
            first[b * locations] = 1;
        }
        Tensor w = f.of(first, batch, locations).to(dtype);
        return new State(new LSTMState(f.zeros(dtype, batch, hidden), f.zeros(dtype, batch, hidden)), memory, w, w,
                Addressing.read(w, memory));
    }

    /**
     * One step (see the class comment).
     *
     * @param x     {@code [batch, inputSize]}
     * @param state the state before the step
     * @return the logits and the new state
     * @throws ShapeException naming the input's shape if it does not fit
     */
    public Step step(Tensor x, State state) {
        if (x.rank() != 2 || x.dim(1) != inputSize || x.dim(0) != state.memory().dim(0)) {
            throw new ShapeException("NeuralTuringMachine.step: input " + x.shape() + " does not fit [batch "
                    + state.memory().dim(0) + ", " + inputSize + "]");
        }
        LSTMState hc = controller.step(Tensor.concat(List.of(x, state.read()), 1), state.controller());
        Tensor phi = heads.forward(hc.h());
        int w = width;
        // read head: k, β, g, s(3), γ
        Tensor readW = address(phi, 0, state.readWeights(), state.memory());
        Tensor r = Addressing.read(readW, state.memory());
        // write head, after the read head's W + 6 columns: k, β, g, s(3), γ, e, a
        int o = w + 6;
        Tensor writeW = address(phi, o, state.writeWeights(), state.memory());
        Tensor erase = phi.slice(1, o + w + 6, o + 2 * w + 6).sigmoid();
        Tensor add = phi.slice(1, o + 2 * w + 6, o + 3 * w + 6).tanh();
        Tensor memory = Addressing.write(state.memory(), writeW, erase, add);
        Tensor logits = output.forward(Tensor.concat(List.of(hc.h(), r), 1));
        return new Step(logits, new State(hc, memory, readW, writeW, r));
    }

    /** The weighting of the head whose parameters start at column {@code o} of {@code phi}. */
    private Tensor address(Tensor phi, int o, Tensor previous, Tensor memory) {
        int w = width;
        Tensor key = phi.slice(1, o, o + w);
        Tensor beta = phi.slice(1, o + w, o + w + 1).softplus();
        Tensor gate = phi.slice(1, o + w + 1, o + w + 2).sigmoid();
        Tensor shift = phi.slice(1, o + w + 2, o + w + 5).softmax(1);
        Tensor gamma = phi.slice(1, o + w + 5, o + w + 6).softplus().add(1);
        return Addressing.address(key, beta, gate, shift, gamma, previous, memory);
    }

    @Override
    public Tensor logits(Tensor input) {
        return trace(input, false).logits();
    }

    /**
     * Runs the machine over {@code input} ({@code [batch, T, inputSize]}) from {@link #initialState}.
     *
     * @param weights whether to collect the weightings (otherwise the trace's weightings are null)
     * @throws ShapeException naming the input's shape if it does not fit
     */
    public Trace trace(Tensor input, boolean weights) {
        if (input.rank() != 3 || input.dim(2) != inputSize || input.dim(1) < 1) {
            throw new ShapeException("NeuralTuringMachine: input " + input.shape() + " is not [batch, time >= 1, "
                    + inputSize + "]");
        }
        int t = input.dim(1);
        State state = initialState(input.dim(0));
        List<Tensor> logits = new ArrayList<>(t);
        List<Tensor> reads = new ArrayList<>(t);
        List<Tensor> writes = new ArrayList<>(t);
        for (int k = 0; k < t; k++) {
            Step s = step(input.select(1, k), state);
            state = s.state();
            logits.add(s.logits());
            if (weights) {
                reads.add(state.readWeights());
                writes.add(state.writeWeights());
            }
        }
        return new Trace(Tensor.stack(logits, 1), weights ? Tensor.stack(reads, 1) : null,
                weights ? Tensor.stack(writes, 1) : null);
    }

    @Override
    public String toString() {
        return "NeuralTuringMachine(controller=" + controller.hiddenSize() + ", memory=" + locations + "x" + width + ")";
    }
}
