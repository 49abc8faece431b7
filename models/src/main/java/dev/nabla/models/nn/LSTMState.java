package dev.nabla.models.nn;

import java.util.Objects;

import dev.nabla.api.tensor.Tensor;

/**
 * The state of an LSTM: the hidden state {@code h} (also the output) and the cell state {@code c}.
 * For {@link LSTMCell} both are {@code [batch, hidden]}; for the final states of an {@link LSTM} layer
 * they are {@code h_n} and {@code c_n}, {@code [layers·directions, batch, hidden]}.
 *
 * @param h the hidden state
 * @param c the cell state
 */
public record LSTMState(Tensor h, Tensor c) {
    /** Checks that both tensors are present. */
    public LSTMState {
        Objects.requireNonNull(h, "LSTMState: h");
        Objects.requireNonNull(c, "LSTMState: c");
    }
}
