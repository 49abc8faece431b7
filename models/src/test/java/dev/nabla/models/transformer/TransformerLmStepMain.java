package dev.nabla.models.transformer;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.optim.Adam;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The training step of the Transformer LM, timed: vocabulary 65, d_model 128, 4 heads, feed-forward 512,
 * 2 pre-LN layers, dropout 0, context 64, batch 32 ({@link TransformerLm}, as {@code transformer-lm} builds it),
 * cross-entropy over all {@code 32 × 64} positions, backward, Adam 1e-3 — the same step as
 * {@code scripts/bench_transformer_torch_peer.py}. Tokens are drawn from a seeded generator.
 *
 * <pre>
 *   TransformerLmStepMain [rounds=7] [stepsPerRound=10] [warmupRounds=3] [batch=32] [context=64]
 * </pre>
 *
 * Prints {@code nabla step_ms <median ms per step>} (the median over the timed rounds of the mean step time of
 * a round); the backend is whichever {@link Nabla#backend()} selects ({@code -Dnabla.backend=native
 * -Dnabla.threads=1} in {@code scripts/bench-transformer-vs-torch}).
 */
public final class TransformerLmStepMain {
    static final int VOCAB = 65;

    private TransformerLmStepMain() {
    }

    /** Runs the measurement; arguments as in the class comment. */
    public static void main(String[] args) {
        int rounds = arg(args, 0, 7);
        int perRound = arg(args, 1, 10);
        int warmup = arg(args, 2, 3);
        int batch = arg(args, 3, 32);
        int context = arg(args, 4, 64);
        TensorFactory f = TensorFactory.on(Nabla.backend());
        System.out.println("nabla_info backend " + f.backend());
        try (TransformerLm lm = new TransformerLm(f, new Generator(1), VOCAB,
                new TransformerModels.Sizes(128, 4, 512, 2, 0.0, "relu", true), context);
             Adam adam = new Adam(lm.namedParameters(), 1e-3)) {
            SplittableRandom random = new SplittableRandom(7);
            List<Double> times = new ArrayList<>();
            double loss = Double.NaN;
            for (int r = -warmup; r < rounds; r++) {
                long t0 = System.nanoTime();
                for (int s = 0; s < perRound; s++) {
                    loss = step(f, lm, adam, random, batch, context);
                }
                double ms = (System.nanoTime() - t0) / 1e6 / perRound;
                if (r >= 0) {
                    times.add(ms);
                }
            }
            System.out.printf(Locale.ROOT, "nabla_info last loss %.4f, step times by round %s ms%n", loss,
                    times.stream().map(t -> String.format(Locale.ROOT, "%.1f", t)).toList());
            Collections.sort(times);
            System.out.printf(Locale.ROOT, "nabla step_ms %.3f%n", times.get(times.size() / 2));
        }
    }

    /** One training step on a fresh random batch; returns the loss. */
    static double step(TensorFactory f, TransformerLm lm, Adam adam, SplittableRandom random, int batch, int context) {
        long[] x = new long[batch * context];
        long[] y = new long[batch * context];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(VOCAB);
            y[i] = random.nextInt(VOCAB);
        }
        try (Scope ignored = Scope.open()) {
            Tensor logits = lm.forward(f.of(x, batch, context)).reshape(batch * context, VOCAB);
            Tensor loss = Losses.crossEntropy(logits, f.of(y, batch * context));
            adam.zeroGrad();
            loss.backward();
            adam.step();
            return loss.item();
        }
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
