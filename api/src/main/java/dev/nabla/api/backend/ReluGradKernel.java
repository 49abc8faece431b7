package dev.nabla.api.backend;

/**
 * The gradient of the rectifier {@code y = max(x, 0)} in one pass:
 * <pre>
 *   ∂L/∂x_i = ∂L/∂y_i   where x_i > 0,
 *             0          elsewhere (x_i ≤ 0, and x_i NaN)
 * </pre>
 * instead of the comparison and the select of the composed form, {@code where(x > 0, ∂L/∂y, 0)}, and the bool
 * temporary between them. Storages are dense, of one floating dtype and one size.
 */
public interface ReluGradKernel extends FusedKernel {
    /**
     * Writes {@code ∂L/∂x} into {@code gradIn}.
     *
     * @param x       the input of the rectifier
     * @param gradOut {@code ∂L/∂y}, of {@code x}'s size
     * @param gradIn  written: {@code ∂L/∂x}, of {@code x}'s size
     */
    void reluGrad(Storage x, Storage gradOut, Storage gradIn);
}
