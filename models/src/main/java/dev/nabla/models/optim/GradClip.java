package dev.nabla.models.optim;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.DType;

import java.util.Collection;

/**
 * Gradient clipping, in place on the parameters' accumulated gradients, as PyTorch's
 * {@code clip_grad_norm_} and {@code clip_grad_value_}. Parameters without a gradient are skipped.
 */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Scales every gradient by {@code min(1, maxNorm / (‖g‖ + 1e-6))} where {@code ‖g‖} is the L2 norm
     * of all gradients concatenated.
     *
     * @return the total norm before clipping (NaN or infinite if a gradient is)
     */
    public static double byGlobalNorm(Collection<Tensor> parameters, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clip by norm: maxNorm must be positive, got " + maxNorm);
        }
        double total = 0;
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            for (Tensor p : parameters) {
                Tensor g = p.grad();
                if (g != null) {
                    // squares in the gradient's dtype, summed in double by the kernels; exactly in float64 only
                    // when a float32 square overflowed (|g| > 1.8e19)
                    double sq = g.square().sum().item();
                    total += Double.isInfinite(sq) && g.dtype() != DType.FLOAT64
                            ? g.to(DType.FLOAT64).square().sum().item() : sq;
                }
            }
            double norm = Math.sqrt(total);
            double coef = maxNorm / (norm + 1e-6);
            if (coef < 1) {
                for (Tensor p : parameters) {
                    Tensor g = p.grad();
                    if (g != null) {
                        g.assign(g.mul(coef));
                    }
                }
            }
            return norm;
        }
    }

    /**
     * The L2 norm of all gradients concatenated, computed in float64 without changing them:
     * NaN or infinite if a gradient holds NaN or ±∞. Parameters without a gradient are skipped.
     */
    public static double globalNorm(Collection<Tensor> parameters) {
        double total = 0;
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            for (Tensor p : parameters) {
                Tensor g = p.grad();
                if (g != null) {
                    // squares in the gradient's dtype, summed in double by the kernels; exactly in float64 only
                    // when a float32 square overflowed (|g| > 1.8e19)
                    double sq = g.square().sum().item();
                    total += Double.isInfinite(sq) && g.dtype() != DType.FLOAT64
                            ? g.to(DType.FLOAT64).square().sum().item() : sq;
                }
            }
        }
        return Math.sqrt(total);
    }

    /** Clamps every gradient element into {@code [-clipValue, clipValue]}. */
    public static void byValue(Collection<Tensor> parameters, double clipValue) {
        if (!(clipValue > 0)) {
            throw new IllegalArgumentException("clip by value: clipValue must be positive, got " + clipValue);
        }
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            for (Tensor p : parameters) {
                Tensor g = p.grad();
                if (g != null) {
                    g.assign(g.clamp(-clipValue, clipValue));
                }
            }
        }
    }
}
