package dev.nabla.models.flows;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.density.DensityModel;
import dev.nabla.models.density.Sample;
import dev.nabla.models.density.SamplingModel;
import dev.nabla.models.optim.Optimizer;

/**
 * Probability density distillation (van den Oord et al., Parallel WaveNet, 2018): a student that samples
 * cheaply with its own log-probabilities (an IAF) is fitted to a fixed teacher whose density is cheap
 * (a MAF) by minimising the reverse KL divergence, estimated from the student's own samples:
 *
 * <pre>
 *   KL(q_S ‖ p_T) = E_{x ~ q_S}[ log q_S(x) − log p_T(x) ]  ≈  (1/n)·Σ_k [ log q_S(x_k) − log p_T(x_k) ],
 *   x_k = f_S⁻¹(z_k), z_k ~ p_Z   (reparameterised: the gradient flows through x_k into the student)
 * </pre>
 *
 * <p>Only the student's parameters are updated (the optimizer is built over them); the teacher's
 * gradients are cleared every step so they do not accumulate. {@link #step} is one update; a trainer
 * calls it in its loop. A non-finite loss throws with the step number and leaves the parameters
 * untouched.
 */
public final class DensityDistillation {
    private final SamplingModel student;
    private final DensityModel teacher;
    private final Optimizer optimizer;
    private final int batchSize;
    private long steps;

    /**
     * @param optimizer over the student's parameters only
     * @param batchSize student samples per step
     */
    public DensityDistillation(SamplingModel student, DensityModel teacher, Optimizer optimizer, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("DensityDistillation: batchSize must be positive, got " + batchSize);
        }
        for (String k : optimizer.parameters().keySet()) {
            Tensor p = optimizer.parameters().get(k);
            if (teacher.namedParameters().containsValue(p)) {
                throw new IllegalArgumentException("DensityDistillation: the optimizer updates teacher parameter '" + k
                        + "'; build it over the student's parameters only");
            }
        }
        this.student = student;
        this.teacher = teacher;
        this.optimizer = optimizer;
        this.batchSize = batchSize;
    }

    /** The Monte-Carlo KL estimate {@code mean(log q_S(x) − log p_T(x))} on a fresh batch, without updating. */
    public double estimateKl(Generator random) {
        return estimateKl(random, batchSize);
    }

    /** The Monte-Carlo KL estimate from {@code samples} fresh student samples (drawn a batch at a time). */
    public double estimateKl(Generator random, int samples) {
        double sum = 0;
        try (var ng = dev.nabla.api.Nabla.noGrad()) {
            for (int done = 0; done < samples; done += batchSize) {
                int n = Math.min(batchSize, samples - done);
                try (Scope ignored = Scope.open()) {
                    Sample s = student.sampleWithLogProb(n, random);
                    sum += s.logProb().sub(teacher.logProb(s.value())).sum().item();
                }
            }
        }
        return sum / samples;
    }

    /** One update on {@code batchSize} fresh student samples; returns the KL estimate before the update. */
    public double step(Generator random) {
        steps++;
        try (Scope ignored = Scope.open()) {
            Sample s = student.sampleWithLogProb(batchSize, random);
            Tensor loss = s.logProb().sub(teacher.logProb(s.value())).mean();
            double value = loss.item();
            if (!Double.isFinite(value)) {
                throw new ArithmeticException("DensityDistillation: KL estimate is " + value + " at step " + steps);
            }
            optimizer.zeroGrad();
            loss.backward();
            for (Tensor p : teacher.namedParameters().values()) {
                p.zeroGrad();
            }
            optimizer.step();
            return value;
        }
    }

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }
}
