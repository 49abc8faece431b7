package dev.nabla.api.backend;

/**
 * The leaky rectifier and its gradient, one pass each:
 * <pre>
 *   y_i     = x_i             where x_i > 0,    slope · x_i     elsewhere (x_i ≤ 0, and x_i NaN)
 *   ∂L/∂x_i = ∂L/∂y_i         where x_i > 0,    slope · ∂L/∂y_i elsewhere
 * </pre>
 * instead of the composed form's comparison into a bool temporary, the product by the slope and the select
 * ({@code where(x > 0, x, slope·x)}, and the same for the gradient). Storages are dense, of one floating dtype
 * and one size; outputs are distinct from inputs and overwritten entirely.
 */
public interface LeakyReluKernel extends FusedKernel {
    /**
     * Writes {@code y}.
     *
     * @param x     the input
     * @param slope the slope for {@code x ≤ 0}
     * @param out   written: {@code y}, of {@code x}'s size
     */
    void leakyRelu(Storage x, double slope, Storage out);

    /**
     * Writes {@code ∂L/∂x}.
     *
     * @param x       the forward's input
     * @param gradOut {@code ∂L/∂y}, of {@code x}'s size
     * @param slope   the forward's slope
     * @param gradIn  written: {@code ∂L/∂x}, of {@code x}'s size
     */
    void leakyReluGrad(Storage x, Storage gradOut, double slope, Storage gradIn);
}
