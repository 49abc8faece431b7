package dev.nabla.provider.reference.bench;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.provider.reference.ReferenceBackendProvider;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A small benchmark of the reference backend, run by {@code scripts/bench-reference}: float32 matmul
 * at a few sizes (GFLOP/s), the per-op cost of a 16-element add with and without gradient recording,
 * and a forward+backward step of a small MLP. Each figure is the median of several timed repetitions
 * after warm-up. It shows the reference is usable, not fast; the native provider is the fast path.
 */
public final class ReferenceBench {
    private ReferenceBench() {
    }

    /**
     * Runs the benchmark and prints a table.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Backend backend = new ReferenceBackendProvider().create();
        TensorFactory f = TensorFactory.on(backend);
        Generator gen = new Generator(0);
        System.out.printf("%-44s %14s %12s%n", "workload (reference backend, 1 thread)", "median", "rate");
        for (int n : new int[] {64, 256, 512}) {
            Tensor a = f.randn(gen, n, n);
            Tensor b = f.randn(gen, n, n);
            double s = median(() -> a.matmul(b), n >= 512 ? 5 : 20);
            System.out.printf("%-44s %11.3f ms %7.2f GFLOP/s%n", "matmul float32 " + n + "x" + n, s * 1e3,
                    2.0 * n * n * n / s / 1e9);
        }
        Tensor x = f.randn(gen, 16);
        Tensor y = f.randn(gen, 16);
        double plain = median(() -> x.add(y), 20_000);
        System.out.printf("%-44s %11.3f µs%n", "add, 16 elements, no grad", plain * 1e6);
        Tensor xg = f.randn(gen, 16).requiresGrad(true);
        double recorded = median(() -> xg.add(y), 20_000);
        System.out.printf("%-44s %11.3f µs%n", "add, 16 elements, recording for autodiff", recorded * 1e6);
        Tensor w1 = f.randn(gen, 64, 128).toParameter();
        Tensor w2 = f.randn(gen, 128, 10).toParameter();
        Tensor in = f.randn(gen, 32, 64);
        double step = median(() -> {
            Tensor loss = in.matmul(w1).tanh().matmul(w2).logSoftmax(1).mean();
            loss.backward();
            return loss;
        }, 50);
        System.out.printf("%-44s %11.3f ms%n", "MLP 64-128-10, batch 32, forward+backward", step * 1e3);
    }

    /** Median seconds per call of {@code op}, over 7 timed rounds of {@code reps} calls after warm-up. */
    private static double median(Supplier<Tensor> op, int reps) {
        double[] rounds = new double[7];
        for (int r = -3; r < rounds.length; r++) {
            try (Scope ignored = Scope.open()) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    op.get();
                }
                long t1 = System.nanoTime();
                if (r >= 0) {
                    rounds[r] = (t1 - t0) / 1e9 / reps;
                }
            }
        }
        Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }
}
