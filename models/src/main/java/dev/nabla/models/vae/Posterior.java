package dev.nabla.models.vae;

import dev.nabla.api.tensor.Tensor;

/**
 * The encoder's diagonal Gaussian {@code q_φ(z|x) = N(μ(x), diag σ²(x))}, as the mean and the log-variance
 * {@code log σ²} ({@code [batch, latent]} each), with what the ELBO needs of it:
 * <pre>
 *   z = μ + σ ⊙ ε,  ε ~ N(0, I)                                  (reparameterisation)
 *   KL(q ‖ N(0, I)) = ½ Σ_j (μ_j² + σ_j² − 1 − log σ_j²)          (closed form)
 *   log q(z|x) = −½ Σ_j (ε_j² + log σ_j² + log 2π)                (at z = μ + σ ⊙ ε)
 * </pre>
 *
 * @param mean   {@code μ}
 * @param logVar {@code log σ²}
 */
public record Posterior(Tensor mean, Tensor logVar) {
    static final double LOG_2PI = Math.log(2 * Math.PI);

    /** {@code μ + exp(½ log σ²) ⊙ ε}: gradients reach {@code μ} and {@code log σ²} through it. */
    public Tensor sample(Tensor eps) {
        return mean.add(logVar.mul(0.5).exp().mul(eps));
    }

    /** The closed-form {@code KL(q ‖ N(0, I))} per example, {@code [batch]}. */
    public Tensor klToStandardNormal() {
        return mean.square().add(logVar.exp()).sub(1.0).sub(logVar).sum(1, false).mul(0.5);
    }

    /** {@code log q(z|x)} per example at {@code z = μ + σ ⊙ ε}, {@code [batch]}, from {@code ε}. */
    public Tensor logDensityAt(Tensor eps) {
        int latent = mean.dim(1);
        return eps.square().add(logVar).sum(1, false).mul(-0.5).sub(0.5 * latent * LOG_2PI);
    }

    /** {@code log N(z; 0, I)} per example, {@code [batch]}. */
    public static Tensor standardNormalLogDensity(Tensor z) {
        return z.square().sum(1, false).mul(-0.5).sub(0.5 * z.dim(1) * LOG_2PI);
    }
}
