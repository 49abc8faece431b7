package dev.nabla.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.launcher.serve.PredictionServer;
import dev.nabla.models.checkpoint.Json;
import dev.nabla.models.flows.Flows;
import dev.nabla.models.serve.Predictor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nabla serve} answers a real HTTP client ({@code java.net.http}) under load: 32 concurrent clients,
 * every response checked against the predictor's single-threaded values; bad requests get 400 with a message,
 * never a 500 or a stack trace; and, in a child JVM serving a trained run, Ctrl-C lets a request in flight
 * finish before the process ends.
 */
class ServeCommandTest {
    @TempDir
    Path tmp;

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private static HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) {
        return (Map<String, Object>) Json.parse(r.body());
    }

    private static double[] doubles(Object list) {
        return ((List<?>) list).stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    @Test
    void thirtyTwoConcurrentClientsGetTheSingleThreadedAnswers() throws Exception {
        TensorFactory f = TensorFactory.on(Nabla.backend("native"));
        Predictor predictor = Predictor.forFlow(Flows.realNvp(f, new Generator(5), 2, 4, 32), new Predictor.Limits(4096));
        try (PredictionServer server = new PredictionServer(predictor, "realnvp", new InetSocketAddress("127.0.0.1", 0),
                1 << 20)) {
            server.start();
            int port = server.port();
            // what every answer must be: the predictor's own single-threaded values
            double[][] points = new double[32][];
            double[] expectedLogProb = new double[32];
            for (int i = 0; i < points.length; i++) {
                points[i] = new double[] {Math.sin(i) * 2, Math.cos(3 * i)};
                expectedLogProb[i] = predictor.logProb(new double[][] {points[i]})[0];
            }
            Predictor.Samples[] expectedSamples = new Predictor.Samples[8];
            for (int s = 0; s < expectedSamples.length; s++) {
                expectedSamples[s] = predictor.sample(1 + 3 * s, s);
            }
            int clients = 32;
            int perClient = 25;
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            AtomicInteger checked = new AtomicInteger();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                all.add(CompletableFuture.runAsync(() -> {
                    for (int k = 0; k < perClient; k++) {
                        try {
                            if ((id + k) % 3 == 0) {
                                int s = (id + k) % expectedSamples.length;
                                HttpResponse<String> r = send(port, "POST", "/sample",
                                        "{\"n\": " + (1 + 3 * s) + ", \"seed\": " + s + "}");
                                Map<String, Object> m = json(r);
                                double[] lp = doubles(m.get("log_prob"));
                                List<?> x = (List<?>) m.get("x");
                                boolean same = r.statusCode() == 200
                                        && java.util.Arrays.equals(lp, expectedSamples[s].logProb());
                                for (int i = 0; same && i < x.size(); i++) {
                                    same = java.util.Arrays.equals(doubles(x.get(i)), expectedSamples[s].x()[i]);
                                }
                                if (!same) {
                                    problems.add("sample " + s + ": " + r.statusCode() + " " + r.body());
                                }
                            } else {
                                int a = (id * 7 + k) % points.length;
                                int b = (a + 5) % points.length;
                                HttpResponse<String> r = send(port, "POST", "/log_prob",
                                        Json.write(Map.of("x", List.of(points[a], points[b]))));
                                double[] lp = r.statusCode() == 200 ? doubles(json(r).get("log_prob")) : null;
                                if (lp == null || lp.length != 2 || lp[0] != expectedLogProb[a] || lp[1] != expectedLogProb[b]) {
                                    problems.add("log_prob " + a + "," + b + ": " + r.statusCode() + " " + r.body());
                                }
                            }
                            checked.incrementAndGet();
                        } catch (Exception e) {
                            problems.add(e.toString());
                        }
                    }
                }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
            assertTrue(problems.isEmpty(), problems.size() + " bad answers, e.g. " + problems.stream().limit(3).toList());
            assertEquals(clients * perClient, checked.get());

            Map<String, Object> health = json(send(port, "GET", "/health", null));
            assertEquals("ok", health.get("status"));
            assertEquals(2L, health.get("dim"));
            @SuppressWarnings("unchecked")
            Map<String, Object> metrics = json(send(port, "GET", "/metrics", null));
            @SuppressWarnings("unchecked")
            Map<String, Object> requests = (Map<String, Object>) metrics.get("requests");
            assertTrue((Long) requests.get("total") >= clients * perClient, metrics.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> latency = (Map<String, Object>) metrics.get("latency_ms");
            assertTrue(((Number) latency.get("p99")).doubleValue() >= ((Number) latency.get("p50")).doubleValue());
            assertTrue(((Number) metrics.get("resident_memory_bytes")).longValue() > 0, metrics.toString());
        }
    }

    @Test
    void badRequestsGet400WithAMessageNeverATrace() throws Exception {
        TensorFactory f = TensorFactory.on(Nabla.backend("reference"));
        Predictor predictor = Predictor.forFlow(Flows.realNvp(f, new Generator(5), 2, 2, 8), new Predictor.Limits(100));
        try (PredictionServer server = new PredictionServer(predictor, "realnvp", new InetSocketAddress("127.0.0.1", 0),
                4096)) {
            server.start();
            int port = server.port();
            String[][] cases = {
                    {"POST", "/sample", "{\"n\": 16, ", "400", "bad JSON"},
                    {"POST", "/sample", "[1, 2]", "400", "must be a JSON object"},
                    {"POST", "/sample", "{\"n\": 0}", "400", "'n' must be from 1 to 100, got 0"},
                    {"POST", "/sample", "{\"n\": 101}", "400", "'n' must be from 1 to 100, got 101"},
                    {"POST", "/sample", "{\"n\": 2.5}", "400", "'n' must be an integer"},
                    {"POST", "/sample", "{\"seed\": 1}", "400", "'n' is required"},
                    {"POST", "/sample", "{\"n\": 1, \"sed\": 1}", "400", "unknown key 'sed'; valid keys: [n, seed]"},
                    {"POST", "/log_prob", "{\"x\": [[1, 2, 3]]}", "400", "x[0] has 3 numbers; the model's points have 2"},
                    {"POST", "/log_prob", "{\"x\": [[1, \"a\"]]}", "400", "x[0][1] must be a number"},
                    {"POST", "/log_prob", "{\"x\": []}", "400", "'x' must be a non-empty array"},
                    {"POST", "/log_prob", "{\"x\": [[1e999, 0]]}", "400", "1e999 is beyond the range of a double"},
                    {"POST", "/log_prob", "{\"x\": [" + "[1,2],".repeat(101) + "[1,2]]}", "400", "the limit is 100"},
                    {"POST", "/log_prob", "{\"x\": [" + "[1,2],".repeat(1000) + "[1,2]]}", "400", "over the limit of 4096 bytes"},
                    {"POST", "/log_prob", "[".repeat(3000), "400", "bad JSON"},
                    {"GET", "/sample", null, "405", "GET /sample is not allowed; use POST"},
                    {"POST", "/health", "{}", "405", "use GET"},
                    {"GET", "/nope", null, "404", "no such endpoint /nope"},
            };
            for (String[] c : cases) {
                HttpResponse<String> r = send(port, c[0], c[1], c[2]);
                String what = c[0] + " " + c[1] + " " + (c[2] == null ? "" : c[2].substring(0, Math.min(40, c[2].length())));
                assertEquals(Integer.parseInt(c[3]), r.statusCode(), what + " -> " + r.body());
                String error = (String) json(r).get("error");
                assertTrue(error != null && error.contains(c[4]), what + " -> " + r.body());
                assertTrue(!r.body().contains("\tat ") && !r.body().contains("Exception"), what + " -> " + r.body());
            }
            HttpResponse<String> ok = send(port, "POST", "/log_prob", "{\"x\": [[0.5, -0.25]]}");
            assertEquals(200, ok.statusCode(), ok.body());
        }
    }

    @Test
    void ctrlCLetsARequestInFlightFinish() throws Exception {
        Path run = tmp.resolve("run");
        Cli trained = Cli.run("train", "realnvp", "--dataset", "moons", "--backend", "reference", "--progress", "none",
                "--steps", "20", "--samples", "0", "--set", "blocks=2", "--set", "hidden=8", "--out", run.toString());
        assertEquals(0, trained.status(), trained.err());
        Process p = ChildJvm.start(ChildJvm.command(List.of(), "serve", run.toString(), "--port", "0", "--backend",
                "reference", "--max-rows", "1000000"), tmp, ProcessBuilder.Redirect.PIPE, null);
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            int port = -1;
            String line;
            while (port < 0 && (line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("port=")) {
                    port = Integer.parseInt(line.substring(5));
                }
            }
            assertTrue(port > 0, out.toString());
            assertEquals(200, send(port, "GET", "/health", null).statusCode());
            // a request that takes a while on the reference backend, in flight when Ctrl-C arrives
            int finalPort = port;
            CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return send(finalPort, "POST", "/sample", "{\"n\": 200000, \"seed\": 3}");
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            ChildJvm.interrupt(p);
            HttpResponse<String> answer = slow.get(2, TimeUnit.MINUTES);
            assertEquals(200, answer.statusCode(), answer.body().substring(0, Math.min(300, answer.body().length())));
            assertEquals(200000, ((List<?>) json(answer).get("log_prob")).size());
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM ends after Ctrl-C");
        assertTrue(out.toString().contains("stopping: draining") && out.toString().contains("stopped after"), out.toString());
    }
}
