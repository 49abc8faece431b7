package dev.nabla.models.nn;

import dev.nabla.api.tensor.Tensor;

import java.util.Objects;

/**
 * What a recurrent sequence layer returns: the last layer's output at every step and the final state
 * of every layer and direction.
 *
 * @param output {@code [batch, time, directions·hidden]} (batch-first) or {@code [time, batch,
 *               directions·hidden]}; zero past each sequence's length
 * @param state  {@code h_n} (a {@link Tensor}) or {@code (h_n, c_n)} (an {@link LSTMState}), each
 *               {@code [layers·directions, batch, hidden]}, indexed {@code layer·directions + direction}
 * @param <S>    the state type
 */
public record RecurrentOutput<S>(Tensor output, S state) {
    /** Checks that both are present. */
    public RecurrentOutput {
        Objects.requireNonNull(output, "RecurrentOutput: output");
        Objects.requireNonNull(state, "RecurrentOutput: state");
    }
}
