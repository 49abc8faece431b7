package dev.nabla.models.flows;

import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;

/**
 * The shared machinery of {@link MaskedAutoregressiveFlow} and {@link InverseAutoregressiveFlow}: one
 * {@link MADE} conditioner ({@code made}) giving a shift {@code μ} and a log-scale {@code α} per
 * dimension, and the two ways to run the affine map through it.
 *
 * <ul>
 *   <li><i>One pass</i>: the conditioner reads the map's own input, so all outputs come from one MADE
 *       evaluation.</li>
 *   <li><i>D passes</i>: the conditioner reads the map's output, which is produced one position of the
 *       order at a time; after pass {@code r} the first {@code r} positions of the order are exact, so
 *       {@code D} passes give the whole vector (the last pass's {@code α} is exact for every position).</li>
 * </ul>
 */
public abstract class AffineAutoregressive extends FlowBlock {
    private final MADE made;

    /**
     * @param order  the autoregressive order ({@link MADE#order(String, int, Generator)})
     * @param hidden widths of MADE's hidden layers
     */
    protected AffineAutoregressive(TensorFactory f, Generator g, int[] order, int[] hidden, String activation,
            DType dtype) {
        super(order.length);
        this.made = child("made", new MADE(f, g, order, hidden, 2, activation, dtype));
    }

    /** The conditioner. */
    public final MADE made() {
        return made;
    }

    /** The autoregressive order. */
    public final int[] order() {
        return made.order();
    }

    /** {@code μ(c)} and {@code α(c)} from one MADE pass over {@code c}. */
    private Tensor[] shiftAndLogScale(Tensor c) {
        Tensor out = made.forward(c);
        int d = dim();
        return new Tensor[] {out.slice(1, 0, d), out.slice(1, d, 2 * d)};
    }

    /** One pass, {@code u → (u - μ(u))·exp(-α(u))}, log-det {@code -Σα(u)}. */
    protected final FlowResult normalizeOnePass(Tensor u) {
        Tensor[] p = shiftAndLogScale(u);
        return new FlowResult(u.sub(p[0]).mul(p[1].neg().exp()), p[1].sum(1, false).neg());
    }

    /** One pass, {@code u → u·exp(α(u)) + μ(u)}, log-det {@code +Σα(u)}. */
    protected final FlowResult denormalizeOnePass(Tensor u) {
        Tensor[] p = shiftAndLogScale(u);
        return new FlowResult(u.mul(p[1].exp()).add(p[0]), p[1].sum(1, false));
    }

    /** D passes, solving {@code v = u·exp(α(v)) + μ(v)} for {@code v}; log-det {@code +Σα(v)}. */
    protected final FlowResult denormalizeSequential(Tensor u) {
        Tensor v = u.mul(0.0);
        Tensor alpha = null;
        for (int r = 0; r < dim(); r++) {
            Tensor[] p = shiftAndLogScale(v);
            v = u.mul(p[1].exp()).add(p[0]);
            alpha = p[1];
        }
        return new FlowResult(v, alpha.sum(1, false));
    }

    /** D passes, solving {@code v = (u - μ(v))·exp(-α(v))} for {@code v}; log-det {@code -Σα(v)}. */
    protected final FlowResult normalizeSequential(Tensor u) {
        Tensor v = u.mul(0.0);
        Tensor alpha = null;
        for (int r = 0; r < dim(); r++) {
            Tensor[] p = shiftAndLogScale(v);
            v = u.sub(p[0]).mul(p[1].neg().exp());
            alpha = p[1];
        }
        return new FlowResult(v, alpha.sum(1, false).neg());
    }
}
