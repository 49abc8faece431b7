package dev.nabla.models.optim;

/**
 * A learning rate as a function of the number of optimizer steps already taken ({@code step = 0}
 * before the first update). Schedules compose: {@code linearWarmup(lr, 100).then(100, cosine(lr, 900, 0))}
 * warms up for 100 steps, then anneals over the next 900. Pure functions of the step, so a resumed run
 * gets the same rates as an uninterrupted one.
 */
@FunctionalInterface
public interface LrSchedule {
    /** The learning rate for the update that follows {@code step} completed steps. */
    double lr(long step);

    /** Sets the optimizer's rate for its next step from this schedule. */
    default void apply(Optimizer optimizer) {
        optimizer.learningRate(lr(optimizer.steps()));
    }

    /** This schedule for the first {@code steps} steps, then {@code next} (which sees steps counted from 0 again). */
    default LrSchedule then(long steps, LrSchedule next) {
        if (steps < 0) {
            throw new IllegalArgumentException("then: steps must be >= 0, got " + steps);
        }
        LrSchedule first = this;
        return step -> step < steps ? first.lr(step) : next.lr(step - steps);
    }

    /** Always {@code lr}. */
    static LrSchedule constant(double lr) {
        return step -> lr;
    }

    /** PyTorch's {@code StepLR}: {@code lr·γ^⌊step / stepSize⌋}. */
    static LrSchedule step(double lr, long stepSize, double gamma) {
        if (stepSize < 1) {
            throw new IllegalArgumentException("step schedule: stepSize must be >= 1, got " + stepSize);
        }
        return step -> lr * Math.pow(gamma, step / stepSize);
    }

    /**
     * Cosine annealing (PyTorch's {@code CosineAnnealingLR} without restarts):
     * {@code min + (lr - min)·(1 + cos(π·min(step, T)/T))/2}, constant at {@code min} after {@code T} steps.
     */
    static LrSchedule cosine(double lr, long totalSteps, double minLr) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("cosine schedule: totalSteps must be >= 1, got " + totalSteps);
        }
        return step -> minLr + (lr - minLr) * (1 + Math.cos(Math.PI * Math.min(step, totalSteps) / totalSteps)) / 2;
    }

    /** Linear warm-up {@code lr·(step + 1)/warmupSteps}, reaching {@code lr} at the last warm-up step and staying there. */
    static LrSchedule linearWarmup(double lr, long warmupSteps) {
        if (warmupSteps < 1) {
            throw new IllegalArgumentException("linear warm-up: warmupSteps must be >= 1, got " + warmupSteps);
        }
        return step -> lr * Math.min(1.0, (step + 1) / (double) warmupSteps);
    }

    /**
     * Inverse-square-root decay after a linear warm-up, peaking at {@code peak}: with {@code n = step + 1},
     * {@code lr = peak·min(√(w/n), n/w)} — it rises linearly to {@code peak} at {@code n = w}, then falls as
     * {@code 1/√n}. {@link #noam} is this with Vaswani et al.'s peak.
     */
    static LrSchedule inverseSqrt(double peak, long warmupSteps) {
        if (warmupSteps < 1) {
            throw new IllegalArgumentException("inverse-sqrt schedule: warmupSteps must be >= 1, got " + warmupSteps);
        }
        if (!(peak > 0) || Double.isInfinite(peak)) {
            throw new IllegalArgumentException("inverse-sqrt schedule: the peak rate must be positive and finite, got " + peak);
        }
        double w = warmupSteps;
        return step -> {
            double n = step + 1.0;
            return peak * Math.min(Math.sqrt(w / n), n / w);
        };
    }

    /**
     * The Transformer's schedule (Vaswani et al. 2017, eq. 3), for the {@code n = step + 1}-th update:
     * <pre>
     *   lr(n) = d_model^-0.5 · min(n^-0.5, n · warmup^-1.5)
     * </pre>
     * a linear warm-up over {@code warmup} steps, then decay as {@code 1/√n}; the peak, at
     * {@code n = warmup}, is {@code (d_model · warmup)^-0.5}. Equal to
     * {@code inverseSqrt((dModel·warmup)^-0.5, warmup)}.
     *
     * @throws IllegalArgumentException for {@code dModel < 1} or {@code warmupSteps < 1}
     */
    static LrSchedule noam(int dModel, long warmupSteps) {
        if (dModel < 1) {
            throw new IllegalArgumentException("noam schedule: d_model must be >= 1, got " + dModel);
        }
        if (warmupSteps < 1) {
            throw new IllegalArgumentException("noam schedule: warmupSteps must be >= 1, got " + warmupSteps);
        }
        return inverseSqrt(1.0 / Math.sqrt((double) dModel * warmupSteps), warmupSteps);
    }
}
