package dev.nabla.api.backend;

/**
 * Fused pointwise part of an LSTM cell step (PyTorch's {@code _thnn_fused_lstm_cell}), with its
 * backward. The gate pre-activations {@code a = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh} arrive as one
 * {@code [batch, 4·hidden]} row per sequence, blocks in PyTorch's order i, f, g, o:
 * <pre>
 *   i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ tanh(c')
 * </pre>
 * and the backward, given {@code ∂L/∂h'} and {@code ∂L/∂c'}, with {@code t = tanh(c')}:
 * <pre>
 *   ĉ     = ∂L/∂c' + ∂L/∂h' ⊙ o ⊙ (1 − t²)
 *   ∂L/∂a_i = ĉ ⊙ g ⊙ i(1 − i)      ∂L/∂a_f = ĉ ⊙ c ⊙ f(1 − f)
 *   ∂L/∂a_g = ĉ ⊙ i ⊙ (1 − g²)      ∂L/∂a_o = ∂L/∂h' ⊙ t ⊙ o(1 − o)
 *   ∂L/∂c   = ĉ ⊙ f
 * </pre>
 * Storages are dense row-major float32 or float64, all of one dtype. The forward writes {@code h'},
 * {@code c'} and the activated gates {@code (i, f, g, o)} into {@code act [batch, 4·hidden]}, which the
 * backward reads back instead of recomputing them (it recomputes only {@code c' = f ⊙ c + i ⊙ g}).
 * Without this kernel the tensor layer composes the same function from slice, sigmoid, tanh, mul and add.
 */
public interface LstmCellKernel extends FusedKernel {
    /**
     * One forward step.
     *
     * @param gates  pre-activations {@code [batch, 4·hidden]}
     * @param c      the cell state before the step, {@code [batch, hidden]}
     * @param batch  rows ({@code >= 1})
     * @param hidden the hidden size ({@code >= 1})
     * @param hOut   written: {@code h'}, {@code [batch, hidden]}
     * @param cOut   written: {@code c'}, {@code [batch, hidden]}
     * @param act    written: {@code σ(a_i), σ(a_f), tanh(a_g), σ(a_o)}, {@code [batch, 4·hidden]}
     */
    void lstmCell(Storage gates, Storage c, int batch, int hidden, Storage hOut, Storage cOut, Storage act);

    /**
     * The backward of one step.
     *
     * @param gradH     {@code ∂L/∂h'}, {@code [batch, hidden]}
     * @param gradCOut  {@code ∂L/∂c'}, {@code [batch, hidden]}
     * @param act       the activated gates the forward wrote
     * @param c         the cell state before the step, {@code [batch, hidden]} ({@code c'} is recomputed
     *                  from it and {@code act})
     * @param batch     rows
     * @param hidden    the hidden size
     * @param gradGates written: {@code ∂L/∂a}, {@code [batch, 4·hidden]}
     * @param gradC     written: {@code ∂L/∂c}, {@code [batch, hidden]}
     */
    void lstmCellBackward(Storage gradH, Storage gradCOut, Storage act, Storage c, int batch, int hidden,
                          Storage gradGates, Storage gradC);
}
