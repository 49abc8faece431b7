package dev.nabla.provider.nativeblas.bench;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Scaled dot-product attention forward and backward, timed: float32 {@code q, k, v} of
 * {@code [heads, t, d]} (default 128 = 32·4 heads, t 64, d 32, the Transformer LM's attention), an additive
 * causal mask ({@code −∞} above the diagonal), scale {@code 1/√d}, the output's gradient given — the same
 * work as {@code scripts/bench_attention_torch_peer.py} does in PyTorch. Three forms:
 * <ul>
 *   <li>{@code fused}: {@link Tensor#scaledDotProductAttention} with the additive mask (the backend's
 *       fused kernel when it has one);</li>
 *   <li>{@code fused_causal}: the same with the causal flag instead of a mask;</li>
 *   <li>{@code composed}: {@code softmax(q·kᵀ·scale + mask)·v} from public ops, as the PyTorch peer does.</li>
 * </ul>
 *
 * <pre>
 *   AttentionBenchMain [rounds=7] [itersPerRound=20] [warmupRounds=5] [heads=128] [t=64] [d=32]
 * </pre>
 *
 * Prints {@code nabla <form>_ms <median ms per forward+backward>} (the median over the timed rounds of the
 * mean time in a round); the backend is {@link Nabla#backend()}'s choice ({@code -Dnabla.backend=native
 * -Dnabla.threads=1} in the script).
 */
public final class AttentionBenchMain {
    private AttentionBenchMain() {
    }

    /** Runs the measurement; arguments as in the class comment. */
    public static void main(String[] args) {
        int rounds = arg(args, 0, 7);
        int perRound = arg(args, 1, 20);
        int warmup = arg(args, 2, 5);
        int heads = arg(args, 3, 128);
        int t = arg(args, 4, 64);
        int d = arg(args, 5, 32);
        double scale = 1 / Math.sqrt(d);
        TensorFactory f = TensorFactory.on(Nabla.backend());
        System.out.println("nabla_info backend " + f.backend() + ", fused kernels " + f.backend().fusedKernels());
        Generator g = new Generator(1);
        Shape shape = Shape.of(heads, t, d);
        Tensor q = f.normal(g, 0, 1, shape, DType.FLOAT32).requiresGrad(true);
        Tensor k = f.normal(g, 0, 1, shape, DType.FLOAT32).requiresGrad(true);
        Tensor v = f.normal(g, 0, 1, shape, DType.FLOAT32).requiresGrad(true);
        Tensor dO = f.normal(g, 0, 1, shape, DType.FLOAT32);
        Tensor mask = f.zeros(DType.FLOAT32, t, t).maskedFill(f.triuMask(t, t, 1), Double.NEGATIVE_INFINITY);
        List<Tensor> leaves = List.of(q, k, v);
        time("fused", rounds, perRound, warmup, () -> Tensor.scaledDotProductAttention(q, k, v, mask, false, scale),
                leaves, dO);
        time("fused_causal", rounds, perRound, warmup,
                () -> Tensor.scaledDotProductAttention(q, k, v, null, true, scale), leaves, dO);
        time("composed", rounds, perRound, warmup,
                () -> q.matmul(k.mT()).mul(scale).add(mask).softmax(-1).matmul(v), leaves, dO);
    }

    private static void time(String form, int rounds, int perRound, int warmup, Supplier<Tensor> forward,
                             List<Tensor> leaves, Tensor dO) {
        List<Double> times = new ArrayList<>();
        double check = 0;
        for (int r = -warmup; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                try (Scope ignored = Scope.open()) {
                    Tensor o = forward.get();
                    List<Tensor> grads = Autograd.grad(o, leaves, dO, false);
                    if (i == 0) {
                        check = grads.getFirst().sum().item();
                    }
                }
            }
            double ms = (System.nanoTime() - t0) / 1e6 / perRound;
            if (r >= 0) {
                times.add(ms);
            }
        }
        System.out.printf(Locale.ROOT, "nabla_info %s: sum of dQ %.6f, times by round %s ms%n", form, check,
                times.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
        Collections.sort(times);
        System.out.printf(Locale.ROOT, "nabla %s_ms %.3f%n", form, times.get(times.size() / 2));
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }
}
