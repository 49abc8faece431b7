package dev.nabla.api.backend;

/**
 * The affine map of a linear layer, {@code y = x·Wᵀ + b}, with the bias in the product: a backend that
 * computes {@code C ← A·B + C} (BLAS's {@code beta = 1}) puts the bias rows into {@code y} and lets the product
 * add to them, instead of a product into {@code y} and then a pass adding the bias to every row of it (which
 * reads and writes {@code y} once more). Storages are dense, row-major, of one floating dtype:
 * {@code x [rows, in]}, {@code w [out, in]} (PyTorch's layout), {@code b [out]}, {@code y [rows, out]}, the last
 * distinct from the others. The backward is the tensor layer's (two products and the bias's sum over rows).
 */
public interface LinearKernel extends FusedKernel {
    /**
     * Writes {@code y = x·Wᵀ + b}.
     *
     * @param x    the input rows, {@code [rows, in]}
     * @param w    the weight, {@code [out, in]}
     * @param b    the bias, {@code [out]}
     * @param rows rows of {@code x} and {@code y}, {@code >= 0}
     * @param in   features of a row of {@code x}, {@code >= 0}
     * @param out  features of a row of {@code y}, {@code >= 0}
     * @param y    written: {@code [rows, out]}
     */
    void linear(Storage x, Storage w, Storage b, int rows, int in, int out, Storage y);
}
