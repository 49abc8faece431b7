package dev.nabla.models.flows.bench;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.density.DensityModel;
import dev.nabla.models.optim.Optimizer;

import java.io.PrintStream;

/**
 * A deliberately small maximum-likelihood loop for the flow benchmarks and tests (the trainers SPI
 * supersedes it for applications): per step, inside a {@link Scope},
 * {@code zeroGrad; loss = −mean(log p(batch)); backward; step}.
 *
 * <p>Batches are deterministic and need no random state: the training tensor is assumed shuffled
 * once, and step {@code s} takes rows {@code [(s·B) mod N, (s·B) mod N + B)} (requires {@code B | N}),
 * so another framework given the same array and batch size sees exactly the same batches.
 */
public final class FlowTraining {
    private FlowTraining() {
    }

    /**
     * Trains {@code model} for {@code steps} steps; returns the loss of every step.
     *
     * @throws ArithmeticException naming the step if a loss is not finite
     */
    public static double[] train(DensityModel model, Optimizer optimizer, Tensor train, int batch, int steps,
            int logEvery, PrintStream log) {
        int n = train.dim(0);
        if (batch < 1 || n % batch != 0) {
            throw new IllegalArgumentException("FlowTraining: batch " + batch + " must divide the " + n + " training rows");
        }
        double[] losses = new double[steps];
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            try (Scope ignored = Scope.open()) {
                int start = (int) ((long) s * batch % n);
                Tensor x = train.slice(0, start, start + batch);
                Tensor loss = model.logProb(x).mean().neg();
                double value = loss.item();
                if (!Double.isFinite(value)) {
                    throw new ArithmeticException("FlowTraining: loss is " + value + " at step " + (s + 1));
                }
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                losses[s] = value;
            }
            if (log != null && logEvery > 0 && ((s + 1) % logEvery == 0 || s == 0)) {
                log.printf("step %5d  loss %.5f  (%.1f s)%n", s + 1, losses[s], (System.nanoTime() - t0) / 1e9);
            }
        }
        return losses;
    }

    /** The mean of {@code log p(x)} over the rows of {@code data}, in chunks, without recording. */
    public static double meanLogProb(DensityModel model, Tensor data, int chunk) {
        int n = data.dim(0);
        double sum = 0;
        try (GradMode ignored = Nabla.noGrad()) {
            for (int a = 0; a < n; a += chunk) {
                try (Scope s = Scope.open()) {
                    sum += model.logProb(data.slice(0, a, Math.min(n, a + chunk))).sum().item();
                }
            }
        }
        return sum / n;
    }
}
