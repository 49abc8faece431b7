package dev.nabla.launcher.command;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.ModelCatalog;
import dev.nabla.launcher.wiring.LauncherConfig;
import dev.nabla.models.checkpoint.AtomicFiles;
import dev.nabla.models.density.Sample;
import jakarta.inject.Inject;
import dev.nabla.launcher.wiring.SelectedBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nabla sample RUN}: draws samples from a trained model, with the log-probability the model
 * gives each, as CSV ({@code x1,…,xD,log_prob}) into {@code RUN/samples.csv}, a file, or standard output
 * ({@code --out -}); {@code --png} also draws them over the data (2-D only).
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw samples (with their log-probabilities) from a trained model's checkpoint.")
public final class SampleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "A run folder of 'nabla train' or its checkpoint.safetensors.")
    Path run;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "1000", description = "Samples to draw (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the sampler (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "CSV file, or - for standard output (default: RUN/samples.csv).")
    String output;

    @Option(names = "--png", paramLabel = "FILE", description = "Also draw the samples over the training data set into this PNG (2-D data).")
    Path png;

    @Option(names = "--backend", paramLabel = "B", description = "Backend to sample on (default: the best available).")
    String backend;

    private final LauncherConfig config;
    private final SelectedBackend backends;
    private final ModelCatalog models;
    private final dev.nabla.launcher.registry.DatasetCatalog datasets;

    /** Created by Guice. */
    @Inject
    SampleCommand(LauncherConfig config, SelectedBackend backends, ModelCatalog models,
            dev.nabla.launcher.registry.DatasetCatalog datasets) {
        this.config = config;
        this.backends = backends;
        this.models = models;
        this.datasets = datasets;
    }

    @Override
    public Integer call() {
        if (count < 1) {
            throw new UsageException("--count must be at least 1, got " + count);
        }
        RunDirectory.existingCheckpoint(run);
        config.requestBackend(backend);
        TensorFactory f = TensorFactory.on(backends.get());
        try (TrainedModel trained = TrainedModel.load(run, models, f)) {
            int dim = trained.spec().dim();
            float[] x;
            float[] logProb;
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                Sample sample = trained.model().sampleWithLogProb(count, new Generator(seed));
                x = sample.value().toFloatArray();
                logProb = sample.logProb().toFloatArray();
            }
            if ("-".equals(output)) {
                write(config.out(), x, logProb, dim);
            } else {
                Path file = output != null ? Path.of(output)
                        : (Files.isDirectory(run) ? run : run.toAbsolutePath().getParent()).resolve("samples.csv");
                AtomicFiles.write(file, stream -> write(new PrintStream(stream, false, StandardCharsets.UTF_8), x, logProb, dim));
                config.out().printf(Locale.ROOT, "wrote %d samples of %s (step %d) to %s%n", count, trained.spec().model(),
                        trained.step(), file);
            }
            if (png != null) {
                if (dim != 2) {
                    throw new UsageException("--png draws 2-D data only; this model has dim " + dim);
                }
                RunSpec spec = trained.spec();
                float[] data;
                try (Scope s = Scope.open()) {
                    data = datasets.load(spec.dataset(), spec.seed()).test().all(f).toFloatArray();
                }
                dev.nabla.launcher.report.Plots.samples(png, spec.model() + " samples (red) over " + spec.dataset()
                        + " (grey)", data, x);
                config.out().println("wrote " + png);
            }
        }
        return 0;
    }

    private static void write(PrintStream w, float[] x, float[] logProb, int dim) {
        StringBuilder header = new StringBuilder();
        for (int j = 0; j < dim; j++) {
            header.append('x').append(j + 1).append(',');
        }
        w.println(header.append("log_prob"));
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < logProb.length; i++) {
            row.setLength(0);
            for (int j = 0; j < dim; j++) {
                row.append(x[i * dim + j]).append(',');
            }
            w.println(row.append(logProb[i]));
        }
        w.flush();
    }

}
