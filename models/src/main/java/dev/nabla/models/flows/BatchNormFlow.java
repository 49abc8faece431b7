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
 * Batch normalization as a flow layer (Dinh et al., RealNVP; Papamakarios et al., MAF), with
 * parameters {@code log_gamma}, {@code beta} and buffers {@code running_mean}, {@code running_var}:
 *
 * <pre>
 *   forward:  z = (x − m) / sqrt(v + ε) ⊙ exp(log_gamma) + beta,   log|det ∂z/∂x| = Σ_i [log_gamma_i − ½·log(v_i + ε)]
 *   inverse:  x = (z − beta) ⊙ exp(−log_gamma) ⊙ sqrt(v + ε) + m,   log|det ∂x/∂z| = −Σ_i [log_gamma_i − ½·log(v_i + ε)]
 * </pre>
 *
 * <p>In training mode {@link #forward} uses the batch mean {@code m} and biased variance {@code v}
 * (gradients flow through them, so the log-det is that of the map the batch actually went through) and
 * updates the running averages {@code r ← (1 − momentum)·r + momentum·batch}; in eval mode, and always
 * in {@link #inverse}, {@code m} and {@code v} are the running averages, which makes the layer an exact
 * bijection for sampling and for the density of single points. Default {@code momentum = 0.1},
 * {@code ε = 1e-5} (PyTorch's {@code BatchNorm1d} defaults).
 */
public final class BatchNormFlow extends FlowBlock {
    private final double momentum;
    private final double eps;
    private final Tensor logGamma;
    private final Tensor beta;
    private final Tensor runningMean;
    private final Tensor runningVar;

    /** With PyTorch's defaults {@code momentum = 0.1}, {@code eps = 1e-5}. */
    public BatchNormFlow(TensorFactory f, int dim, DType dtype) {
        this(f, dim, 0.1, 1e-5, dtype);
    }

    /** With explicit momentum (in {@code (0, 1]}) and {@code ε > 0}. */
    public BatchNormFlow(TensorFactory f, int dim, double momentum, double eps, DType dtype) {
        super(dim);
        if (!(momentum > 0 && momentum <= 1) || !(eps > 0)) {
            throw new IllegalArgumentException("BatchNormFlow: momentum must be in (0, 1] and eps > 0, got " + momentum
                    + " and " + eps);
        }
        this.momentum = momentum;
        this.eps = eps;
        try (Scope ignored = Scope.open()) {
            this.logGamma = parameter("log_gamma", f.zeros(Shape.of(dim), dtype));
            this.beta = parameter("beta", f.zeros(Shape.of(dim), dtype));
            this.runningMean = buffer("running_mean", f.zeros(Shape.of(dim), dtype));
            this.runningVar = buffer("running_var", f.ones(Shape.of(dim), dtype));
        }
    }

    /** The running mean buffer. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (biased) variance buffer. */
    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public FlowResult forward(Tensor x) {
        checkInput("forward", x);
        Tensor m;
        Tensor v;
        if (isTraining()) {
            if (x.dim(0) < 2) {
                throw new IllegalArgumentException("BatchNormFlow: training mode needs a batch of at least 2, got "
                        + x.dim(0) + "; call eval() for single points");
            }
            m = x.mean(0, false);
            v = x.variance(new int[] {0}, 0, false);
            try (Scope ignored = Scope.open(); GradMode ng = Nabla.noGrad()) {
                runningMean.assign(runningMean.mul(1 - momentum).add(m.detach().mul(momentum)));
                runningVar.assign(runningVar.mul(1 - momentum).add(v.detach().mul(momentum)));
            }
        } else {
            m = runningMean;
            v = runningVar;
        }
        Tensor ve = v.add(eps);
        Tensor z = x.sub(m).mul(ve.sqrt().reciprocal()).mul(logGamma.exp()).add(beta);
        Tensor ld = logGamma.sub(ve.log().mul(0.5)).sum().broadcastTo(x.dim(0));
        return new FlowResult(z, ld);
    }

    @Override
    public FlowResult inverse(Tensor z) {
        checkInput("inverse", z);
        Tensor ve = runningVar.add(eps);
        Tensor x = z.sub(beta).mul(logGamma.neg().exp()).mul(ve.sqrt()).add(runningMean);
        Tensor ld = logGamma.sub(ve.log().mul(0.5)).sum().neg().broadcastTo(z.dim(0));
        return new FlowResult(x, ld);
    }

    @Override
    public String toString() {
        return "BatchNormFlow(" + dim() + ")";
    }
}
