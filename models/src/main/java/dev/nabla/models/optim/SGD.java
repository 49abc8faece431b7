package dev.nabla.models.optim;

import dev.nabla.api.backend.Storage;
import dev.nabla.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, as
 * PyTorch's {@code torch.optim.SGD} with dampening 0:
 * <pre>
 *   g ← g + λ·θ
 *   b ← μ·b + g                       (b starts at 0, so the first step has b = g)
 *   d = nesterov ? g + μ·b : b        (d = g when μ = 0)
 *   θ ← θ - lr·d
 * </pre>
 * Runs in place through the backend's kernels; a step allocates nothing. State:
 * {@code name.momentum_buffer} when μ &gt; 0.
 */
public class SGD extends InPlaceOptimizer {
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;
    private final List<Work> work = new ArrayList<>();

    private record Work(Slot s, Tensor buf, Storage tmp, Storage d, Storage mu, Storage decay, Storage lr) {
    }

    /** Plain SGD. */
    public SGD(Map<String, Tensor> parameters, double learningRate) {
        this(parameters, learningRate, 0, 0, false);
    }

    /**
     * @param momentum    μ in {@code [0, 1)}
     * @param weightDecay λ ≥ 0 (L2 penalty added to the gradient)
     * @param nesterov    Nesterov momentum (needs μ &gt; 0)
     */
    public SGD(Map<String, Tensor> parameters, double learningRate, double momentum, double weightDecay,
               boolean nesterov) {
        super(parameters, learningRate);
        if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD: need 0 <= momentum < 1 and weight decay >= 0; got momentum "
                    + momentum + ", weight decay " + weightDecay);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0");
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        for (Slot s : slots) {
            work.add(new Work(s, momentum > 0 ? s.state("momentum_buffer") : null, s.scratch(), s.scratch(),
                    s.constant(momentum), s.constant(weightDecay), s.scalar()));
        }
    }

    @Override
    protected void update(long t) {
        for (Work w : work) {
            Slot s = w.s;
            Storage g = s.grad();
            if (g == null) {
                continue;
            }
            if (weightDecay > 0) {
                g = s.decayed(g, w.decay, w.tmp);              // g' = g + λ·θ
            }
            Storage d = g;
            if (momentum > 0) {
                Storage b = w.buf.storage();
                s.accumulate(b, w.mu, g);                      // b = μ·b + g
                if (nesterov) {
                    d = s.plusScaled(g, b, w.mu, w.d);         // d = g + μ·b
                } else {
                    d = b;
                }
            }
            s.descend(d, w.lr, learningRate(), w.d);           // θ = θ - lr·d
        }
    }

    @Override
    public Map<String, Double> hyperParameters() {
        Map<String, Double> h = new LinkedHashMap<>();
        h.put("lr", learningRate());
        h.put("momentum", momentum);
        h.put("weight_decay", weightDecay);
        h.put("nesterov", nesterov ? 1.0 : 0.0);
        return h;
    }
}
