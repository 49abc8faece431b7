package dev.nabla.api.backend;

/**
 * Fused pointwise part of a GRU cell step (PyTorch's {@code _thnn_fused_gru_cell}), with its backward.
 * The input and hidden projections {@code a = x·W_ihᵀ + b_ih} and {@code b = h·W_hhᵀ + b_hh} arrive as
 * {@code [batch, 3·hidden]} rows, blocks in PyTorch's order r, z, n:
 * <pre>
 *   r = σ(a_r + b_r)   z = σ(a_z + b_z)   n = tanh(a_n + r ⊙ b_n)
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * and the backward, given {@code ∂L/∂h'}, with {@code n̂ = ∂L/∂h' ⊙ (1 − z) ⊙ (1 − n²)}:
 * <pre>
 *   ∂L/∂a_n = n̂                      ∂L/∂b_n = n̂ ⊙ r
 *   ∂L/∂a_r = ∂L/∂b_r = n̂ ⊙ b_n ⊙ r(1 − r)
 *   ∂L/∂a_z = ∂L/∂b_z = ∂L/∂h' ⊙ (h − n) ⊙ z(1 − z)
 *   ∂L/∂h   = ∂L/∂h' ⊙ z
 * </pre>
 * Storages are dense row-major float32 or float64, all of one dtype. The forward writes {@code h'} and a
 * workspace {@code work [batch, 4·hidden]} holding {@code r, z, n, b_n}, which the backward reads back.
 * Without this kernel the tensor layer composes the same function from slice, sigmoid, tanh, mul and add.
 */
public interface GruCellKernel extends FusedKernel {
    /**
     * One forward step.
     *
     * @param gi     input projection {@code a}, {@code [batch, 3·hidden]}
     * @param gh     hidden projection {@code b}, {@code [batch, 3·hidden]}
     * @param h      the state before the step, {@code [batch, hidden]}
     * @param batch  rows ({@code >= 1})
     * @param hidden the hidden size ({@code >= 1})
     * @param out    written: {@code h'}, {@code [batch, hidden]}
     * @param work   written: {@code r, z, n, b_n}, {@code [batch, 4·hidden]}
     */
    void gruCell(Storage gi, Storage gh, Storage h, int batch, int hidden, Storage out, Storage work);

    /**
     * The backward of one step.
     *
     * @param gradOut {@code ∂L/∂h'}, {@code [batch, hidden]}
     * @param work    the workspace the forward wrote
     * @param h       the state before the step
     * @param batch   rows
     * @param hidden  the hidden size
     * @param gradGi  written: {@code ∂L/∂a}, {@code [batch, 3·hidden]}
     * @param gradGh  written: {@code ∂L/∂b}, {@code [batch, 3·hidden]}
     * @param gradH   written: {@code ∂L/∂h}, {@code [batch, hidden]}
     */
    void gruCellBackward(Storage gradOut, Storage work, Storage h, int batch, int hidden, Storage gradGi,
                         Storage gradGh, Storage gradH);
}
