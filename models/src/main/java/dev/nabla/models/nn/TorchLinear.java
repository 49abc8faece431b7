package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;

/**
 * A fully connected layer in PyTorch's layout, {@code y = x·Wᵀ + b} with {@code weight [out, in]} and
 * {@code bias [out]} (PyTorch's {@code nn.Linear}), so the attention and Transformer blocks load PyTorch
 * state dicts ({@code out_proj.weight}, {@code linear1.weight}) without transposing. {@link Linear} keeps
 * Nabla's {@code [in, out]} layout. Initialised like {@code nn.Linear}: both uniform in
 * {@code ±1/sqrt(in)}, drawn in float32 and converted.
 */
final class TorchLinear extends Block implements Layer {
    private final String owner;
    private final int in;
    private final int out;
    private final Tensor weight;
    private final Tensor bias;

    TorchLinear(String owner, TensorFactory f, Generator random, int in, int out, boolean withBias, DType dtype) {
        this.owner = owner;
        this.in = in;
        this.out = out;
        try (Scope ignored = Scope.open()) {
            this.weight = parameter("weight", Init.lecunUniform(f, random, in, out, in).to(dtype));
            this.bias = withBias ? parameter("bias", Init.lecunUniform(f, random, in, out).to(dtype)) : null;
        }
    }

    /** Sets the bias to zero (PyTorch's {@code out_proj} of {@code nn.MultiheadAttention}). */
    void zeroBias() {
        if (bias != null) {
            try (Scope ignored = Scope.open()) {
                bias.assign(Tensor.zerosLike(bias));
            }
        }
    }

    Tensor weight() {
        return weight;
    }

    Tensor bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() == 0 || x.dim(-1) != in) {
            throw new ShapeException(owner + ": input " + x.shape() + " must end in " + in);
        }
        return x.linear(weight, bias);
    }

    @Override
    public String toString() {
        return "Linear(" + in + " -> " + out + ")";
    }
}
