package dev.nabla.models.transformer;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.optim.Adam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The training step of the Transformer LM, timed: vocabulary 65, d_model 128, 4 heads, feed-forward 512,
 * 2 pre-LN layers, dropout 0, context 64, batch 32 ({@link TransformerLm}, as {@code transformer-lm} builds it),
 * cross-entropy over all {@code 32 × 64} positions, backward, Adam 1e-3 — the same step as
 * {@code scripts/bench_transformer_torch_peer.py}. The batches are real text, as in training: each row is a window of
 * {@code context + 1} characters of the text's first 90 % (the training split) at a start drawn from a seeded
 * generator, the first {@code context} the input and the last {@code context} the targets; the vocabulary is
 * the text's distinct characters in code-point order (65 for tinyshakespeare). Random tokens with random targets
 * are not used: they make a different problem (a near-uniform softmax whose gradients PyTorch handles slowly).
 *
 * <pre>
 *   TransformerLmStepMain TEXT [rounds=7] [stepsPerRound=10] [warmupRounds=3] [batch=32] [context=64]
 * </pre>
 *
 * Prints {@code nabla step_ms <median ms per step>} (the median over the timed rounds of the mean step time of
 * a round), {@code nabla step_cpu_ms}, the same of the process's CPU time, and {@code nabla step_best_ms}, the
 * fastest round (what the machine allows when nothing else runs); the backend is whichever {@link Nabla#backend()} selects ({@code -Dnabla.backend=native
 * -Dnabla.threads=1} in {@code scripts/bench-transformer-vs-torch}).
 */
public final class TransformerLmStepMain {
    private TransformerLmStepMain() {
    }

    /** Runs the measurement; arguments as in the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: TransformerLmStepMain TEXT [rounds] [stepsPerRound] "
                    + "[warmupRounds] [batch] [context]");
        }
        int[] tokens = trainingTokens(Files.readString(Path.of(args[0])));
        int vocab = Arrays.stream(tokens).max().orElseThrow() + 1;
        int rounds = arg(args, 1, 7);
        int perRound = arg(args, 2, 10);
        int warmup = arg(args, 3, 3);
        int batch = arg(args, 4, 32);
        int context = arg(args, 5, 64);
        TensorFactory f = TensorFactory.on(Nabla.backend());
        System.out.println("nabla_info backend " + f.backend() + ", vocabulary " + vocab + ", " + tokens.length
                + " training characters");
        try (TransformerLm lm = new TransformerLm(f, new Generator(1), vocab,
                new TransformerModels.Sizes(128, 4, 512, 2, 0.0, "relu", true), context);
             Adam adam = new Adam(lm.namedParameters(), 1e-3)) {
            SplittableRandom random = new SplittableRandom(7);
            List<Double> times = new ArrayList<>();
            List<Double> cpuTimes = new ArrayList<>();
            double loss = Double.NaN;
            for (int r = -warmup; r < rounds; r++) {
                long t0 = System.nanoTime();
                long c0 = processCpuNanos();
                for (int s = 0; s < perRound; s++) {
                    loss = step(f, lm, adam, random, tokens, vocab, batch, context);
                }
                double ms = (System.nanoTime() - t0) / 1e6 / perRound;
                double cpuMs = (processCpuNanos() - c0) / 1e6 / perRound;
                if (r >= 0) {
                    times.add(ms);
                    cpuTimes.add(cpuMs);
                }
            }
            System.out.printf(Locale.ROOT, "nabla_info last loss %.4f, step times by round %s ms%n", loss,
                    times.stream().map(t -> String.format(Locale.ROOT, "%.1f", t)).toList());
            Collections.sort(times);
            Collections.sort(cpuTimes);
            System.out.printf(Locale.ROOT, "nabla step_ms %.3f%n", times.get(times.size() / 2));
            System.out.printf(Locale.ROOT, "nabla step_cpu_ms %.3f%n", cpuTimes.get(cpuTimes.size() / 2));
            System.out.printf(Locale.ROOT, "nabla step_best_ms %.3f%n", times.getFirst());
        }
    }

    /** The first 90 % of the text (the training split) as indices into its sorted distinct characters. */
    static int[] trainingTokens(String text) {
        int[] points = text.codePoints().toArray();
        int[] alphabet = Arrays.stream(points).distinct().sorted().toArray();
        int[] tokens = new int[(int) Math.floor(0.9 * points.length)];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = Arrays.binarySearch(alphabet, points[i]);
        }
        return tokens;
    }

    /** One training step on a fresh batch of text windows; returns the loss. */
    static double step(TensorFactory f, TransformerLm lm, Adam adam, SplittableRandom random, int[] tokens,
                       int vocab, int batch, int context) {
        long[] x = new long[batch * context];
        long[] y = new long[batch * context];
        for (int b = 0; b < batch; b++) {
            int start = random.nextInt(tokens.length - context);
            for (int t = 0; t < context; t++) {
                x[b * context + t] = tokens[start + t];
                y[b * context + t] = tokens[start + t + 1];
            }
        }
        try (Scope ignored = Scope.open()) {
            Tensor logits = lm.forward(f.of(x, batch, context)).reshape(batch * context, vocab);
            Tensor loss = Losses.crossEntropy(logits, f.of(y, batch * context));
            adam.zeroGrad();
            loss.backward();
            adam.step();
            return loss.item();
        }
    }

    /** CPU time of the whole process (all its threads: the JIT's and the collector's too), as PyTorch's peer counts it. */
    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
