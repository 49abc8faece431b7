package dev.nabla.launcher.command;

import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.FamilyRegistry;
import dev.nabla.launcher.serve.PredictionServer;
import dev.nabla.launcher.wiring.LauncherConfig;
import dev.nabla.launcher.wiring.SelectedBackend;
import dev.nabla.models.serve.Predictor;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nabla serve RUN}: loads a trained model once and answers JSON over HTTP from a virtual thread per
 * request ({@link PredictionServer}: {@code POST /sample}, {@code POST /log_prob}, {@code GET /health},
 * {@code GET /metrics}) until Ctrl-C (or SIGTERM), which drains the requests in flight before the JVM ends.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve a trained model over HTTP: POST /sample, POST /log_prob, GET /health, GET /metrics.")
public final class ServeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "A run folder of 'nabla train' or its checkpoint.safetensors.")
    Path run;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "Address to listen on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--max-rows", paramLabel = "N", defaultValue = "65536", description = "Most points a request may ask for or send (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "8388608", description = "Largest request body in bytes (default: ${DEFAULT-VALUE}).")
    int maxBody;

    @Option(names = "--drain", paramLabel = "SECONDS", defaultValue = "10", description = "On Ctrl-C, how long requests in flight may take to finish (default: ${DEFAULT-VALUE}).")
    int drain;

    @Option(names = "--backend", paramLabel = "B", description = "Backend to serve on (default: the best available).")
    String backend;

    @Option(names = "--checkpoint", paramLabel = "WHICH", defaultValue = "last", description = "last (the run's last step) or best (its lowest validation loss) (default: ${DEFAULT-VALUE}).")
    String which;

    private final LauncherConfig config;
    private final SelectedBackend backends;
    private final FamilyRegistry models;

    /** Created by Guice. */
    @Inject
    ServeCommand(LauncherConfig config, SelectedBackend backends, FamilyRegistry models) {
        this.config = config;
        this.backends = backends;
        this.models = models;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be from 0 to 65535, got " + port);
        }
        if (maxRows < 1 || maxBody < 2 || drain < 0) {
            throw new UsageException("--max-rows and --max-body must be positive and --drain not negative");
        }
        Path source = RunDirectory.existingCheckpoint(run, which);
        config.requestBackend(backend);
        TensorFactory f = TensorFactory.on(backends.get());
        TrainedModel trained = TrainedModel.load(source, models, f);
        Predictor predictor = Predictor.forModel(trained.model(), trained.spec().model(), new Predictor.Limits(maxRows));
        PredictionServer server;
        try {
            server = new PredictionServer(predictor, trained.spec().model(), new InetSocketAddress(host, port), maxBody);
        } catch (BindException e) {
            predictor.close();
            throw new UsageException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        } catch (IOException e) {
            predictor.close();
            throw new UsageException("cannot start the server on " + host + ":" + port + ": " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            config.out().println("stopping: draining requests in flight (up to " + drain + " s)");
            server.stop(Duration.ofSeconds(drain));
            config.out().printf(Locale.ROOT, "stopped after %d requests%n", server.metrics().total());
            config.out().flush();
            stopped.countDown();
        }, "nabla-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        server.start();
        config.out().printf(Locale.ROOT, "serving %s (%s, step %d, dim %d) on %s on http://%s:%d%n", trained.spec().model(),
                trained.spec().dataset(), trained.step(), predictor.dim(), predictor.backend(), host, server.port());
        config.out().println("  POST /sample {\"n\": 16, \"seed\": 1}   POST /log_prob {\"x\": [[...]]}   GET /health   GET /metrics");
        config.out().println("port=" + server.port());
        config.out().flush();
        stopped.await(); // the JVM ends through the hook (Ctrl-C, SIGTERM)
        return 0;
    }
}
