package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;

/**
 * A fully connected layer: {@code y = x·W + b} with {@code W: [in, out]}, {@code b: [out]}, applied to
 * the last axis of {@code x: [..., in]}.
 *
 * <p>Parameters {@code weight} and (unless built without) {@code bias}. Default initialisation is
 * PyTorch's: both uniform in {@code ±1/sqrt(in)}; {@link #Linear(TensorFactory, Tensor, Tensor)} takes
 * explicit initial values.
 */
public class Linear extends Block implements Layer {
    private final int in;
    private final int out;
    private final Tensor weight;
    private final Tensor bias;

    /** A layer with bias, initialised like PyTorch's {@code nn.Linear}. */
    public Linear(TensorFactory f, Generator random, int in, int out) {
        this(f, random, in, out, true);
    }

    /** A layer with or without bias, initialised like PyTorch's {@code nn.Linear}. */
    public Linear(TensorFactory f, Generator random, int in, int out, boolean withBias) {
        this(f, random, in, out, withBias, DType.FLOAT32);
    }

    /**
     * A layer with or without bias in {@code dtype}, initialised like PyTorch's {@code nn.Linear}: the
     * values are drawn in float32 and converted, so a float64 layer starts from the float32 layer's values.
     */
    public Linear(TensorFactory f, Generator random, int in, int out, boolean withBias, DType dtype) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear: in and out must be positive, got " + in + " and " + out);
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("Linear: dtype must be floating point, got " + dtype);
        }
        this.in = in;
        this.out = out;
        try (Scope ignored = Scope.open()) {
            this.weight = parameter("weight", Init.lecunUniform(f, random, in, in, out).to(dtype));
            this.bias = withBias ? parameter("bias", Init.lecunUniform(f, random, in, out).to(dtype)) : null;
        }
    }

    /**
     * A layer with explicit initial values: {@code weight [in, out]} and {@code bias [out]} (or null).
     * The values are copied.
     */
    public Linear(TensorFactory f, Tensor weight, Tensor bias) {
        if (weight.rank() != 2 || (bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(1)))) {
            throw new IllegalArgumentException("Linear: weight must be [in, out] and bias [out], got "
                    + weight.shape() + " and " + (bias == null ? "none" : bias.shape()));
        }
        this.in = weight.dim(0);
        this.out = weight.dim(1);
        this.weight = parameter("weight", weight);
        this.bias = bias == null ? null : parameter("bias", bias);
    }

    /** The weight parameter {@code [in, out]}. */
    public Tensor weight() {
        return weight;
    }

    /** The bias parameter {@code [out]}, or null. */
    public Tensor bias() {
        return bias;
    }

    /** Input features. */
    public int inFeatures() {
        return in;
    }

    /** Output features. */
    public int outFeatures() {
        return out;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() == 0 || x.dim(-1) != in) {
            throw new dev.nabla.api.types.ShapeException("Linear(" + in + " -> " + out + "): input " + x.shape()
                    + " must end in " + in);
        }
        Tensor y = x.matmul(weight);
        return bias == null ? y : y.add(bias);
    }

    @Override
    public String toString() {
        return "Linear(" + in + " -> " + out + (bias == null ? ", no bias)" : ")");
    }
}
