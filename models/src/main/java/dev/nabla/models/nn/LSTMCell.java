package dev.nabla.models.nn;

import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;

import java.util.List;
import java.util.Objects;

/**
 * The long short-term memory cell (Hochreiter and Schmidhuber, 1997), PyTorch's {@code nn.LSTMCell}:
 * <pre>
 *   gates = x · W_ihᵀ + b_ih + h · W_hhᵀ + b_hh            [batch, 4·hidden], split as (i, f, g, o)
 *   i = σ(gates_i),  f = σ(gates_f),  g = tanh(gates_g),  o = σ(gates_o)
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ tanh(c')
 * </pre>
 * with PyTorch's gate order (input, forget, cell, output), parameter names and layouts —
 * {@code weight_ih [4·hidden, input]}, {@code weight_hh [4·hidden, hidden]}, {@code bias_ih [4·hidden]},
 * {@code bias_hh [4·hidden]} — and initialisation, every parameter uniform in {@code ±1/sqrt(hidden)};
 * so a PyTorch state dict loads by name. The state is {@link LSTMState}{@code (h, c)}, both
 * {@code [batch, hidden]}; the output is {@code h}.
 *
 * <p>A step is the two matrix products and then {@link #lstmPointwise}, the elementwise rest, which
 * the {@link LSTM} layer shares.
 */
public final class LSTMCell extends Block implements RecurrentCell<LSTMState> {
    private final int inputSize;
    private final int hiddenSize;
    private final Tensor weightIh;
    private final Tensor weightHh;
    private final Tensor biasIh;
    private final Tensor biasHh;

    /**
     * A cell initialised like PyTorch's: every parameter uniform in {@code ±1/sqrt(hiddenSize)}.
     *
     * @param f          where the parameters live
     * @param random     the generator to draw them from
     * @param inputSize  size of the input's last axis
     * @param hiddenSize size of {@code h} and {@code c}
     * @param bias       whether to have {@code bias_ih} and {@code bias_hh}
     * @param dtype      float32 or float64
     */
    public LSTMCell(TensorFactory f, Generator random, int inputSize, int hiddenSize, boolean bias, DType dtype) {
        CellChecks.sizes("LSTMCell", inputSize, hiddenSize, dtype);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        int g = 4 * hiddenSize;
        this.weightIh = parameter("weight_ih", CellChecks.uniform(f, random, hiddenSize, dtype, g, inputSize));
        this.weightHh = parameter("weight_hh", CellChecks.uniform(f, random, hiddenSize, dtype, g, hiddenSize));
        this.biasIh = bias ? parameter("bias_ih", CellChecks.uniform(f, random, hiddenSize, dtype, g)) : null;
        this.biasHh = bias ? parameter("bias_hh", CellChecks.uniform(f, random, hiddenSize, dtype, g)) : null;
    }

    /**
     * A float32 cell with biases, initialised like PyTorch's.
     *
     * @param f          where the parameters live
     * @param random     the generator to draw them from
     * @param inputSize  size of the input's last axis
     * @param hiddenSize size of {@code h} and {@code c}
     */
    public LSTMCell(TensorFactory f, Generator random, int inputSize, int hiddenSize) {
        this(f, random, inputSize, hiddenSize, true, DType.FLOAT32);
    }

    /**
     * A cell with explicit initial values (copied), e.g. from a PyTorch state dict.
     *
     * @param weightIh {@code [4·hidden, input]}
     * @param weightHh {@code [4·hidden, hidden]}
     * @param biasIh   {@code [4·hidden]}, or null for a cell without biases (then {@code biasHh} is null too)
     * @param biasHh   {@code [4·hidden]}, or null
     * @throws dev.nabla.api.types.ShapeException if the shapes do not fit together
     */
    public LSTMCell(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
        this.hiddenSize = CellChecks.parameters("LSTMCell", 4, weightIh, weightHh, biasIh, biasHh);
        this.inputSize = weightIh.dim(1);
        this.weightIh = parameter("weight_ih", weightIh);
        this.weightHh = parameter("weight_hh", weightHh);
        this.biasIh = biasIh == null ? null : parameter("bias_ih", biasIh);
        this.biasHh = biasHh == null ? null : parameter("bias_hh", biasHh);
    }

    /**
     * The elementwise part of a step, from the pre-activations of the four gates to the new state:
     * <pre>
     *   (i, f, g, o) = (σ(gates_i), σ(gates_f), tanh(gates_g), σ(gates_o))
     *   c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')
     * </pre>
     *
     * @param gates {@code x · W_ihᵀ + b_ih + h · W_hhᵀ + b_hh}, {@code [batch, 4·hidden]} in the order i, f, g, o
     * @param c     the cell state before the step, {@code [batch, hidden]}
     * @return {@code (h', c')}
     */
    public static LSTMState lstmPointwise(Tensor gates, Tensor c) {
        int h = c.dim(c.rank() - 1);
        List<Tensor> parts = gates.split(gates.rank() - 1, h, h, h, h);
        Tensor i = parts.get(0).sigmoid();
        Tensor f = parts.get(1).sigmoid();
        Tensor g = parts.get(2).tanh();
        Tensor o = parts.get(3).sigmoid();
        Tensor c2 = f.mul(c).add(i.mul(g));
        return new LSTMState(o.mul(c2.tanh()), c2);
    }

    @Override
    public LSTMState step(Tensor input, LSTMState state) {
        String op = "LSTMCell.step";
        DType d = weightIh.dtype();
        CellChecks.input(op, input, inputSize, d);
        Objects.requireNonNull(state, op + ": state");
        CellChecks.state(op, "h", state.h(), input.dim(0), hiddenSize, d);
        CellChecks.state(op, "c", state.c(), input.dim(0), hiddenSize, d);
        Tensor gates = input.linear(weightIh, biasIh).add(state.h().linear(weightHh, biasHh));
        return lstmPointwise(gates, state.c());
    }

    @Override
    public LSTMState initialState(int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("LSTMCell.initialState: batch must be >= 0, got " + batch);
        }
        TensorFactory f = weightIh.factory();
        return new LSTMState(f.zeros(weightIh.dtype(), batch, hiddenSize), f.zeros(weightIh.dtype(), batch, hiddenSize));
    }

    @Override
    public Tensor output(LSTMState state) {
        return state.h();
    }

    @Override
    public List<Tensor> stateTensors(LSTMState state) {
        return List.of(state.h(), state.c());
    }

    @Override
    public LSTMState stateOf(List<Tensor> tensors) {
        if (tensors.size() != 2) {
            throw new IllegalArgumentException("LSTMCell.stateOf: the state is two tensors (h, c), got "
                    + tensors.size());
        }
        return new LSTMState(tensors.get(0), tensors.get(1));
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    @Override
    public String toString() {
        return "LSTMCell(" + inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=false" : "") + ")";
    }
}
