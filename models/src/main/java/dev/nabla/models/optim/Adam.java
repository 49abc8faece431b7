package dev.nabla.models.optim;

import dev.nabla.api.backend.AdamKernel;
import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba, 2015), as PyTorch's {@code torch.optim.Adam}:
 * <pre>
 *   g ← g + λ·θ                       (L2 weight decay λ, coupled; 0 by default)
 *   m ← β1·m + (1-β1)·g               v ← β2·v + (1-β2)·g²
 *   θ ← θ - (lr / (1-β1^t)) · m / (sqrt(v) / sqrt(1-β2^t) + ε)
 * </pre>
 * {@link AdamW} replaces the coupled decay by a decoupled one. The update runs in place on storages allocated at
 * construction (a step allocates nothing): in one pass per parameter through the backend's fused
 * {@link AdamKernel} when it has one, else composed from its elementwise kernels.
 * State: {@code name.exp_avg} (m) and {@code name.exp_avg_sq} (v).
 */
public class Adam extends InPlaceOptimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final List<Work> work = new ArrayList<>();

    /** A slot's state and scratch; {@code fused} is the backend's update, or null where it has none. */
    private record Work(Slot s, AdamKernel fused, Tensor m, Tensor v, Storage tmp, Storage tmp2,
                        Storage b1, Storage c1, Storage b2, Storage c2, Storage eps,
                        Storage invBc2, Storage stepSize, Storage decay) {
    }

    /** Adam with β = (0.9, 0.999), ε = 1e-8, no weight decay. */
    public Adam(Map<String, Tensor> parameters, double learningRate) {
        this(parameters, learningRate, 0.9, 0.999, 1e-8, 0.0);
    }

    /** Adam with explicit hyper-parameters; {@code weightDecay} is PyTorch's coupled L2 penalty. */
    public Adam(Map<String, Tensor> parameters, double learningRate, double beta1, double beta2, double eps,
                double weightDecay) {
        this(parameters, learningRate, beta1, beta2, eps, weightDecay, false);
    }

    Adam(Map<String, Tensor> parameters, double learningRate, double beta1, double beta2, double eps,
         double weightDecay, boolean decoupled) {
        super(parameters, learningRate);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException(getClass().getSimpleName()
                    + ": need 0 <= beta1, beta2 < 1, eps > 0, weight decay >= 0; got "
                    + beta1 + ", " + beta2 + ", " + eps + ", " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        for (Slot s : slots) {
            AdamKernel fused = s.param.dtype().isFloatingPoint()
                    ? s.param.backend().fused(AdamKernel.class).orElse(null) : null;
            work.add(new Work(s, fused, s.state("exp_avg"), s.state("exp_avg_sq"), s.scratch(), s.scratch(),
                    s.constant(beta1), s.constant(1 - beta1), s.constant(beta2), s.constant(1 - beta2), s.constant(eps),
                    s.scalar(), s.scalar(), s.scalar()));
        }
    }

    @Override
    protected void update(long t) {
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        double lr = learningRate();
        for (Work w : work) {
            Slot s = w.s;
            Storage g = s.grad();
            if (g == null) {
                continue;
            }
            Storage p = s.data();
            if (decoupled && weightDecay > 0) {        // θ ← θ·(1 - lr·λ), then the update without decay
                s.set(w.decay, 1 - lr * weightDecay);
                s.opScalar(BinaryOp.MUL, p, w.decay, p);
            }
            double coupledDecay = decoupled ? 0 : weightDecay;
            if (w.fused != null) {
                w.fused.adam(p, g, w.m.storage(), w.v.storage(), beta1, beta2, eps, coupledDecay, lr / bc1,
                        1 / Math.sqrt(bc2));
                continue;
            }
            if (coupledDecay > 0) {                    // g' = g + λ·θ, in scratch (the gradient stays as it was)
                s.set(w.decay, coupledDecay);
                g = s.decayed(g, w.decay, w.tmp2);
            }
            Storage m = w.m.storage();
            Storage v = w.v.storage();
            s.ema(m, w.b1, w.c1, g, w.tmp);                // m = β1·m + (1-β1)·g
            s.op(BinaryOp.MUL, g, g, w.tmp);               // tmp = g²
            s.ema(v, w.b2, w.c2, w.tmp, w.tmp);            // v = β2·v + (1-β2)·g²
            s.unary(UnaryOp.SQRT, v, w.tmp);               // tmp = sqrt(v)
            s.set(w.invBc2, 1 / Math.sqrt(bc2));
            s.opScalar(BinaryOp.MUL, w.tmp, w.invBc2, w.tmp);
            s.opScalar(BinaryOp.ADD, w.tmp, w.eps, w.tmp); // tmp = sqrt(v)/sqrt(bc2) + ε
            s.set(w.stepSize, lr / bc1);
            s.opScalar(BinaryOp.MUL, m, w.stepSize, w.tmp2); // tmp2 = lr/bc1 · m (g' is no longer needed)
            s.op(BinaryOp.DIV, w.tmp2, w.tmp, w.tmp2);
            s.op(BinaryOp.SUB, p, w.tmp2, p);
        }
    }

    @Override
    public Map<String, Double> hyperParameters() {
        Map<String, Double> h = new LinkedHashMap<>();
        h.put("lr", learningRate());
        h.put("beta1", beta1);
        h.put("beta2", beta2);
        h.put("eps", eps);
        h.put("weight_decay", weightDecay);
        return h;
    }
}
