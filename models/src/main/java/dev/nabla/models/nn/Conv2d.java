package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;

/**
 * A 2-D convolution layer (cross-correlation, as PyTorch's {@code nn.Conv2d}): input {@code [N, C, H, W]},
 * <pre>
 *   y[n, o, i, j] = b[o] + Σ_{c, p, q} w[o, c, p, q] · x_pad[n, c, i·s + p, j·s + q]
 * </pre>
 * with a square kernel {@code k}, stride {@code s} and zero padding {@code pad}; the output is
 * {@code ⌊(H + 2·pad − k)/s⌋ + 1} high (likewise wide). Parameters {@code weight [O, C, k, k]} and
 * {@code bias [O]}, initialised like PyTorch's (uniform in {@code ±1/sqrt(C·k²)}).
 */
public final class Conv2d extends Block implements Layer {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * A layer from {@code in} to {@code out} channels.
     *
     * @throws IllegalArgumentException if a size is not positive or the padding is negative
     */
    public Conv2d(TensorFactory f, Generator random, int in, int out, int kernel, int stride, int padding) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: channels, kernel and stride must be positive and padding >= 0, got in="
                    + in + ", out=" + out + ", kernel=" + kernel + ", stride=" + stride + ", padding=" + padding);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        int fanIn = in * kernel * kernel;
        try (Scope ignored = Scope.open()) {
            this.weight = parameter("weight", Init.lecunUniform(f, random, fanIn, out, in, kernel, kernel));
            this.bias = parameter("bias", Init.lecunUniform(f, random, fanIn, out));
        }
    }

    /** The output size along one spatial axis for an input of {@code size}. */
    public int outputSize(int size) {
        return (size + 2 * padding - kernel) / stride + 1;
    }

    /** Output channels. */
    public int outChannels() {
        return out;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != in) {
            throw new dev.nabla.api.types.ShapeException("Conv2d(" + in + " -> " + out + "): input " + x.shape()
                    + " must be [N, " + in + ", H, W]");
        }
        return x.conv2d(weight, bias, new int[] {stride, stride}, new int[] {padding, padding}, new int[] {1, 1});
    }

    @Override
    public String toString() {
        return "Conv2d(" + in + " -> " + out + ", k" + kernel + ", s" + stride + ", p" + padding + ")";
    }
}
