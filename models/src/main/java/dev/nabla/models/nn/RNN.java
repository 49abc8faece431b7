package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A multi-layer, optionally bidirectional Elman RNN over whole sequences, PyTorch's {@code nn.RNN}. At
 * every step {@code t} of every layer and direction ({@link RNNCell}):
 * <pre>
 *   h_t = act(x_t · W_ihᵀ + b_ih + h_{t−1} · W_hhᵀ + b_hh),   act = tanh or relu
 * </pre>
 * Parameter names ({@code weight_ih_l0 [hidden, input]}, …), shapes, variable lengths and options are
 * those of {@link RecurrentLayer}; the state is {@code h}.
 */
public final class RNN extends RecurrentLayer<Tensor> {
    private final RNNCell.Nonlinearity nonlinearity;

    /**
     * An RNN initialised like PyTorch's: every parameter uniform in {@code ±1/sqrt(hiddenSize)}.
     *
     * @param f            where the parameters live
     * @param random       the generator to draw them (and the dropout masks) from
     * @param inputSize    size of the input's last axis
     * @param hiddenSize   size of {@code h}
     * @param nonlinearity tanh or relu
     * @param options      layers, directions, layout, bias, dropout and dtype
     */
    public RNN(TensorFactory f, Generator random, int inputSize, int hiddenSize, RNNCell.Nonlinearity nonlinearity,
               RecurrentOptions options) {
        super("RNN", 1, f, random, inputSize, hiddenSize, options);
        this.nonlinearity = Objects.requireNonNull(nonlinearity, "RNN: nonlinearity");
    }

    /**
     * A one-layer, time-first float32 tanh RNN with biases.
     *
     * @param f          where the parameters live
     * @param random     the generator to draw them from
     * @param inputSize  size of the input's last axis
     * @param hiddenSize size of {@code h}
     */
    public RNN(TensorFactory f, Generator random, int inputSize, int hiddenSize) {
        this(f, random, inputSize, hiddenSize, RNNCell.Nonlinearity.TANH, RecurrentOptions.defaults());
    }

    /** The nonlinearity. */
    public RNNCell.Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    @Override
    Tensor step(Tensor inputProjection, Tensor h, Tensor weightHh, Tensor biasHh) {
        Tensor pre = inputProjection.add(h.linear(weightHh, biasHh));
        return nonlinearity == RNNCell.Nonlinearity.TANH ? pre.tanh() : pre.relu();
    }

    @Override
    Tensor output(Tensor state) {
        return state;
    }

    @Override
    List<Tensor> stateTensors(Tensor state) {
        return List.of(state);
    }

    @Override
    Tensor stateOf(List<Tensor> tensors) {
        return tensors.getFirst();
    }

    @Override
    int stateSize() {
        return 1;
    }

    @Override
    String describeExtra() {
        return ", nonlinearity=" + nonlinearity.name().toLowerCase(Locale.ROOT);
    }
}
