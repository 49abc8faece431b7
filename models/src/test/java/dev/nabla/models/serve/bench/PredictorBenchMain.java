package dev.nabla.models.serve.bench;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.flows.Flows;
import dev.nabla.models.flows.TransformedDistribution;
import dev.nabla.models.serve.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures a {@link Predictor} over a RealNVP (4 coupling blocks of 64 hidden units, 2-D, as {@code nabla train
 * realnvp} builds it) on the selected backend.
 *
 * <ul>
 *   <li>{@code curve [seconds] [batches] [threads]}: for each batch size and thread count, that many platform
 *       threads call {@code logProb} on a batch in a loop for the given seconds (after a warm-up); prints points/s,
 *       calls/s and the p50/p90/p99 latency of a call. Defaults: 3 s, batches 1,256, threads 1,2,4,8,16,32.</li>
 *   <li>{@code million [requests] [inFlight]}: {@code requests} calls (default 1,000,000), each on a fresh virtual
 *       thread, at most {@code inFlight} (default 64) at once, alternating {@code logProb} of one point and
 *       {@code sample} of 16; every 100,000 it prints the throughput of the window and the resident memory
 *       (VmRSS). Every result is checked against the single-threaded value.</li>
 * </ul>
 */
public final class PredictorBenchMain {
    private PredictorBenchMain() {
    }

    /** Entry point; see the class comment. */
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "curve";
        TensorFactory f = TensorFactory.on(Nabla.backend());
        TransformedDistribution model = Flows.realNvp(f, new Generator(1), 2, 4, 64);
        try (Predictor p = Predictor.forFlow(model, Predictor.Limits.DEFAULT)) {
            System.out.printf(Locale.ROOT, "backend %s, %d cores, RealNVP 4x64 on 2-D points; rss %d MB%n",
                    p.backend(), Runtime.getRuntime().availableProcessors(), rssMb());
            switch (mode) {
                case "curve" -> curve(p, args.length > 1 ? Double.parseDouble(args[1]) : 3.0,
                        ints(args.length > 2 ? args[2] : "1,256"), ints(args.length > 3 ? args[3] : "1,2,4,8,16,32"));
                case "million" -> million(p, args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000,
                        args.length > 2 ? Integer.parseInt(args[2]) : 64);
                default -> throw new IllegalArgumentException("mode: curve or million, got " + mode);
            }
        }
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    private static double[][] points(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[][] x = new double[n][2];
        for (double[] row : x) {
            row[0] = r.nextGaussian();
            row[1] = r.nextGaussian();
        }
        return x;
    }

    private static void curve(Predictor p, double seconds, int[] batches, int[] threadCounts) throws Exception {
        System.out.println("batch threads   points/s    calls/s   p50_us   p90_us   p99_us");
        for (int batch : batches) {
            double[][] x = points(batch, 7);
            long warmEnd = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < warmEnd) {
                p.logProb(x);
            }
            for (int threads : threadCounts) {
                long[][] lat = new long[threads][];
                int[] counts = new int[threads];
                long end = System.nanoTime() + (long) (seconds * 1e9);
                List<Thread> ts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    ts.add(Thread.ofPlatform().start(() -> {
                        long[] mine = new long[1 << 16];
                        int n = 0;
                        while (true) {
                            long t0 = System.nanoTime();
                            if (t0 >= end) {
                                break;
                            }
                            p.logProb(x);
                            if (n == mine.length) {
                                mine = Arrays.copyOf(mine, n * 2);
                            }
                            mine[n++] = System.nanoTime() - t0;
                        }
                        lat[id] = mine;
                        counts[id] = n;
                    }));
                }
                for (Thread t : ts) {
                    t.join();
                }
                int total = Arrays.stream(counts).sum();
                long[] all = new long[total];
                int k = 0;
                for (int t = 0; t < threads; t++) {
                    System.arraycopy(lat[t], 0, all, k, counts[t]);
                    k += counts[t];
                }
                Arrays.sort(all);
                System.out.printf(Locale.ROOT, "%5d %7d %10.0f %10.0f %8.0f %8.0f %8.0f%n", batch, threads,
                        total * (double) batch / seconds, total / seconds, pct(all, 0.50), pct(all, 0.90),
                        pct(all, 0.99));
            }
        }
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)] / 1e3;
    }

    private static void million(Predictor p, int requests, int inFlight) throws Exception {
        double[][] one = points(1, 3);
        double expectedLogProb = p.logProb(one)[0];
        Predictor.Samples expectedSample = p.sample(16, 5);
        AtomicLong wrong = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Semaphore slots = new Semaphore(inFlight);
        long startRss = rssMb();
        long maxRss = startRss;
        int window = 100_000;
        System.out.printf(Locale.ROOT, "%d requests on fresh virtual threads, %d in flight; rss at start %d MB%n",
                requests, inFlight, startRss);
        System.out.println(" requests  window_req/s  rss_MB");
        long t0 = System.nanoTime();
        long w0 = t0;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                slots.acquire();
                boolean logProb = (i & 1) == 0;
                ex.submit(() -> {
                    try {
                        if (logProb) {
                            if (p.logProb(one)[0] != expectedLogProb) {
                                wrong.incrementAndGet();
                            }
                        } else {
                            Predictor.Samples s = p.sample(16, 5);
                            if (!Arrays.equals(s.logProb(), expectedSample.logProb())
                                    || !Arrays.deepEquals(s.x(), expectedSample.x())) {
                                wrong.incrementAndGet();
                            }
                        }
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    } finally {
                        slots.release();
                    }
                });
                if ((i + 1) % window == 0) {
                    long now = System.nanoTime();
                    long rss = rssMb();
                    maxRss = Math.max(maxRss, rss);
                    System.out.printf(Locale.ROOT, "%9d %13.0f %7d%n", i + 1, window / ((now - w0) / 1e9), rss);
                    w0 = now;
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "done: %d requests in %.1f s (%.0f/s), %d wrong, %d failed; rss start %d MB,"
                        + " max %d MB, end %d MB%n", requests, secs, requests / secs, wrong.get(), failed.get(), startRss,
                maxRss, rssMb());
    }

    /** Resident memory of this process in MB (VmRSS), or -1 where /proc is missing. */
    static long rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
