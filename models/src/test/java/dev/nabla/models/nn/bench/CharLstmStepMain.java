package dev.nabla.models.nn.bench;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.nn.Embedding;
import dev.nabla.models.nn.LSTM;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.RecurrentOptions;
import dev.nabla.models.optim.Adam;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training step of the character-level LSTM, timed: vocabulary 65, embedding 64, one LSTM
 * layer of 256 (batch-first), a linear head to 65 logits, cross-entropy over all {@code 32 × 64} positions,
 * backward, Adam with learning rate 2e-3 — the same step as {@code scripts/bench_lstm_torch_peer.py}.
 * Tokens are drawn uniformly from a seeded generator (the time of a step does not depend on them).
 *
 * <pre>
 *   CharLstmStepMain [rounds=7] [stepsPerRound=10] [warmupRounds=5] [batch=32] [steps=64] [hidden=256]
 * </pre>
 *
 * Prints {@code nabla step_ms <median ms per step>} (the median over the timed rounds of the mean step time
 * in a round) and the backend's description; the backend is whichever {@link Nabla#backend()} selects
 * ({@code -Dnabla.backend=native -Dnabla.threads=1} in the script).
 */
public final class CharLstmStepMain {
    static final int VOCAB = 65;
    static final int EMBED = 64;

    private CharLstmStepMain() {
    }

    /** Runs the measurement; arguments as in the class comment. */
    public static void main(String[] args) {
        int rounds = arg(args, 0, 7);
        int perRound = arg(args, 1, 10);
        int warmup = arg(args, 2, 5);
        int batch = arg(args, 3, 32);
        int steps = arg(args, 4, 64);
        int hidden = arg(args, 5, 256);
        TensorFactory f = TensorFactory.on(Nabla.backend());
        System.out.println("nabla_info backend " + f.backend());
        Generator g = new Generator(1);
        try (Embedding embedding = new Embedding(f, g, VOCAB, EMBED);
             LSTM lstm = new LSTM(f, g, EMBED, hidden, RecurrentOptions.defaults().batchFirst(true));
             Linear head = new Linear(f, g, hidden, VOCAB)) {
            Map<String, Tensor> params = new LinkedHashMap<>();
            embedding.namedParameters().forEach((k, v) -> params.put("embedding." + k, v));
            lstm.namedParameters().forEach((k, v) -> params.put("lstm." + k, v));
            head.namedParameters().forEach((k, v) -> params.put("head." + k, v));
            try (Adam adam = new Adam(params, 2e-3)) {
                SplittableRandom random = new SplittableRandom(7);
                List<Double> times = new ArrayList<>();
                double loss = Double.NaN;
                for (int r = -warmup; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    for (int s = 0; s < perRound; s++) {
                        loss = step(f, embedding, lstm, head, adam, random, batch, steps);
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
    }

    /** One training step on a fresh random batch; returns the loss. */
    static double step(TensorFactory f, Embedding embedding, LSTM lstm, Linear head, Adam adam,
                       SplittableRandom random, int batch, int steps) {
        long[] x = new long[batch * steps];
        long[] y = new long[batch * steps];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(VOCAB);
            y[i] = random.nextInt(VOCAB);
        }
        try (Scope ignored = Scope.open()) {
            Tensor e = embedding.forward(f.of(x, batch, steps));                     // [B, T, 64]
            Tensor out = lstm.forward(e).output();                                      // [B, T, H]
            Tensor logits = head.forward(out.reshape(batch * steps, out.dim(2)));      // [B·T, 65]
            Tensor loss = Losses.crossEntropy(logits, f.of(y, batch * steps));
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
