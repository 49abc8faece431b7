package dev.nabla.models.nn;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;

/**
 * Hard (stochastic) attention (Xu et al. 2015): instead of the average {@code Σ_s a_s h̄_s}, one source
 * position is drawn from the alignment and its encoder output is the context,
 * <pre>
 *   s ~ Categorical(a / Σ_s' a_s'),   c = h̄_s,   log p(s) = log a_s − log Σ_s' a_s'
 * </pre>
 * The draw has no gradient; the score function (REINFORCE, Williams 1992) estimator trains what made the
 * alignment. For a reward {@code r} of the sampled positions (the log-likelihood of the target) and a
 * running baseline {@code b},
 * <pre>
 *   ∇ E[r] = E[(r − b) ∇ log p(s)]        (b does not depend on s, so the estimator stays unbiased)
 *   surrogate = −(1/N) Σ_i (r_i − b) log p(s_i)     its gradient is −(1/N) Σ_i (r_i − b) ∇ log p(s_i)
 *   b ← β b + (1 − β) mean_i r_i                     after each surrogate (the first sets b = mean r)
 * </pre>
 * Add the surrogate to the loss that is minimised. In evaluation the context is the most aligned
 * position ({@link #argmax}). The baseline and whether it was set are the buffers {@code baseline} and
 * {@code baseline_set}, so a checkpoint resumes them.
 */
public final class HardAttention extends Block {
    private final double decay;
    private final Tensor baseline;
    private final Tensor baselineSet;

    /**
     * The estimator's state.
     *
     * @param decay the baseline's decay {@code β}, in {@code [0, 1)}
     */
    public HardAttention(TensorFactory f, double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("HardAttention: the baseline decay must be in [0, 1), got " + decay);
        }
        this.decay = decay;
        this.baseline = buffer("baseline", f.zeros(DType.FLOAT64, 1));
        this.baselineSet = buffer("baseline_set", f.zeros(DType.FLOAT64, 1));
    }

    /**
     * One draw per row.
     *
     * @param context   the context {@code [B, D]}: the encoder output at the drawn position
     * @param logProb   {@code log p(s)} per row, {@code [B]}, differentiable in the alignment
     * @param positions the drawn positions
     */
    public record Draw(Tensor context, Tensor logProb, int[] positions) {
    }

    /**
     * Draws a position of each row of {@code weights [B, S]} (non-negative, each row with a positive
     * entry) and picks its row of {@code keys [B, S, D]}.
     *
     * @throws ShapeException naming the shapes that do not fit
     */
    public static Draw sample(Tensor weights, Tensor keys, Generator random) {
        check(weights, keys);
        double[] a = weights.toDoubleArray();
        int b = weights.dim(0);
        int width = weights.dim(1);
        int[] pos = new int[b];
        for (int i = 0; i < b; i++) {
            double total = 0;
            for (int s = 0; s < width; s++) {
                total += a[i * width + s];
            }
            double u = random.nextDouble() * total;
            int chosen = -1;
            double acc = 0;
            for (int s = 0; s < width; s++) {
                if (a[i * width + s] > 0) {
                    chosen = s;              // the last positive entry catches rounding at the top
                    acc += a[i * width + s];
                    if (u < acc) {
                        break;
                    }
                }
            }
            if (chosen < 0) {
                throw new IllegalArgumentException("HardAttention.sample: row " + i + " of the alignment has no positive weight");
            }
            pos[i] = chosen;
        }
        return draw(weights, keys, pos);
    }

    /** The most aligned position of each row (the first of ties), for evaluation. */
    public static Draw argmax(Tensor weights, Tensor keys) {
        check(weights, keys);
        long[] best = weights.argmax(1, false).toLongArray();
        int[] pos = new int[best.length];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = (int) best[i];
        }
        return draw(weights, keys, pos);
    }

    private static void check(Tensor weights, Tensor keys) {
        if (weights.rank() != 2 || keys.rank() != 3 || keys.dim(0) != weights.dim(0) || keys.dim(1) != weights.dim(1)) {
            throw new ShapeException("HardAttention: weights must be [B, S] and keys [B, S, D], got " + weights.shape()
                    + " and " + keys.shape());
        }
    }

    /** The draw of given positions: their contexts and log-probabilities. */
    public static Draw draw(Tensor weights, Tensor keys, int[] positions) {
        check(weights, keys);
        TensorFactory f = weights.factory();
        Tensor index = f.of(positions, positions.length);
        Tensor oneHot = index.oneHot(weights.dim(1)).to(keys.dtype());
        Tensor context = SourceAttention.context(oneHot, keys);
        Tensor logProb = weights.gather(1, index.reshape(positions.length, 1)).squeeze(1).log()
                .sub(weights.sum(1, false).log());
        return new Draw(context, logProb, positions.clone());
    }

    /** The running baseline {@code b} (0 before the first surrogate). */
    public double baseline() {
        return baseline.toDoubleArray()[0];
    }

    /**
     * The REINFORCE surrogate {@code −(1/N) Σ_i (r_i − b) logProb_i} with the current baseline, which it then
     * updates with the rewards.
     *
     * @param logProb   {@code [N]}: each sample's {@code log p} (summed over the draws it made)
     * @param reward    {@code r_i}, constants
     * @param normaliser {@code N}, what the sum is divided by
     * @return a scalar
     */
    public Tensor surrogate(Tensor logProb, double[] reward, double normaliser) {
        if (logProb.rank() != 1 || logProb.dim(0) != reward.length) {
            throw new ShapeException("HardAttention.surrogate: log-probabilities " + logProb.shape() + " for "
                    + reward.length + " rewards");
        }
        double b = baseline();
        double[] advantage = new double[reward.length];
        double mean = 0;
        for (int i = 0; i < reward.length; i++) {
            advantage[i] = reward[i] - b;
            mean += reward[i] / reward.length;
        }
        Tensor adv = logProb.factory().of(advantage, advantage.length).to(logProb.dtype());
        Tensor s = logProb.mul(adv).sum().div(-normaliser);
        double next = baselineSet.toDoubleArray()[0] == 0 ? mean : decay * b + (1 - decay) * mean;
        try (GradMode ignored = Autograd.noGrad()) {
            baseline.assign(baseline.factory().of(new double[] {next}, 1));
            baselineSet.assign(baselineSet.factory().of(new double[] {1}, 1));
        }
        return s;
    }

    @Override
    public String toString() {
        return "HardAttention(baseline decay " + decay + ")";
    }
}
