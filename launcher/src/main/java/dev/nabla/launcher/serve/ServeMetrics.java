package dev.nabla.launcher.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@code GET /metrics} reports: requests per endpoint, responses per status class, and the latency of
 * every request in a histogram of 4 buckets per power of two of microseconds (so a percentile is read to
 * within 19%), all without a lock (striped adders and an atomic array); plus resident memory from
 * {@code /proc/self/status}.
 */
public final class ServeMetrics {
    private static final int BUCKETS = 4 * 40; // up to 2^40 µs
    private final Map<String, LongAdder> requests = new LinkedHashMap<>();
    private final LongAdder ok = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final AtomicLongArray latency = new AtomicLongArray(BUCKETS);
    private final long started = System.nanoTime();

    /** Metrics for these endpoints (e.g. {@code sample}, {@code log_prob}, {@code health}, {@code metrics}). */
    public ServeMetrics(String... endpoints) {
        for (String e : endpoints) {
            requests.put(e, new LongAdder());
        }
        requests.put("other", new LongAdder());
    }

    /** Records one request to {@code endpoint} answered with {@code status} after {@code nanos}. */
    public void record(String endpoint, int status, long nanos) {
        requests.getOrDefault(endpoint, requests.get("other")).increment();
        (status < 400 ? ok : status < 500 ? clientErrors : serverErrors).increment();
        latency.incrementAndGet(bucket(Math.max(1, nanos / 1000)));
    }

    static int bucket(long micros) {
        int e = 63 - Long.numberOfLeadingZeros(micros);          // 2^e <= micros < 2^(e+1)
        int q = e >= 2 ? (int) ((micros >>> (e - 2)) & 3) : 0;  // which quarter of the octave
        return Math.min(BUCKETS - 1, 4 * e + q);
    }

    /** The upper bound, in microseconds, of bucket {@code b}. */
    static double upper(int b) {
        int e = b / 4;
        int q = b % 4;
        return Math.pow(2, e) * (1 + (q + 1) / 4.0);
    }

    /** The latency quantile {@code q} in milliseconds (upper edge of its bucket), or 0 with no requests. */
    public double latencyMillis(double q) {
        long total = 0;
        long[] counts = new long[BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            counts[b] = latency.get(b);
            total += counts[b];
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts[b];
            if (seen >= Math.max(1, rank)) {
                return upper(b) / 1000.0;
            }
        }
        return upper(BUCKETS - 1) / 1000.0;
    }

    /** Requests answered so far. */
    public long total() {
        return ok.sum() + clientErrors.sum() + serverErrors.sum();
    }

    /** The report, as a JSON-ready map. */
    public Map<String, Object> snapshot(int inFlight) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("total", total());
        requests.forEach((k, v) -> req.put(k, v.sum()));
        m.put("requests", req);
        Map<String, Object> res = new LinkedHashMap<>();
        res.put("2xx", ok.sum());
        res.put("4xx", clientErrors.sum());
        res.put("5xx", serverErrors.sum());
        m.put("responses", res);
        m.put("in_flight", inFlight);
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", round(latencyMillis(0.50)));
        lat.put("p90", round(latencyMillis(0.90)));
        lat.put("p99", round(latencyMillis(0.99)));
        lat.put("max", round(latencyMillis(1.0)));
        m.put("latency_ms", lat);
        m.put("resident_memory_bytes", residentBytes());
        Runtime rt = Runtime.getRuntime();
        m.put("heap_used_bytes", rt.totalMemory() - rt.freeMemory());
        m.put("uptime_s", round((System.nanoTime() - started) / 1e9));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Resident memory of this process (VmRSS), or -1 where {@code /proc} is missing. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
