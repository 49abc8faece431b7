package dev.nabla.api.backend;

/**
 * Fused batch normalisation in training mode (Ioffe &amp; Szegedy, 2015) with its backward: statistics per
 * channel over the batch and every pixel. The input {@code x [N, C, P]} is any {@code [N, C, ...]} tensor with
 * its trailing axes flattened into {@code P} pixels, so channel {@code c} holds {@code m = N·P} values. With an
 * optional weight {@code γ} and bias {@code β} of {@code C} elements:
 * <pre>
 *   μ_c = (1/m) Σ_{n,p} x[n,c,p],   σ²_c = (1/m) Σ_{n,p} (x[n,c,p] − μ_c)²   (biased),   r_c = 1 / sqrt(σ²_c + ε)
 *   x̂[n,c,p] = (x[n,c,p] − μ_c) · r_c,   y[n,c,p] = x̂[n,c,p] · γ_c + β_c     (γ = 1, β = 0 when absent)
 * </pre>
 * The backward, given {@code g = ∂L/∂y}:
 * <pre>
 *   ∂L/∂β_c = Σ_{n,p} g[n,c,p],   ∂L/∂γ_c = Σ_{n,p} g[n,c,p] · x̂[n,c,p]
 *   ∂L/∂x[n,c,p] = γ_c · r_c · (g[n,c,p] − ∂L/∂β_c / m − x̂[n,c,p] · ∂L/∂γ_c / m)
 * </pre>
 * so a kernel needs one pass over {@code x} for the statistics and one for {@code y}, and backward one pass for
 * the two sums and one for {@code ∂L/∂x}. Sums are to be kept in double for float32 as for float64.
 * Storages are dense row-major float32 or float64, all of one dtype; outputs are distinct from inputs and
 * overwritten entirely. Without this kernel the tensor layer composes the same function from mean, sub, square,
 * add, sqrt, div, mul and add ({@link dev.nabla.api.tensor.Tensor#batchNorm}).
 */
public interface BatchNormKernel extends FusedKernel {
    /**
     * The forward pass: the statistics, then the output.
     *
     * @param x        the input, {@code [N, C, P]}
     * @param batch    {@code N >= 0}
     * @param channels {@code C >= 1}
     * @param pixels   {@code P >= 1}; {@code N·P >= 1}
     * @param weight   null, or {@code γ}, {@code [C]}
     * @param bias     null, or {@code β}, {@code [C]}
     * @param eps      added to the variance, {@code >= 0}
     * @param out      written: {@code y}, {@code [N, C, P]}
     * @param mean     written: {@code μ}, {@code [C]}
     * @param var      written: the biased variance {@code σ²}, {@code [C]}
     */
    void batchNorm(Storage x, int batch, int channels, long pixels, Storage weight, Storage bias, double eps,
                   Storage out, Storage mean, Storage var);

    /**
     * The backward pass.
     *
     * @param gradOut    {@code g = ∂L/∂y}, {@code [N, C, P]}
     * @param x          the forward's input
     * @param mean       the forward's {@code μ}
     * @param var        the forward's {@code σ²}
     * @param weight     the forward's {@code γ}, or null
     * @param eps        the forward's {@code ε}
     * @param batch      {@code N}
     * @param channels   {@code C}
     * @param pixels     {@code P}
     * @param gradIn     written: {@code ∂L/∂x}, {@code [N, C, P]}
     * @param gradWeight null, or written: {@code ∂L/∂γ}, {@code [C]}
     * @param gradBias   null, or written: {@code ∂L/∂β}, {@code [C]}
     */
    void batchNormBackward(Storage gradOut, Storage x, Storage mean, Storage var, Storage weight, double eps,
                           int batch, int channels, long pixels, Storage gradIn, Storage gradWeight,
                           Storage gradBias);
}
