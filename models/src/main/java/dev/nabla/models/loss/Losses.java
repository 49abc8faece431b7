package dev.nabla.models.loss;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.ShapeException;

/**
 * Loss functions, differentiable through the api's autodiff, named as in PyTorch's
 * {@code torch.nn.functional}. Each is written in its numerically stable form:
 *
 * <ul>
 *   <li>{@link #mse}: {@code (ŷ - y)²}.</li>
 *   <li>{@link #binaryCrossEntropyWithLogits}: {@code max(x, 0) - x·y + log(1 + e^{-|x|})}, equal to
 *       {@code -[y·log σ(x) + (1-y)·log(1-σ(x))]} without overflow for large {@code |x|}.</li>
 *   <li>{@link #crossEntropy}: {@code -log_softmax(x)[target]} per row, through {@code logSoftmax}.</li>
 *   <li>{@link #gaussianLogProb}: {@code -½ Σ_d (log 2π + log σ²_d + (x_d - μ_d)² / σ²_d)}.</li>
 *   <li>{@link #klDiagonalGaussians}: {@code KL(N(μ1, σ1²) ‖ N(μ2, σ2²)) =
 *       ½ Σ_d (log σ2²/σ1² + (σ1² + (μ1 - μ2)²)/σ2² - 1)}.</li>
 * </ul>
 */
public final class Losses {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private Losses() {
    }

    private static Tensor reduce(Tensor t, Reduction r) {
        return switch (r) {
            case MEAN -> t.mean();
            case SUM -> t.sum();
            case NONE -> t;
        };
    }

