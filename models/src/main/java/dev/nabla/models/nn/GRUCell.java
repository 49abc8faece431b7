package dev.nabla.models.nn;

import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;

import java.util.List;

/**
 * The gated recurrent unit (Cho et al., 2014), PyTorch's {@code nn.GRUCell}:
 * <pre>
 *   gi = x · W_ihᵀ + b_ih,   gh = h · W_hhᵀ + b_hh        [batch, 3·hidden] each, split as (r, z, n)
 *   r = σ(gi_r + gh_r)
 *   z = σ(gi_z + gh_z)
 *   n = tanh(gi_n + r ⊙ gh_n)                              (= tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)))
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * with PyTorch's gate order (reset, update, new), parameter names and layouts — {@code weight_ih
 * [3·hidden, input]}, {@code weight_hh [3·hidden, hidden]}, {@code bias_ih [3·hidden]}, {@code bias_hh
 * [3·hidden]} — and initialisation, every parameter uniform in {@code ±1/sqrt(hidden)}; so a PyTorch
 * state dict loads by name. The state is {@code h [batch, hidden]}, which is also the output.
 *
 * <p>A step is the two matrix products and then {@link #gruPointwise}, the elementwise rest, which
 * the {@link GRU} layer shares.
 */
public final class GRUCell extends Block implements RecurrentCell<Tensor> {
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
     * @param hiddenSize size of {@code h}
     * @param bias       whether to have {@code bias_ih} and {@code bias_hh}
     * @param dtype      float32 or float64
     */
    public GRUCell(TensorFactory f, Generator random, int inputSize, int hiddenSize, boolean bias, DType dtype) {
        CellChecks.sizes("GRUCell", inputSize, hiddenSize, dtype);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        int g = 3 * hiddenSize;
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
     * @param hiddenSize size of {@code h}
     */
    public GRUCell(TensorFactory f, Generator random, int inputSize, int hiddenSize) {
        this(f, random, inputSize, hiddenSize, true, DType.FLOAT32);
    }

    /**
     * A cell with explicit initial values (copied), e.g. from a PyTorch state dict.
     *
     * @param weightIh {@code [3·hidden, input]}
     * @param weightHh {@code [3·hidden, hidden]}
     * @param biasIh   {@code [3·hidden]}, or null for a cell without biases (then {@code biasHh} is null too)
     * @param biasHh   {@code [3·hidden]}, or null
     * @throws dev.nabla.api.types.ShapeException if the shapes do not fit together
     */
    public GRUCell(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
        this.hiddenSize = CellChecks.parameters("GRUCell", 3, weightIh, weightHh, biasIh, biasHh);
        this.inputSize = weightIh.dim(1);
        this.weightIh = parameter("weight_ih", weightIh);
        this.weightHh = parameter("weight_hh", weightHh);
        this.biasIh = biasIh == null ? null : parameter("bias_ih", biasIh);
        this.biasHh = biasHh == null ? null : parameter("bias_hh", biasHh);
    }

    /**
     * The elementwise part of a step, from the two affine maps to the new state:
     * <pre>
     *   r = σ(gi_r + gh_r),   z = σ(gi_z + gh_z),   n = tanh(gi_n + r ⊙ gh_n)
     *   h' = (1 − z) ⊙ n + z ⊙ h
     * </pre>
     *
     * @param gi {@code x · W_ihᵀ + b_ih}, {@code [batch, 3·hidden]} in the order r, z, n
     * @param gh {@code h · W_hhᵀ + b_hh}, {@code [batch, 3·hidden]} in the order r, z, n
     * @param h  the state before the step, {@code [batch, hidden]}
     * @return {@code h'}
     */
    public static Tensor gruPointwise(Tensor gi, Tensor gh, Tensor h) {
        int n = h.dim(h.rank() - 1);
        int axis = gi.rank() - 1;
        List<Tensor> a = gi.split(axis, 2 * n, n);
        List<Tensor> b = gh.split(axis, 2 * n, n);
        List<Tensor> rz = a.get(0).add(b.get(0)).sigmoid().split(axis, n, n);
        Tensor cand = a.get(1).add(rz.get(0).mul(b.get(1))).tanh();
        Tensor z = rz.get(1);
        return cand.add(z.mul(h.sub(cand)));
    }

    @Override
    public Tensor step(Tensor input, Tensor h) {
        String op = "GRUCell.step";
        DType d = weightIh.dtype();
        CellChecks.input(op, input, inputSize, d);
        CellChecks.state(op, "h", h, input.dim(0), hiddenSize, d);
        return gruPointwise(input.linear(weightIh, biasIh), h.linear(weightHh, biasHh), h);
    }

    @Override
    public Tensor initialState(int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("GRUCell.initialState: batch must be >= 0, got " + batch);
        }
        return weightIh.factory().zeros(weightIh.dtype(), batch, hiddenSize);
    }

    @Override
    public Tensor output(Tensor state) {
        return state;
    }

    @Override
    public List<Tensor> stateTensors(Tensor state) {
        return List.of(state);
    }

    @Override
    public Tensor stateOf(List<Tensor> tensors) {
        if (tensors.size() != 1) {
            throw new IllegalArgumentException("GRUCell.stateOf: the state is one tensor h, got " + tensors.size());
        }
        return tensors.getFirst();
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
        return "GRUCell(" + inputSize + ", " + hiddenSize + (biasIh == null ? ", bias=false" : "") + ")";
    }
}
