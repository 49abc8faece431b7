package dev.nabla.models.flows;

import dev.nabla.api.Nabla;
import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;

/**
 * Activation normalization, ActNorm (Kingma &amp; Dhariwal, Glow, 2018): a per-dimension affine map with
 * parameters {@code loc} and {@code log_scale},
 *
 * <pre>
 *   forward:  z = (x + loc) ⊙ exp(log_scale),   log|det ∂z/∂x| = Σ_i log_scale_i
 *   inverse:  x = z ⊙ exp(−log_scale) − loc,    log|det ∂x/∂z| = −Σ_i log_scale_i
 * </pre>
 *
 * <p><b>Data-dependent initialisation.</b> The first call of {@link #forward} in training mode sets
 * {@code loc = −mean(x)} and {@code log_scale = −log(std(x) + 1e-6)} over the batch (biased std), so that
 * batch leaves with zero mean and unit variance per dimension. Whether that has happened is the
 * buffer {@code initialized} (0 or 1), so a checkpoint restored into a fresh ActNorm does not
 * re-initialise it. In evaluation mode (a validation pass before training) and in {@link #inverse}
 * nothing is initialised: before its initialisation an ActNorm is the identity ({@code loc = 0},
 * {@code log_scale = 0}, log-det 0), so held-out data never sets the training statistics.
 */
public final class ActNorm extends FlowBlock {
    private static final double EPS = 1e-6;

    private final TensorFactory f;
    private final Tensor loc;
    private final Tensor logScale;
    private final Tensor initialized;

    /** An ActNorm over {@code R^dim}, not yet initialised. */
    public ActNorm(TensorFactory f, int dim, DType dtype) {
        super(dim);
        this.f = f;
        try (Scope ignored = Scope.open()) {
            this.loc = parameter("loc", f.zeros(Shape.of(dim), dtype));
            this.logScale = parameter("log_scale", f.zeros(Shape.of(dim), dtype));
            this.initialized = buffer("initialized", f.zeros(Shape.of(1), dtype));
        }
    }

    /** True once the data-dependent initialisation has run (or was restored from a checkpoint). */
    public boolean isInitialized() {
        return initialized.item() != 0;
    }

    /** The shift parameter. */
    public Tensor loc() {
        return loc;
    }

    /** The log-scale parameter. */
    public Tensor logScale() {
        return logScale;
    }

    private void initialize(Tensor x) {
        if (x.dim(0) < 2) {
            throw new IllegalArgumentException("ActNorm: data-dependent initialisation needs a batch of at least 2, got "
                    + x.dim(0));
        }
        try (Scope ignored = Scope.open(); GradMode ng = Nabla.noGrad()) {
            Tensor xd = x.detach();
            Tensor mean = xd.mean(0, false);
            Tensor std = xd.variance(new int[] {0}, 0, false).sqrt();
            loc.assign(mean.neg());
            logScale.assign(std.add(EPS).log().neg());
            initialized.assign(f.ones(Shape.of(1), initialized.dtype()));
        }
    }

    @Override
    public FlowResult forward(Tensor x) {
        checkInput("forward", x);
        if (isTraining() && !isInitialized()) {
            initialize(x);
        }
        Tensor z = x.add(loc).mul(logScale.exp());
        return new FlowResult(z, logScale.sum().broadcastTo(x.dim(0)));
    }

    @Override
    public FlowResult inverse(Tensor z) {
        checkInput("inverse", z);
        Tensor x = z.mul(logScale.neg().exp()).sub(loc);
        return new FlowResult(x, logScale.sum().neg().broadcastTo(z.dim(0)));
    }

    @Override
    public String toString() {
        return "ActNorm(" + dim() + ")";
    }
}
