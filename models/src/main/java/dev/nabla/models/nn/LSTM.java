package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;

import java.util.List;

/**
 * A multi-layer, optionally bidirectional LSTM over whole sequences, PyTorch's {@code nn.LSTM}. At every
 * step {@code t} of every layer and direction ({@link LSTMCell}):
 * <pre>
 *   gates_t = x_t · W_ihᵀ + b_ih + h_{t−1} · W_hhᵀ + b_hh          split as (i, f, g, o)
 *   c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)
 *   h_t = σ(o) ⊙ tanh(c_t)
 * </pre>
 * Parameter names ({@code weight_ih_l0 [4·hidden, input]}, …), shapes, variable lengths and options are
 * those of {@link RecurrentLayer}; the state is {@link LSTMState}{@code (h, c)}.
 *
 * <pre>{@code
 * // given: TensorFactory f, Tensor x
 * LSTM lstm = new LSTM(f, new Generator(1), 8, 16, RecurrentOptions.defaults().batchFirst(true));
 * RecurrentOutput<LSTMState> r = lstm.forward(x);        // x: [batch, time, 8]
 * Tensor out = r.output();                               // [batch, time, 16]
 * Tensor hN = r.state().h();                             // [1, batch, 16]
 * }</pre>
 */
public final class LSTM extends RecurrentLayer<LSTMState> {
    /**
     * An LSTM initialised like PyTorch's: every parameter uniform in {@code ±1/sqrt(hiddenSize)}.
     *
     * @param f          where the parameters live
     * @param random     the generator to draw them (and the dropout masks) from
     * @param inputSize  size of the input's last axis
     * @param hiddenSize size of {@code h} and {@code c}
     * @param options    layers, directions, layout, bias, dropout and dtype
     */
    public LSTM(TensorFactory f, Generator random, int inputSize, int hiddenSize, RecurrentOptions options) {
        super("LSTM", 4, f, random, inputSize, hiddenSize, options);
    }

    /**
     * A one-layer, time-first float32 LSTM with biases.
     *
     * @param f          where the parameters live
     * @param random     the generator to draw them from
     * @param inputSize  size of the input's last axis
     * @param hiddenSize size of {@code h} and {@code c}
     */
    public LSTM(TensorFactory f, Generator random, int inputSize, int hiddenSize) {
        this(f, random, inputSize, hiddenSize, RecurrentOptions.defaults());
    }

    @Override
    LSTMState step(Tensor inputProjection, LSTMState state, Tensor weightHh, Tensor biasHh) {
        return LSTMCell.lstmPointwise(inputProjection.add(state.h().linear(weightHh, biasHh)), state.c());
    }

    @Override
    Tensor output(LSTMState state) {
        return state.h();
    }

    @Override
    List<Tensor> stateTensors(LSTMState state) {
        return List.of(state.h(), state.c());
    }

    @Override
    LSTMState stateOf(List<Tensor> tensors) {
        return new LSTMState(tensors.get(0), tensors.get(1));
    }

    @Override
    int stateSize() {
        return 2;
    }
}
