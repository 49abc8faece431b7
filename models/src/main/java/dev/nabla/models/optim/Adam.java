package dev.nabla.models.optim;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba, 2015), with optional decoupled weight decay (AdamW, Loshchilov &amp; Hutter):
 * <pre>
 *   m ← β1·m + (1-β1)·g          v ← β2·v + (1-β2)·g²
 *   m̂ = m / (1-β1^t)             v̂ = v / (1-β2^t)
 *   θ ← θ - lr·(m̂ / (sqrt(v̂) + ε) + λ·θ)      (λ = weight decay; 0 for plain Adam)
 * </pre>
 */
public class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final Map<String, Tensor> m = new LinkedHashMap<>();
    private final Map<String, Tensor> v = new LinkedHashMap<>();

    /** Adam with β = (0.9, 0.999), ε = 1e-8, no weight decay. */
    public Adam(Map<String, Tensor> parameters, double learningRate) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8, 0.0);
    }

    /** Adam with explicit hyper-parameters; {@code weightDecay > 0} gives AdamW's decoupled decay. */
    public Adam(Map<String, Tensor> parameters, double learningRate, double beta1, double beta2, double eps,
                double weightDecay) {
        super(parameters, learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam: need 0 <= beta1, beta2 < 1, eps > 0, weight decay >= 0; got "
                    + beta1 + ", " + beta2 + ", " + eps + ", " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        parameters.forEach((name, p) -> {
            try (Scope s = Scope.open()) {
                m.put(name, p.factory().zeros(p.shape(), p.dtype()).toParameter().requiresGrad(false));
                v.put(name, p.factory().zeros(p.shape(), p.dtype()).toParameter().requiresGrad(false));
            }
        });
    }

    @Override
    protected void update(long t) {
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            for (var e : parameters().entrySet()) {
                Tensor p = e.getValue();
                Tensor g = p.grad();
                if (g == null) {
                    continue;
                }
                Tensor mt = m.get(e.getKey());
                Tensor vt = v.get(e.getKey());
                mt.assign(mt.mul(beta1).add(g.mul(1 - beta1)));
                vt.assign(vt.mul(beta2).add(g.square().mul(1 - beta2)));
                Tensor delta = mt.div(bc1).div(vt.div(bc2).sqrt().add(eps));
                if (weightDecay > 0) {
                    delta = delta.add(p.mul(weightDecay));
                }
                p.addInPlace(delta, -learningRate());
            }
        }
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.forEach((k, t) -> out.put(k + ".exp_avg", t));
        v.forEach((k, t) -> out.put(k + ".exp_avg_sq", t));
        return out;
    }
}
