package dev.nabla.models.nn.bench;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.models.nn.MultiheadAttention;
import dev.nabla.models.nn.TransformerEncoder;
import dev.nabla.models.nn.TransformerOptions;
import dev.nabla.models.optim.Adam;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The Transformer layers of the language model, timed alone (no embedding, no head): a causal
 * {@link TransformerEncoder} of 2 post-LN layers, d_model 128, 4 heads, feed-forward 512, dropout 0.1,
 * batch-first, on a random {@code [32, 64, 128]} input; loss {@code Σ out ⊙ R}, backward, Adam 1e-3 — the
 * same step as {@code scripts/bench_transformer_layers_torch_peer.py}.
 *
 * <pre>
 *   TransformerStackStepMain [rounds=7] [stepsPerRound=10] [warmupRounds=5] [batch=32] [length=64]
 * </pre>
 *
 * Prints {@code nabla step_ms <median ms per step>} (median over the rounds of a round's mean step time).
 */
public final class TransformerStackStepMain {
    private TransformerStackStepMain() {
    }

    /** Runs the measurement; arguments as in the class comment. */
    public static void main(String[] args) {
        int rounds = arg(args, 0, 7);
        int perRound = arg(args, 1, 10);
        int warmup = arg(args, 2, 5);
        int batch = arg(args, 3, 32);
        int length = arg(args, 4, 64);
        TensorFactory f = TensorFactory.on(Nabla.backend());
        System.out.println("nabla_info backend " + f.backend());
        Generator g = new Generator(1);
        TransformerOptions o = TransformerOptions.of(128, 4).dimFeedforward(512).dropout(0.1).batchFirst(true);
        try (TransformerEncoder stack = new TransformerEncoder(f, g, o, 2, false);
             Adam adam = new Adam(stack.namedParameters(), 1e-3)) {
            Tensor x = f.normal(g, 0, 1, Shape.of(batch, length, 128), DType.FLOAT32).keep();
            Tensor r = f.normal(g, 0, 1, Shape.of(batch, length, 128), DType.FLOAT32).keep();
            Tensor mask = MultiheadAttention.causalMask(f, length).keep();
            List<Double> times = new ArrayList<>();
            double loss = Double.NaN;
            for (int round = -warmup; round < rounds; round++) {
                long t0 = System.nanoTime();
                for (int s = 0; s < perRound; s++) {
                    try (Scope ignored = Scope.open()) {
                        Tensor l = stack.forward(x, mask, null).mul(r).sum();
                        adam.zeroGrad();
                        l.backward();
                        adam.step();
                        loss = l.item();
                    }
                }
                double ms = (System.nanoTime() - t0) / 1e6 / perRound;
                if (round >= 0) {
                    times.add(ms);
                }
            }
            System.out.printf(Locale.ROOT, "nabla_info last loss %.4f, step times by round %s ms%n", loss,
                    times.stream().map(t -> String.format(Locale.ROOT, "%.1f", t)).toList());
            Collections.sort(times);
            System.out.printf(Locale.ROOT, "nabla step_ms %.3f%n", times.get(times.size() / 2));
        }
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
