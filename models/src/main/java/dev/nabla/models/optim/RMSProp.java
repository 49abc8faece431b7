package dev.nabla.models.optim;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSProp (Hinton), as PyTorch's {@code torch.optim.RMSprop}:
 * <pre>
 *   g ← g + λ·θ
 *   s ← α·s + (1-α)·g²
 *   centered:  a ← α·a + (1-α)·g,   r = sqrt(s - a²) + ε      otherwise  r = sqrt(s) + ε
 *   μ &gt; 0:  b ← μ·b + g / r,  θ ← θ - lr·b                 otherwise  θ ← θ - lr·g / r
 * </pre>
 * Runs in place through the backend's kernels; a step allocates nothing. State:
 * {@code name.square_avg}, {@code name.grad_avg} (centered), {@code name.momentum_buffer} (μ &gt; 0).
 */
public class RMSProp extends InPlaceOptimizer {
    private final double alpha;
    private final double eps;
    private final double weightDecay;
    private final double momentum;
    private final boolean centered;
    private final List<Work> work = new ArrayList<>();

    private record Work(Slot s, Tensor sq, Tensor avg, Tensor buf, Storage gw, Storage tmp, Storage r,
                        Storage alpha, Storage c, Storage eps, Storage decay, Storage mu, Storage lr) {
    }

    /** RMSProp with PyTorch's defaults: α = 0.99, ε = 1e-8, no momentum, not centered. */
    public RMSProp(Map<String, Tensor> parameters, double learningRate) {
        this(parameters, learningRate, 0.99, 1e-8, 0, 0, false);
    }

    /** RMSProp with explicit hyper-parameters. */
    public RMSProp(Map<String, Tensor> parameters, double learningRate, double alpha, double eps,
                   double weightDecay, double momentum, boolean centered) {
        super(parameters, learningRate);
        if (!(alpha >= 0 && alpha < 1) || !(eps > 0) || !(weightDecay >= 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("RMSProp: need 0 <= alpha < 1, eps > 0, weight decay >= 0,"
                    + " 0 <= momentum < 1; got " + alpha + ", " + eps + ", " + weightDecay + ", " + momentum);
        }
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.centered = centered;
        for (Slot s : slots) {
            work.add(new Work(s, s.state("square_avg"), centered ? s.state("grad_avg") : null,
                    momentum > 0 ? s.state("momentum_buffer") : null, s.scratch(), s.scratch(), s.scratch(),
                    s.constant(alpha), s.constant(1 - alpha), s.constant(eps), s.constant(weightDecay),
                    s.constant(momentum), s.scalar()));
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
                g = s.decayed(g, w.decay, w.gw);               // g' = g + λ·θ
            }
            Storage sq = w.sq.storage();
            s.op(BinaryOp.MUL, g, g, w.tmp);
            s.ema(sq, w.alpha, w.c, w.tmp, w.tmp);             // s = α·s + (1-α)·g²
            if (centered) {
                Storage a = w.avg.storage();
                s.ema(a, w.alpha, w.c, g, w.tmp);              // a = α·a + (1-α)·g
                s.op(BinaryOp.MUL, a, a, w.tmp);
                s.op(BinaryOp.SUB, sq, w.tmp, w.r);            // r = s - a²
                s.unary(UnaryOp.SQRT, w.r, w.r);
            } else {
                s.unary(UnaryOp.SQRT, sq, w.r);
            }
            s.opScalar(BinaryOp.ADD, w.r, w.eps, w.r);         // r = sqrt(…) + ε
            s.op(BinaryOp.DIV, g, w.r, w.tmp);                 // tmp = g / r
            Storage d = w.tmp;
            if (momentum > 0) {
                Storage b = w.buf.storage();
                s.accumulate(b, w.mu, w.tmp);                  // b = μ·b + g / r
                d = b;
            }
            s.descend(d, w.lr, learningRate(), w.r);           // θ = θ - lr·d
        }
    }

    @Override
    public Map<String, Double> hyperParameters() {
        Map<String, Double> h = new LinkedHashMap<>();
        h.put("lr", learningRate());
        h.put("alpha", alpha);
        h.put("eps", eps);
        h.put("weight_decay", weightDecay);
        h.put("momentum", momentum);
        h.put("centered", centered ? 1.0 : 0.0);
        return h;
    }
}
