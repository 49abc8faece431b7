package dev.nabla.provider.tensorflow.bench;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.Availability;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A side-by-side benchmark of every backend the {@link java.util.ServiceLoader} finds on the module
 * path (run by {@code scripts/bench-tensorflow}): the per-op cost of a 16-element add while recording
 * for autodiff (and without), float32 matmul 1024×1024 throughput, and a forward+backward step of a
 * small MLP. Each figure is the median of 7 timed rounds after 3 warm-up rounds. The table gives
 * each backend's figure and its ratio to the baseline backend ({@code native} when present, else
 * {@code reference}; {@code --baseline NAME} chooses another).
 *
 * <p>Backends run with their own threading: the reference on one thread, TensorFlow with its default
 * intra-op pool (all cores).
 */
public final class BackendBench {
    private BackendBench() {
    }

    /** One workload: a name, a unit, and how to measure it on a backend (seconds per call). */
    private record Workload(String name, boolean throughput, double flops, Measure measure) {
    }

    private interface Measure {
        double seconds(TensorFactory f, Generator gen);
    }

    /**
     * Runs the benchmark over every available backend and prints the table.
     *
     * @param args optionally {@code --baseline NAME}; {@code --list} only lists the backends found
     *             (with the reason for each unavailable one) and exits
     */
    public static void main(String[] args) {
        String baseline = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--baseline")) {
                baseline = args[i + 1];
            }
        }
        List<BackendProvider> found = Backends.providers();
        System.out.println("backends found: " + Backends.describe(found));
        if (List.of(args).contains("--list")) {
            return;
        }
        Map<String, Backend> backends = new LinkedHashMap<>();
        for (BackendProvider p : found) {
            Availability a = p.availability();
            if (a.available()) {
                backends.put(p.name(), p.create());
            } else {
                System.out.println("skipping " + p.name() + ": " + a.reason());
            }
        }
        if (baseline == null) {
            baseline = backends.containsKey("native") ? "native" : "reference";
        }
        if (!backends.containsKey(baseline)) {
            baseline = backends.keySet().iterator().next();
        }
        int n = 1024;
        List<Workload> workloads = List.of(
                new Workload("add, 16 elements, recording for autodiff", false, 0, (f, gen) -> {
                    Tensor x = f.randn(gen, 16).requiresGrad(true);
                    Tensor y = f.randn(gen, 16);
                    return median(() -> x.add(y), 20_000);
                }),
                new Workload("add, 16 elements, no grad", false, 0, (f, gen) -> {
                    Tensor x = f.randn(gen, 16);
                    Tensor y = f.randn(gen, 16);
                    return median(() -> x.add(y), 20_000);
                }),
                new Workload("matmul float32 " + n + "x" + n, true, 2.0 * n * n * n, (f, gen) -> {
                    Tensor a = f.randn(gen, n, n);
                    Tensor b = f.randn(gen, n, n);
                    return median(() -> a.matmul(b), 1);
                }),
                new Workload("MLP 64-128-10, batch 32, fwd+bwd", false, 0, (f, gen) -> {
                    Tensor w1 = f.randn(gen, 64, 128).toParameter();
                    Tensor w2 = f.randn(gen, 128, 10).toParameter();
                    Tensor in = f.randn(gen, 32, 64);
                    double s = median(() -> {
                        Tensor loss = in.matmul(w1).tanh().matmul(w2).logSoftmax(1).mean();
                        loss.backward();
                        return loss;
                    }, 50);
                    w1.close();
                    w2.close();
                    return s;
                }));
        Map<String, double[]> results = new LinkedHashMap<>();
        for (Map.Entry<String, Backend> e : backends.entrySet()) {
            TensorFactory f = TensorFactory.on(e.getValue());
            double[] r = new double[workloads.size()];
            for (int w = 0; w < r.length; w++) {
                try (Scope s = Scope.open()) {
                    r[w] = workloads.get(w).measure().seconds(f, new Generator(0));
                }
            }
            results.put(e.getKey(), r);
        }
        print(workloads, results, baseline);
    }

    private static void print(List<Workload> workloads, Map<String, double[]> results, String baseline) {
        List<String> names = new ArrayList<>(results.keySet());
        StringBuilder header = new StringBuilder(String.format("%-42s", "workload (median of 7)"));
        for (String b : names) {
            header.append(String.format(" | %-24s", b + (b.equals(baseline) ? " (baseline)" : " (÷ baseline)")));
        }
        System.out.println(header);
        double[] base = results.get(baseline);
        for (int w = 0; w < workloads.size(); w++) {
            Workload wl = workloads.get(w);
            StringBuilder row = new StringBuilder(String.format("%-42s", wl.name()));
            for (String b : names) {
                double s = results.get(b)[w];
                String value = wl.throughput()
                        ? String.format("%.1f GFLOP/s", wl.flops() / s / 1e9)
                        : s < 1e-3 ? String.format("%.2f µs", s * 1e6) : String.format("%.2f ms", s * 1e3);
                // time ratio: > 1 means slower than the baseline
                String ratio = b.equals(baseline) ? "" : String.format(" (%.2f×)", s / base[w]);
                row.append(String.format(" | %-24s", value + ratio));
            }
            System.out.println(row);
        }
        System.out.println("ratios are time / baseline time (for throughput rows: baseline rate / rate); "
                + "above 1 is slower than " + baseline);
    }

    /** Median seconds per call of {@code op}, over 7 timed rounds of {@code reps} calls after 3 warm-up rounds. */
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