    private static void sameShape(String op, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) {
            throw new ShapeException(op + ": input " + a.shape() + " and target " + b.shape() + " must have the same shape");
        }
    }

    /** Mean squared error, {@code mean((input - target)²)}. */
    public static Tensor mse(Tensor input, Tensor target) {
        return mse(input, target, Reduction.MEAN);
    }

    /** Squared error {@code (input - target)²} with the given reduction. */
    public static Tensor mse(Tensor input, Tensor target, Reduction reduction) {
        sameShape("mse", input, target);
        return reduce(input.sub(target).square(), reduction);
    }

    /** Binary cross-entropy on logits, mean over the elements. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets) {
        return binaryCrossEntropyWithLogits(logits, targets, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy on logits {@code x} against probabilities {@code y ∈ [0, 1]}:
     * {@code max(x, 0) - x·y + log1p(exp(-|x|))} = {@code softplus(x) - x·y} elementwise, then reduced;
     * its gradient is {@code σ(x) - y} everywhere, including {@code x = 0}.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets, Reduction reduction) {
        sameShape("binaryCrossEntropyWithLogits", logits, targets);
        // softplus(x) = max(x, 0) + log1p(e^{-|x|}), computed stably by the api with the smooth gradient σ(x);
        // composing relu and abs instead would give a wrong subgradient at x = 0
        Tensor loss = logits.softplus().sub(logits.mul(targets));
        return reduce(loss, reduction);
    }

    /** Cross-entropy over classes, mean over the batch, no ignored class. */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        return crossEntropy(logits, targets, Integer.MIN_VALUE, Reduction.MEAN);
    }

    /**
     * Cross-entropy of logits {@code [N, C]} against integer class targets {@code [N]} (int32 or
     * int64): {@code ℓ_i = -log_softmax(x_i)[t_i]}. Targets equal to {@code ignoreIndex} contribute
     * nothing and are left out of the mean's count ({@link Reduction#NONE} gives them 0); a mean over
     * no counted target is NaN, as in PyTorch.
     *
     * @throws ShapeException           if the shapes do not fit
     * @throws IndexOutOfBoundsException naming the first target outside {@code [0, C)} that is not ignored
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, Reduction reduction) {
        if (logits.rank() != 2 || targets.rank() != 1 || targets.dim(0) != logits.dim(0)) {
            throw new ShapeException("crossEntropy: logits must be [N, C] and targets [N], got " + logits.shape()
                    + " and " + targets.shape());
        }
        if (targets.dtype() != DType.INT64 && targets.dtype() != DType.INT32) {
            throw new DTypeException("crossEntropy: targets must be int32 or int64 class indices, got "
                    + targets.describe());
        }
        int n = logits.dim(0);
        int c = logits.dim(1);
        long[] t = targets.dtype() == DType.INT64 ? targets.toLongArray()
                : java.util.Arrays.stream(targets.toIntArray()).asLongStream().toArray();
        long[] safe = new long[n];
        double[] keep = new double[n];
        int counted = 0;
        for (int i = 0; i < n; i++) {
            if (t[i] == ignoreIndex) {
                continue;
            }
            if (t[i] < 0 || t[i] >= c) {
                throw new IndexOutOfBoundsException("crossEntropy: target " + t[i] + " at position " + i
                        + " is outside [0, " + c + ")" + (ignoreIndex == Integer.MIN_VALUE ? ""
                        : " and is not the ignore index " + ignoreIndex));
            }
            safe[i] = t[i];
            keep[i] = 1;
            counted++;
        }
        var f = logits.factory();
        Tensor picked = logits.logSoftmax(1).gather(1, f.of(safe, n, 1)).reshape(n);
        Tensor mask = f.of(keep, n).to(logits.dtype());
        Tensor loss = picked.neg().mul(mask);
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.sum().div(counted);
        };
    }

    /**
     * Cross-entropy with label smoothing (Szegedy et al. 2016; PyTorch's {@code CrossEntropyLoss(label_smoothing=ε)}):
     * the target distribution puts {@code 1 − ε + ε/C} on the target class and {@code ε/C} on every other, so
     * <pre>
     *   ℓ_i = (1 − ε)·(−log p_i[t_i]) + (ε/C)·Σ_c (−log p_i[c]),   p_i = softmax(x_i)
     * </pre>
     * for logits {@code [N, C]} and integer targets {@code [N]}. Targets equal to {@code ignoreIndex}
     * contribute nothing and are left out of the mean's count, as in {@link #crossEntropy(Tensor, Tensor, int, Reduction)};
     * {@code ε = 0} is that loss.
     *
     * @param labelSmoothing ε in {@code [0, 1]}
     * @throws IllegalArgumentException for ε outside {@code [0, 1]}
     * @throws ShapeException           if the shapes do not fit
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, double labelSmoothing,
                                      Reduction reduction) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (labelSmoothing == 0) {
            return crossEntropy(logits, targets, ignoreIndex, reduction);
        }
        Tensor nll = crossEntropy(logits, targets, ignoreIndex, Reduction.NONE);   // checks shapes and targets
        int n = logits.dim(0);
        int c = logits.dim(1);
        long[] t = targets.dtype() == DType.INT64 ? targets.toLongArray()
                : java.util.Arrays.stream(targets.toIntArray()).asLongStream().toArray();
        double[] keep = new double[n];
        int counted = 0;
        for (int i = 0; i < n; i++) {
            if (t[i] != ignoreIndex) {
                keep[i] = 1;
                counted++;
            }
        }
        Tensor mask = logits.factory().of(keep, n).to(logits.dtype());
        Tensor uniform = logits.logSoftmax(1).sum(1, false).neg().mul(mask).mul(labelSmoothing / c);
        Tensor loss = nll.mul(1 - labelSmoothing).add(uniform);
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.sum().div(counted);
        };
    }

    /**
     * Log-density of {@code x [..., D]} under the diagonal Gaussian {@code N(mean, exp(logVar))},
     * summed over the last axis: shape {@code [...]}. Arguments broadcast.
     */
    public static Tensor gaussianLogProb(Tensor x, Tensor mean, Tensor logVar) {
        Tensor z2 = x.sub(mean).square().mul(logVar.neg().exp());
        return z2.add(logVar).add(LOG_2PI).sum(-1, false).mul(-0.5);
    }

    /** As {@link #gaussianLogProb} with the log standard deviation {@code log σ} ({@code log σ² = 2 log σ}). */
    public static Tensor gaussianLogProbLogStd(Tensor x, Tensor mean, Tensor logStd) {
        return gaussianLogProb(x, mean, logStd.mul(2.0));
    }

    /** Gaussian negative log-likelihood, {@code -gaussianLogProb}, reduced over the batch. */
    public static Tensor gaussianNll(Tensor x, Tensor mean, Tensor logVar, Reduction reduction) {
        return reduce(gaussianLogProb(x, mean, logVar).neg(), reduction);
    }

    /**
     * {@code KL(N(μ1, e^{logVar1}) ‖ N(μ2, e^{logVar2}))} for diagonal Gaussians, summed over the last
     * axis: shape {@code [...]}. With {@code μ2 = 0, logVar2 = 0} it is the VAE's KL term.
     */
    public static Tensor klDiagonalGaussians(Tensor mu1, Tensor logVar1, Tensor mu2, Tensor logVar2) {
        Tensor ratio = logVar1.sub(logVar2).exp();
        Tensor mahal = mu1.sub(mu2).square().mul(logVar2.neg().exp());
        return logVar2.sub(logVar1).add(ratio).add(mahal).sub(1.0).sum(-1, false).mul(0.5);
    }
}
