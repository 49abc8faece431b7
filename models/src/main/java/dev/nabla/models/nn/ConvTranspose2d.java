package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;

/**
 * A transposed 2-D convolution layer (PyTorch's {@code nn.ConvTranspose2d}; the gradient of {@link Conv2d}
 * with respect to its input): input {@code [N, Cin, H, W]}, output {@code [N, Cout, H', W']} with
 * {@code H' = (H − 1)·s − 2·pad + k + outputPadding}. Parameters {@code weight [Cin, Cout, k, k]} and
 * {@code bias [Cout]}, initialised like PyTorch's (uniform in {@code ±1/sqrt(Cout·k²)}).
 */
public final class ConvTranspose2d extends Block implements Layer {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int outputPadding;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * A layer from {@code in} to {@code out} channels.
     *
     * @throws IllegalArgumentException if a size is not positive or a padding is negative
     */
    public ConvTranspose2d(TensorFactory f, Generator random, int in, int out, int kernel, int stride, int padding,
            int outputPadding) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0 || outputPadding < 0) {
            throw new IllegalArgumentException("ConvTranspose2d: channels, kernel and stride must be positive and paddings >= 0,"
                    + " got in=" + in + ", out=" + out + ", kernel=" + kernel + ", stride=" + stride + ", padding="
                    + padding + ", outputPadding=" + outputPadding);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        int fanIn = out * kernel * kernel;
        try (Scope ignored = Scope.open()) {
            this.weight = parameter("weight", Init.lecunUniform(f, random, fanIn, in, out, kernel, kernel));
            this.bias = parameter("bias", Init.lecunUniform(f, random, fanIn, out));
        }
    }

    /** The output size along one spatial axis for an input of {@code size}. */
    public int outputSize(int size) {
        return (size - 1) * stride - 2 * padding + kernel + outputPadding;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != in) {
            throw new dev.nabla.api.types.ShapeException("ConvTranspose2d(" + in + " -> " + out + "): input " + x.shape()
                    + " must be [N, " + in + ", H, W]");
        }
        return x.convTranspose2d(weight, bias, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {outputPadding, outputPadding});
    }

    @Override
    public String toString() {
        return "ConvTranspose2d(" + in + " -> " + out + ", k" + kernel + ", s" + stride + ", p" + padding + ")";
    }
}
