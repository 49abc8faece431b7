package dev.nabla.launcher.bench;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.BackendRegistry;
import dev.nabla.launcher.wiring.LauncherConfig;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code nabla bench}: the standard {@link Workload workloads} on every available backend (or the ones
 * named with {@code --backend}), in this JVM, printed as one table with ratios ({@link BenchTable}).
 *
 * <p>For each workload the backends are prepared and warmed up in turn, then their timed rounds are
 * interleaved (round 1 of every backend, then round 2, …), so a machine that gets busier during the run
 * slows every backend alike and the ratios stay comparable. Every tensor is allocated in a scope that
 * closes when the workload ends; parameters and optimizer state are closed with their trial.
 *
 * <p>Each backend runs with its own thread setting (shown in its line of the header; for the native
 * backend {@code -Dnabla.threads=N}). All backends share one JVM, so the code they share in the api
 * (the tensor and autodiff layer) is compiled with every backend's kernels in its profile.
 *
 * <p>Exit status: 0; 1 when some measurement failed (the table shows {@code failed}, standard error
 * says why); 2 for an unknown or unavailable backend or a bad option.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time the standard workloads (matmul, small-op cost, a RealNVP training step) on every "
                + "available backend and print a table with ratios.",
                "Figures are medians of timed rounds after a warm-up; the rounds of the backends are interleaved."})
public final class BenchCommand implements Callable<Integer> {
    private final BackendRegistry registry;
    private final LauncherConfig config;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "A backend to measure; repeat for several. Default: every available backend.")
    List<String> backendNames = new ArrayList<>();

    @Option(names = "--baseline", paramLabel = "NAME",
            description = "Take ratios against this backend instead of the fastest one of each row.")
    String baseline;

    @Option(names = "--quick", description = "A few short rounds and a 128×128 matmul: a smoke test, not figures to quote.")
    boolean quick;

    @Option(names = "--size", paramLabel = "N",
            description = "N of the N×N float32 matmul (default " + BenchSettings.STANDARD_MATMUL_SIZE + ", "
                    + BenchSettings.QUICK_MATMUL_SIZE + " with --quick).")
    Integer size;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Timed rounds per backend and workload; the median is reported (default 7, 3 with --quick).")
    Integer rounds;

    /** Created by Guice. */
    @Inject
    BenchCommand(BackendRegistry registry, LauncherConfig config) {
        this.registry = registry;
        this.config = config;
    }

    @Override
    public Integer call() {
        BenchSettings settings = settings();
        Map<String, Backend> backends = backends();
        List<String> names = new ArrayList<>(backends.keySet());
        if (baseline != null) {
            String b = names.stream().filter(n -> n.equalsIgnoreCase(baseline.trim())).findFirst()
                    .orElseThrow(() -> new UsageException("--baseline '" + baseline
                            + "' is not among the backends measured; valid: " + String.join(", ", names)));
            baseline = b;
        }
        PrintStream out = config.out();
        PrintStream err = config.err();
        out.printf(Locale.ROOT, "nabla bench: median of %d timed rounds of about %d ms per backend and workload, "
                        + "after at least %d ms of warm-up; rounds of the backends interleaved%s%n",
                settings.rounds(), settings.roundNanos() / 1_000_000, settings.warmupNanos() / 1_000_000,
                quick ? " (--quick: a smoke test, not figures to quote)" : "");
        out.printf(Locale.ROOT, "machine: %d cores, Java %s, %s %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version(), System.getProperty("os.name"), System.getProperty("os.arch"));
        for (Map.Entry<String, Backend> e : backends.entrySet()) {
            out.printf(Locale.ROOT, "  %-12s %-6s %s%n", e.getKey(), e.getValue().device(), reason(e.getKey()));
        }
        List<Workload> workloads = List.of(Workload.values());
        List<String> errors = new ArrayList<>();
        double[][] seconds = new double[workloads.size()][];
        for (int w = 0; w < workloads.size(); w++) {
            Workload wl = workloads.get(w);
            err.printf("bench: %s on %s%n", wl.label(settings), String.join(", ", names));
            seconds[w] = measure(wl, names, backends, settings, errors);
        }
        BenchTable table = new BenchTable(settings, workloads, names, seconds, baseline);
        table.print(out);
        for (String e : errors) {
            err.println("bench: " + e);
        }
        return errors.isEmpty() ? 0 : 1;
    }

    private BenchSettings settings() {
        BenchSettings s = quick ? BenchSettings.quick() : BenchSettings.standard();
        if (size != null) {
            if (size < 1) {
                throw new UsageException("--size must be a positive integer, got " + size);
            }
            s = s.withMatmulSize(size);
        }
        if (rounds != null) {
            if (rounds < 1) {
                throw new UsageException("--rounds must be a positive integer, got " + rounds);
            }
            s = s.withRounds(rounds);
        }
        return s;
    }

    /** The backends to measure, by name, in the order given (default: every available one, by priority). */
    private Map<String, Backend> backends() {
        Map<String, Backend> chosen = new LinkedHashMap<>();
        if (backendNames.isEmpty()) {
            for (String name : registry.availableNames()) {
                chosen.put(name, Backends.get(name));
            }
            if (chosen.isEmpty()) {
                registry.select(null);           // throws, naming every backend found and why it is unavailable
            }
            return chosen;
        }
        for (String requested : backendNames) {
            BackendProvider p = registry.select(requested).provider();   // unknown or unavailable: exit 2
            chosen.putIfAbsent(p.name(), registry.backend(p.name()));
        }
        return chosen;
    }

    private String reason(String name) {
        for (BackendProvider p : registry.providers()) {
            if (p.name().equals(name)) {
                return "priority " + p.priority() + "; " + p.availability().reason();
            }
        }
        return "";
    }

    /**
     * Seconds per call of {@code workload} on each backend (NaN where it failed, with the reason added
     * to {@code errors}).
     */
    private static double[] measure(Workload workload, List<String> names, Map<String, Backend> backends,
            BenchSettings s, List<String> errors) {
        int n = names.size();
        double[] result = new double[n];
        Arrays.fill(result, Double.NaN);
        double[][] rounds = new double[n][s.rounds()];
        Trial[] trials = new Trial[n];
        int[] calls = new int[n];
        try (Scope ignored = Scope.open()) {
            try {
                for (int b = 0; b < n; b++) {
                    try {
                        trials[b] = workload.prepare(TensorFactory.on(backends.get(names.get(b))), s);
                        calls[b] = Timing.warmUp(trials[b], s);
                    } catch (RuntimeException e) {
                        fail(trials, b, workload, names, e, errors);
                    }
                }
                for (int r = 0; r < s.rounds(); r++) {
                    for (int b = 0; b < n; b++) {
                        if (trials[b] == null) {
                            continue;
                        }
                        try {
                            rounds[b][r] = Timing.round(trials[b], calls[b]);
                        } catch (RuntimeException e) {
                            fail(trials, b, workload, names, e, errors);
                        }
                    }
                }
                for (int b = 0; b < n; b++) {
                    if (trials[b] != null) {
                        result[b] = Timing.median(rounds[b]);
                    }
                }
            } finally {
                for (int b = n - 1; b >= 0; b--) {
                    if (trials[b] != null) {
                        trials[b].close();
                    }
                }
            }
        }
        return result;
    }

    private static void fail(Trial[] trials, int b, Workload w, List<String> names, RuntimeException e,
            List<String> errors) {
        errors.add(w.id() + " on " + names.get(b) + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        if (trials[b] != null) {
            try {
                trials[b].close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            trials[b] = null;
        }
    }
}
