package dev.nabla.models.flows.density;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.models.nn.Block;

import java.util.Map;

/**
 * A Gaussian with diagonal covariance, {@code N(μ, diag(σ²))} with {@code σ = exp(logScale)}:
 * {@code log p(z) = Σ_i [ -½·((z_i - μ_i)/σ_i)² - log σ_i - ½·log(2π) ]}; sampling is
 * {@code z = μ + σ ⊙ ε}, {@code ε ~ N(0, I)} (reparameterised, so gradients reach μ and σ).
 *
 * <p>{@code loc} and {@code logScale} are trainable parameters when built {@code trainable}, else
 * buffers (saved in checkpoints but never updated by an optimizer), like normflows'
 * {@code DiagGaussian(trainable=…)}.
 */
public final class DiagonalGaussian extends Block implements Distribution {
    private final StandardNormal standard;
    private final Tensor loc;
    private final Tensor logScale;

    /** {@code N(0, I)} with {@code loc = 0}, {@code logScale = 0} as the starting values. */
    public DiagonalGaussian(TensorFactory f, int dim, DType dtype, boolean trainable) {
        this(f, zeros(f, dim, dtype), zeros(f, dim, dtype), trainable);
    }

    /** With explicit starting {@code loc [D]} and {@code logScale [D]} (copied). */
    public DiagonalGaussian(TensorFactory f, Tensor loc, Tensor logScale, boolean trainable) {
        if (loc.rank() != 1 || !loc.shape().equals(logScale.shape()) || loc.dtype() != logScale.dtype()) {
            throw new IllegalArgumentException("DiagonalGaussian: loc " + loc.describe() + " and logScale "
                    + logScale.describe() + " must both be [D] of one dtype");
        }
        this.standard = new StandardNormal(f, loc.dim(0), loc.dtype());
        this.loc = trainable ? parameter("loc", loc) : buffer("loc", loc);
        this.logScale = trainable ? parameter("log_scale", logScale) : buffer("log_scale", logScale);
    }

    private static Tensor zeros(TensorFactory f, int dim, DType dtype) {
        if (dim < 1) {
            throw new IllegalArgumentException("DiagonalGaussian: dim must be positive, got " + dim);
        }
        return f.zeros(Shape.of(dim), dtype);
    }

    /** The mean {@code μ}. */
    public Tensor loc() {
        return loc;
    }

    /** {@code log σ}. */
    public Tensor logScale() {
        return logScale;
    }

    @Override
    public int dim() {
        return standard.dim();
    }

    @Override
    public DType dtype() {
        return standard.dtype();
    }

    @Override
    public Tensor logProb(Tensor z) {
        standard.checkEvent("DiagonalGaussian.logProb", z);
        Tensor u = z.sub(loc).mul(logScale.neg().exp());
        return u.square().mul(-0.5).sub(logScale).sum(1, false).sub(standard.logNormalizer());
    }

    /** {@code μ + σ ⊙ ε} with {@code ε} drawn from the standard normal (reparameterised). */
    @Override
    public Tensor sample(int n, Generator random) {
        return standard.sample(n, random).mul(logScale.exp()).add(loc);
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        return super.namedParameters();
    }

    @Override
    public String toString() {
        return "DiagonalGaussian(" + dim() + ", " + dtype() + ")";
    }
}
