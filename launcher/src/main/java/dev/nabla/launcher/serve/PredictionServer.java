package dev.nabla.launcher.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nabla.models.checkpoint.Json;
import dev.nabla.models.serve.Predictor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JSON endpoint in front of a {@link Predictor}, on the JDK's {@link HttpServer} with a virtual thread per
 * request:
 *
 * <ul>
 *   <li>{@code POST /sample {"n": 16, "seed": 1}} → {@code {"n":16,"seed":1,"x":[[…],…],"log_prob":[…]}}
 *       ({@code seed} defaults to 0: the same request gives the same samples)</li>
 *   <li>{@code POST /log_prob {"x": [[…], …]}} → {@code {"log_prob":[…]}}</li>
 *   <li>{@code GET /health} → {@code {"status":"ok", "model":…, "dim":…, "backend":…}}, or 503 while draining</li>
 *   <li>{@code GET /metrics} → requests per endpoint, responses per status class, latency percentiles,
 *       resident memory (see {@link ServeMetrics})</li>
 * </ul>
 *
 * <p>A request the server cannot take — bad JSON, a missing or unknown key, wrong shapes, non-finite values,
 * a body over the byte limit or more rows than the predictor's limit — is answered 400 with
 * {@code {"error": "<one line>"}}; an unknown path 404, a wrong method 405, a request during shutdown 503.
 * Nothing answers with a stack trace: an unexpected failure is a 500 with a one-line message. A
 * log-probability of −∞ (a point the model gives no mass) is written as {@code null}, which JSON can carry.
 *
 * <p>{@link #stop(Duration)} drains: the listening socket closes at once, requests in flight finish (up to
 * the grace period), then the predictor closes.
 */
public final class PredictionServer implements AutoCloseable {
    /** The largest request body read, by default: 8 MiB (about 250,000 two-dimensional points). */
    public static final int DEFAULT_MAX_BODY = 8 << 20;

