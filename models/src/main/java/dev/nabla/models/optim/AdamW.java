package dev.nabla.models.optim;

import dev.nabla.api.tensor.Tensor;

import java.util.Map;

/**
 * AdamW (Loshchilov &amp; Hutter, 2019), as PyTorch's {@code torch.optim.AdamW}: Adam with decoupled
 * weight decay, applied to the parameter before the Adam step rather than folded into the gradient:
 * <pre>
 *   θ ← θ·(1 - lr·λ)
 *   m ← β1·m + (1-β1)·g      v ← β2·v + (1-β2)·g²
 *   θ ← θ - (lr / (1-β1^t)) · m / (sqrt(v) / sqrt(1-β2^t) + ε)
 * </pre>
 */
public class AdamW extends Adam {
    /** AdamW with β = (0.9, 0.999), ε = 1e-8 and PyTorch's default weight decay 0.01. */
    public AdamW(Map<String, Tensor> parameters, double learningRate) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8, 0.01);
    }

    /** AdamW with explicit hyper-parameters. */
    public AdamW(Map<String, Tensor> parameters, double learningRate, double beta1, double beta2, double eps,
                 double weightDecay) {
        super(parameters, learningRate, beta1, beta2, eps, weightDecay, true);
    }
}
