package dev.nabla.api.backend;

/**
 * Fused layer normalisation (Ba et al., 2016) over the trailing {@code cols} elements of each of {@code rows}
 * rows, with its backward. For a row {@code x} of {@code n = cols} elements, an optional weight {@code γ} and
 * bias {@code β} of {@code n} elements:
 * <pre>
 *   μ = (1/n) Σ_j x_j,   σ² = (1/n) Σ_j (x_j − μ)²   (biased),   r = 1 / sqrt(σ² + ε)
 *   x̂_j = (x_j − μ) · r,   y_j = x̂_j · γ_j + β_j      (γ = 1, β = 0 when absent)
 * </pre>
 * The backward, given {@code ∂L/∂y}, with {@code ĝ_j = ∂L/∂y_j · γ_j}:
 * <pre>
 *   ∂L/∂x_j = r · (ĝ_j − (1/n) Σ_k ĝ_k − x̂_j · (1/n) Σ_k ĝ_k x̂_k)
 *   ∂L/∂γ_j = Σ_rows ∂L/∂y_j · x̂_j,    ∂L/∂β_j = Σ_rows ∂L/∂y_j
 * </pre>
 * Storages are dense row-major float32 or float64, all of one dtype. The forward writes {@code y} and, per row,
 * {@code μ} and {@code r}, which the backward reads back instead of recomputing them. Without this kernel the
 * tensor layer composes the same function from mean, sub, square, add, sqrt, div, mul and add
 * ({@link dev.nabla.api.tensor.Tensor#layerNorm}).
 */
public interface LayerNormKernel extends FusedKernel {
    /**
     * The forward pass.
     *
     * @param x      the input, {@code [rows, cols]}
     * @param rows   the number of rows, {@code >= 0}
     * @param cols   the elements normalised together, {@code >= 1}
     * @param weight null, or {@code γ}, {@code [cols]}
     * @param bias   null, or {@code β}, {@code [cols]}
     * @param eps    added to the variance, {@code >= 0}
     * @param out    written: {@code y}, {@code [rows, cols]}
     * @param mean   written: {@code μ} of each row, {@code [rows]}
     * @param rstd   written: {@code r = 1/sqrt(σ² + ε)} of each row, {@code [rows]}
     */
    void layerNorm(Storage x, long rows, int cols, Storage weight, Storage bias, double eps, Storage out,
                   Storage mean, Storage rstd);

    /**
     * The backward pass.
     *
     * @param gradOut    {@code ∂L/∂y}, {@code [rows, cols]}
     * @param x          the forward's input
     * @param mean       the forward's {@code μ}
     * @param rstd       the forward's {@code r}
     * @param weight     the forward's {@code γ}, or null
     * @param rows       the number of rows
     * @param cols       the elements normalised together
     * @param gradIn     written: {@code ∂L/∂x}, {@code [rows, cols]}
     * @param gradWeight null, or written: {@code ∂L/∂γ}, {@code [cols]}
     * @param gradBias   null, or written: {@code ∂L/∂β}, {@code [cols]}
     */
    void layerNormBackward(Storage gradOut, Storage x, Storage mean, Storage rstd, Storage weight, long rows,
                           int cols, Storage gradIn, Storage gradWeight, Storage gradBias);
}