    private final Predictor predictor;
    private final String model;
    private final int maxBody;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ServeMetrics metrics = new ServeMetrics("sample", "log_prob", "health", "metrics");
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    /**
     * A server (not yet started) on {@code address} (port 0: any free port).
     *
     * @param model   what {@code /health} names the model
     * @param maxBody the largest request body accepted, in bytes
     */
    public PredictionServer(Predictor predictor, String model, InetSocketAddress address, int maxBody)
            throws IOException {
        this.predictor = predictor;
        this.model = model;
        this.maxBody = maxBody;
        this.server = HttpServer.create(address, 1024);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /** Starts answering. */
    public void start() {
        server.start();
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The metrics so far. */
    public ServeMetrics metrics() {
        return metrics;
    }

    /**
     * Stops: closes the listening socket, lets requests in flight finish for up to {@code grace}, answers any
     * that arrive meanwhile with 503, then closes the predictor (which waits for its own calls). Idempotent.
     */
    public void stop(Duration grace) {
        draining = true;
        server.stop((int) Math.max(0, Math.min(Integer.MAX_VALUE, grace.toSeconds())));
        executor.close();
        predictor.close();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    private void handle(HttpExchange ex) {
        long t0 = System.nanoTime();
        inFlight.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        String endpoint = switch (path) {
            case "/sample" -> "sample";
            case "/log_prob" -> "log_prob";
            case "/health" -> "health";
            case "/metrics" -> "metrics";
            default -> "other";
        };
        int status;
        String body;
        try {
            Reply r = route(ex, endpoint);
            status = r.status();
            body = r.json();
        } catch (BadRequest e) {
            status = e.status;
            body = error(e.getMessage());
        } catch (IllegalArgumentException e) { // the predictor's checks of shapes and limits
            status = 400;
            body = error(e.getMessage());
        } catch (IllegalStateException e) {   // the predictor is closed: shutting down
            status = 503;
            body = error("shutting down: " + e.getMessage());
        } catch (RuntimeException | IOException | Error e) {
            status = 500;
            body = error("internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        try {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            if (status == 405) {
                ex.getResponseHeaders().set("Allow", endpoint.equals("health") || endpoint.equals("metrics") ? "GET" : "POST");
            }
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        } finally {
            ex.close();
            inFlight.decrementAndGet();
            metrics.record(endpoint, status, System.nanoTime() - t0);
        }
    }

    private record Reply(int status, String json) {
    }

    /** A request the server refuses, with its status (400 unless said otherwise). */
    private static final class BadRequest extends RuntimeException {
        final int status;

        BadRequest(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        BadRequest(String message) {
            this(400, message);
        }
    }

    private Reply route(HttpExchange ex, String endpoint) throws IOException {
        String method = ex.getRequestMethod();
        if (draining && !endpoint.equals("metrics")) {
            return new Reply(503, error("shutting down; not taking new requests"));
        }
        return switch (endpoint) {
            case "health" -> {
                requireMethod(method, "GET", "/health");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("status", "ok");
                m.put("model", model);
                m.put("dim", predictor.dim());
                m.put("dtype", predictor.dtype().toString());
                m.put("backend", predictor.backend());
                m.put("max_rows", predictor.limits().maxRows());
                yield new Reply(200, Json.write(m));
            }
            case "metrics" -> {
                requireMethod(method, "GET", "/metrics");
                yield new Reply(200, Json.write(metrics.snapshot(inFlight.get())));
            }
            case "sample" -> {
                requireMethod(method, "POST", "/sample");
                Map<String, Object> req = object(ex, "/sample", Set.of("n", "seed"));
                int n = (int) integer(req, "n", true, 1, predictor.limits().maxRows(), 0);
                long seed = integer(req, "seed", false, Long.MIN_VALUE, Long.MAX_VALUE, 0);
                Predictor.Samples s = predictor.sample(n, seed);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("n", n);
                m.put("seed", seed);
                m.put("x", finiteOrNull(s.x()));
                m.put("log_prob", finiteOrNull(s.logProb()));
                yield new Reply(200, Json.write(m));
            }
            case "log_prob" -> {
                requireMethod(method, "POST", "/log_prob");
                Map<String, Object> req = object(ex, "/log_prob", Set.of("x"));
                double[][] x = matrix(req.get("x"), predictor.dim(), predictor.limits().maxRows());
                double[] lp = predictor.logProb(x);
                yield new Reply(200, Json.write(Map.of("log_prob", finiteOrNull(lp))));
            }
            default -> throw new BadRequest(404, "no such endpoint " + ex.getRequestURI().getPath()
                    + "; endpoints: POST /sample, POST /log_prob, GET /health, GET /metrics");
        };
    }

    private static void requireMethod(String method, String wanted, String path) {
        if (!wanted.equals(method)) {
            throw new BadRequest(405, method + " " + path + " is not allowed; use " + wanted);
        }
    }

    /** The body, read up to the limit and parsed as a JSON object with only {@code keys}. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> object(HttpExchange ex, String path, Set<String> keys) throws IOException {
        byte[] bytes;
        try (InputStream in = ex.getRequestBody()) {
            bytes = in.readNBytes(maxBody + 1);
        }
        if (bytes.length > maxBody) {
            throw new BadRequest("request body over the limit of " + maxBody + " bytes");
        }
        Object parsed;
        try {
            parsed = Json.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new BadRequest("bad JSON: " + e.getMessage().replaceFirst("^JSON: ", ""));
        } catch (StackOverflowError e) {
            throw new BadRequest("bad JSON: nested too deeply");
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new BadRequest(path + ": the body must be a JSON object with keys " + new java.util.TreeSet<>(keys));
        }
        for (Object k : m.keySet()) {
            if (!keys.contains(k)) {
                throw new BadRequest(path + ": unknown key '" + k + "'; valid keys: " + new java.util.TreeSet<>(keys));
            }
        }
        return (Map<String, Object>) m;
    }

    private static long integer(Map<String, Object> req, String key, boolean required, long min, long max, long dflt) {
        Object v = req.get(key);
        if (v == null) {
            if (required || req.containsKey(key)) {
                throw new BadRequest("'" + key + "' is required: an integer" + range(min, max));
            }
            return dflt;
        }
        if (!(v instanceof Long l)) {
            throw new BadRequest("'" + key + "' must be an integer" + range(min, max) + ", got " + Json.write(v));
        }
        if (l < min || l > max) {
            throw new BadRequest("'" + key + "' must be" + range(min, max) + ", got " + l);
        }
        return l;
    }

    private static String range(long min, long max) {
        return min == Long.MIN_VALUE ? "" : " from " + min + " to " + max;
    }

    private static double[][] matrix(Object v, int dim, int maxRows) {
        if (!(v instanceof List<?> rows) || rows.isEmpty()) {
            throw new BadRequest("'x' must be a non-empty array of rows of " + dim + " numbers, e.g. {\"x\": [["
                    + String.join(", ", java.util.Collections.nCopies(dim, "0.5")) + "]]}");
        }
        if (rows.size() > maxRows) {
            throw new BadRequest("'x' has " + rows.size() + " rows; the limit is " + maxRows + " a request");
        }
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            if (!(rows.get(i) instanceof List<?> row)) {
                throw new BadRequest("x[" + i + "] must be an array of " + dim + " numbers, got " + Json.write(rows.get(i)));
            }
            if (row.size() != dim) {
                throw new BadRequest("x[" + i + "] has " + row.size() + " numbers; the model's points have " + dim);
            }
            double[] r = new double[dim];
            for (int j = 0; j < dim; j++) {
                if (!(row.get(j) instanceof Number num)) {
                    throw new BadRequest("x[" + i + "][" + j + "] must be a number, got " + Json.write(row.get(j)));
                }
                r[j] = num.doubleValue();
            }
            x[i] = r;
        }
        return x;
    }

    private static List<Object> finiteOrNull(double[] v) {
        List<Object> out = new ArrayList<>(v.length);
        for (double d : v) {
            out.add(Double.isFinite(d) ? d : null);
        }
        return out;
    }

    private static List<Object> finiteOrNull(double[][] v) {
        List<Object> out = new ArrayList<>(v.length);
        for (double[] row : v) {
            out.add(finiteOrNull(row));
        }
        return out;
    }

    private static String error(String message) {
        return Json.write(Map.of("error", message == null ? "unknown error" : message));
    }
}
