package dev.nabla.models.flows.density;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;

import java.util.Map;

/**
 * The standard normal {@code N(0, I_D)}, the usual base distribution of a flow:
 * {@code log p(z) = -½·Σ_i z_i² - (D/2)·log(2π)}. No parameters.
 */
public final class StandardNormal implements Distribution {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final TensorFactory f;
    private final int dim;
    private final DType dtype;

    /** A float32 standard normal over {@code R^dim}. */
    public StandardNormal(TensorFactory f, int dim) {
        this(f, dim, DType.FLOAT32);
    }

    /** A standard normal over {@code R^dim} in {@code dtype}. */
    public StandardNormal(TensorFactory f, int dim, DType dtype) {
        if (dim < 1) {
            throw new IllegalArgumentException("StandardNormal: dim must be positive, got " + dim);
        }
        this.f = f;
        this.dim = dim;
        this.dtype = dtype;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public Tensor logProb(Tensor z) {
        checkEvent("StandardNormal.logProb", z);
        return z.square().sum(1, false).mul(-0.5).sub(logNormalizer());
    }

    @Override
    public Tensor sample(int n, Generator random) {
        return f.normal(random, 0, 1, Shape.of(n, dim), dtype);
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        return Map.of();
    }

    /** {@code (D/2)·log(2π)}, the log of the normalizing constant, shared with {@link DiagonalGaussian}. */
    double logNormalizer() {
        return 0.5 * dim * LOG_2PI;
    }

    /** Checks that {@code z} is a batch of events, {@code [n, D]}. */
    void checkEvent(String op, Tensor z) {
        if (z.rank() != 2 || z.dim(1) != dim) {
            throw new ShapeException(op + ": input " + z.shape() + " must be [batch, " + dim + "]");
        }
    }

    @Override
    public String toString() {
        return "StandardNormal(" + dim + ", " + dtype + ")";
    }
}
