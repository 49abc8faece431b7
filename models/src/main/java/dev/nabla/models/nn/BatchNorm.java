package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.BatchNormOutput;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.ShapeException;

/**
 * Batch normalisation (Ioffe &amp; Szegedy, 2015), as PyTorch's {@code nn.BatchNorm1d/2d}: features
 * on axis 1 of {@code [N, C]} or {@code [N, C, ...]}, statistics over every other axis.
 * <pre>
 *   training:  μ_B = mean(x),  σ²_B = mean((x - μ_B)²)        (biased, used to normalise)
 *              running_mean ← (1 - m)·running_mean + m·μ_B
 *              running_var  ← (1 - m)·running_var  + m·σ²_B·n/(n - 1)   (unbiased, n values per feature)
 *   eval:      μ = running_mean, σ² = running_var
 *   y = (x - μ) / sqrt(σ² + ε) · γ + β
 * </pre>
 * Parameters {@code weight} (γ, ones) and {@code bias} (β, zeros) unless built without affine;
 * buffers {@code running_mean} (zeros) and {@code running_var} (ones), updated in place and saved in
 * checkpoints. Momentum {@code m} defaults to 0.1, ε to 1e-5. Training runs {@link Tensor#batchNorm}: the backend's
 * fused kernel when it has one, else the composition.
 */
public class BatchNorm extends Block implements Layer {
    private final int features;
    private final double eps;
    private final double momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;

    /** BatchNorm over {@code features} channels with PyTorch's defaults. */
    public BatchNorm(TensorFactory f, int features) {
        this(f, features, 1e-5, 0.1, true);
    }

    /** BatchNorm with explicit ε, momentum in {@code (0, 1]} and affine choice. */
    public BatchNorm(TensorFactory f, int features, double eps, double momentum, boolean affine) {
        if (features < 1 || !(eps > 0) || !(momentum > 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm: need features >= 1, eps > 0, 0 < momentum <= 1; got "
                    + features + ", " + eps + ", " + momentum);
        }
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? parameter("weight", Init.constant(f, 1.0, features)) : null;
        this.bias = affine ? parameter("bias", Init.zeros(f, features)) : null;
        try (Scope s = Scope.open()) {
            this.runningMean = buffer("running_mean", Init.zeros(f, features));
            this.runningVar = buffer("running_var", Init.constant(f, 1.0, features));
        }
    }

    /** The running mean buffer {@code [C]}. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The running (unbiased) variance buffer {@code [C]}. */
    public Tensor runningVar() {
        return runningVar;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 2 || x.dim(1) != features) {
            throw new ShapeException("BatchNorm(" + features + "): input " + x.shape() + " must be [N, " + features
                    + ", ...]");
        }
        int r = x.rank();
        int[] statShape = new int[r];
        java.util.Arrays.fill(statShape, 1);
        statShape[1] = features;
        if (isTraining()) {
            long n = x.numel() / features;
            if (n < 2) {
                throw new ShapeException("BatchNorm(" + features + "): training needs more than one value per feature,"
                        + " got input " + x.shape());
            }
            // the backend's fused kernel when it has one (two passes forward, two backward), else composed
            BatchNormOutput batch = x.batchNorm(weight, bias, eps);
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                Tensor m = batch.mean().detach();
                Tensor v = batch.variance().detach().mul(n / (double) (n - 1));
                runningMean.assign(runningMean.mul(1 - momentum).add(m.mul(momentum)));
                runningVar.assign(runningVar.mul(1 - momentum).add(v.mul(momentum)));
            }
            return batch.output();
        }
        Tensor y = x.sub(runningMean.reshape(statShape)).div(runningVar.reshape(statShape).add(eps).sqrt());
        if (weight == null) {
            return y;
        }
        return y.mul(weight.reshape(statShape)).add(bias.reshape(statShape));
    }

    @Override
    public String toString() {
        return "BatchNorm(" + features + ", eps=" + eps + ", momentum=" + momentum + ")";
    }
}
