package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;

import java.util.List;

/**
 * A multi-layer, optionally bidirectional GRU over whole sequences, PyTorch's {@code nn.GRU}. At every
 * step {@code t} of every layer and direction ({@link GRUCell}):
 * <pre>
 *   gi = x_t · W_ihᵀ + b_ih,   gh = h_{t−1} · W_hhᵀ + b_hh              split as (r, z, n)
 *   r = σ(gi_r + gh_r),   z = σ(gi_z + gh_z),   n = tanh(gi_n + r ⊙ gh_n)
 *   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 * </pre>
 * Parameter names ({@code weight_ih_l0 [3·hidden, input]}, …), shapes, variable lengths and options are
 * those of {@link RecurrentLayer}; the state is {@code h}.
 */
public final class GRU extends RecurrentLayer<Tensor> {
    /**
     * A GRU initialised like PyTorch's: every parameter uniform in {@code ±1/sqrt(hiddenSize)}.
     *
     * @param f          where the parameters live
     * @param random     the generator to draw them (and the dropout masks) from
     * @param inputSize  size of the input's last axis
     * @param hiddenSize size of {@code h}
     * @param options    layers, directions, layout, bias, dropout and dtype
     */
    public GRU(TensorFactory f, Generator random, int inputSize, int hiddenSize, RecurrentOptions options) {
        super("GRU", 3, f, random, inputSize, hiddenSize, options);
    }

    /**
     * A one-layer, time-first float32 GRU with biases.
     *
     * @param f          where the parameters live
     * @param random     the generator to draw them from
     * @param inputSize  size of the input's last axis
     * @param hiddenSize size of {@code h}
     */
    public GRU(TensorFactory f, Generator random, int inputSize, int hiddenSize) {
        this(f, random, inputSize, hiddenSize, RecurrentOptions.defaults());
    }

    @Override
    Tensor step(Tensor inputProjection, Tensor h, Tensor weightHh, Tensor biasHh) {
        return GRUCell.gruPointwise(inputProjection, h.linear(weightHh, biasHh), h);
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
}
