package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Tensor;

/**
 * Reshapes each example, keeping the batch axis: {@code [N, …] → [N, shape…]} (a flatten before a
 * linear layer, an unflatten before a convolution). No parameters.
 */
public final class Reshape extends Block implements Layer {
    private final int[] shape;

    /** Each example to {@code shape} (its size must match the input's). */
    public Reshape(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        int[] dims = new int[shape.length + 1];
        dims[0] = x.dim(0);
        System.arraycopy(shape, 0, dims, 1, shape.length);
        return x.reshape(dims);
    }

    @Override
    public String toString() {
        return "Reshape" + java.util.Arrays.toString(shape);
    }
}
