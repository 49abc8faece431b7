package dev.nabla.api.tensor;

import java.util.Objects;

/**
 * What {@link Tensor#lstmCell} returns: the new hidden and cell states of one LSTM step.
 *
 * @param h the hidden state {@code h' = o ⊙ tanh(c')}, {@code [batch, hidden]}
 * @param c the cell state {@code c' = f ⊙ c + i ⊙ g}, {@code [batch, hidden]}
 */
public record LstmCellOutput(Tensor h, Tensor c) {
    /** Checks that both are present. */
    public LstmCellOutput {
        Objects.requireNonNull(h, "h");
        Objects.requireNonNull(c, "c");
    }
}
