package dev.nabla.models.flows;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Init;

/**
 * A linear layer with a fixed binary connectivity mask: {@code y = x·(W ⊙ M) + b}, with
 * {@code W, M: [in, out]}. The mask is a buffer ({@code mask}), so it is saved with the weights; the
 * masked-out weights get zero gradient. The building block of {@link MADE} (nflows'
 * {@code MaskedLinear}).
 */
public final class MaskedLinear extends Block implements Layer {
    private final int in;
    private final int out;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor mask;

    /**
     * @param mask row-major {@code [in, out]} of 0/1: {@code mask[i·out + j] = 1} connects input {@code i}
     *             to output {@code j}
     */
    public MaskedLinear(TensorFactory f, Generator g, int in, int out, double[] mask, DType dtype) {
        if (in < 1 || out < 1 || mask.length != in * out) {
            throw new IllegalArgumentException("MaskedLinear: " + in + " -> " + out + " needs a mask of " + (in * out)
                    + " values, got " + mask.length);
        }
        this.in = in;
        this.out = out;
        try (Scope ignored = Scope.open()) {
            this.weight = parameter("weight", Init.lecunUniform(f, g, in, in, out).to(dtype));
            this.bias = parameter("bias", Init.lecunUniform(f, g, in, out).to(dtype));
            this.mask = buffer("mask", f.of(mask, in, out).to(dtype));
        }
    }

    /** The weight {@code [in, out]} (unmasked values). */
    public Tensor weight() {
        return weight;
    }

    /** The bias {@code [out]}. */
    public Tensor bias() {
        return bias;
    }

    /** The mask {@code [in, out]}. */
    public Tensor mask() {
        return mask;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() == 0 || x.dim(-1) != in) {
            throw new ShapeException("MaskedLinear(" + in + " -> " + out + "): input " + x.shape() + " must end in " + in);
        }
        return x.matmul(weight.mul(mask)).add(bias);
    }

    @Override
    public String toString() {
        return "MaskedLinear(" + in + " -> " + out + ")";
    }
}
