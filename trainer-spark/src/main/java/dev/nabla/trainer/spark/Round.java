package dev.nabla.trainer.spark;

import dev.nabla.api.tensor.Generator;

import java.io.Serial;
import java.io.Serializable;

/**
 * One step's (or, in {@code average} mode, one round's) work for every partition, as plain values: the
 * recipe, the example indices of the global batch, the step, and for {@code average} the local steps,
 * learning rate, optimizer step count and optimizer. Partition {@code p} of {@code P} takes the
 * consecutive share {@code indices[⌊pN/P⌋, ⌊(p+1)N/P⌋)}; its generator is seeded from (seed, step, p).
 *
 * @param recipe           how to rebuild the model
 * @param average          true for model averaging, false for synchronous gradients
 * @param indices          the examples of this step (sync) or round (average), in the loop's order
 * @param step             the loop step (1-based)
 * @param partitions       P
 * @param localSteps       K (average)
 * @param lr               the learning rate of the local steps (average)
 * @param t0               the optimizer's step count before the round (average)
 * @param optim            the optimizer of the local steps (average), else null
 * @param failFirstAttempt a partition whose first attempt throws (a test of retries), or -1
 */
record Round(Recipe recipe, boolean average, int[] indices, long step, int partitions, int localSteps, double lr,
             long t0, Replica.Optim optim, int failFirstAttempt) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The indices of partition {@code p}. */
    int[] share(int p) {
        int n = indices.length;
        int from = (int) ((long) n * p / partitions);
        int to = (int) ((long) n * (p + 1) / partitions);
        return java.util.Arrays.copyOfRange(indices, from, to);
    }

    /** The generator of partition {@code p} in this step: a function of the seed, the step and p only. */
    Generator random(int p) {
        long x = recipe.seed() * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + (p + 1) * 0x94D049BB133111EBL;
        return new Generator(x ^ (x >>> 31));
    }

    /** The partition's result vector, on the replica: see {@link Replica#gradient} and {@link Replica#localSteps}. */
    float[] work(Replica r, float[] vector, int p) {
        int[] share = share(p);
        return average ? r.localSteps(vector, share, indices.length, localSteps, optim, lr, t0, random(p))
                : r.gradient(vector, share, indices.length, random(p));
    }
}
