package dev.nabla.launcher.command;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.DatasetCatalog;
import dev.nabla.launcher.registry.ModelCatalog;
import dev.nabla.launcher.wiring.LauncherConfig;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import jakarta.inject.Inject;
import dev.nabla.launcher.wiring.SelectedBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nabla eval RUN}: the mean log-likelihood a trained model gives a split of its data set (the
 * test split by default, drawn from the run's seed, so it is the same held-out data the run never
 * trained on), in nats and nats per dimension, on a line of its own ({@code log_likelihood=…}) for scripts.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a trained model's mean log-likelihood on its data set's test split.")
public final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "A run folder of 'nabla train' or its checkpoint.safetensors.")
    java.nio.file.Path run;

    @Option(names = "--split", paramLabel = "S", defaultValue = "test", description = "train, validation or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--dataset", paramLabel = "D", description = "Another data set of the same dimension (default: the run's).")
    String dataset;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1024", description = "Evaluation batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--backend", paramLabel = "B", description = "Backend to evaluate on (default: the best available).")
    String backend;

    private final LauncherConfig config;
    private final SelectedBackend backends;
    private final ModelCatalog models;
    private final DatasetCatalog datasets;

    /** Created by Guice. */
    @Inject
    EvalCommand(LauncherConfig config, SelectedBackend backends, ModelCatalog models, DatasetCatalog datasets) {
        this.config = config;
        this.backends = backends;
        this.models = models;
        this.datasets = datasets;
    }

    @Override
    public Integer call() {
        if (!List.of("train", "validation", "test").contains(split)) {
            throw UsageException.unknown("split", split, List.of("train", "validation", "test"));
        }
        if (batchSize < 1) {
            throw new UsageException("--batch-size must be at least 1, got " + batchSize);
        }
        RunDirectory.existingCheckpoint(run);
        config.requestBackend(backend);
        Backend b = backends.get();
        TensorFactory f = TensorFactory.on(b);
        try (TrainedModel trained = TrainedModel.load(run, models, f)) {
            RunSpec spec = trained.spec();
            String name = dataset != null ? dataset : spec.dataset();
            DataSplits splits = datasets.load(name, spec.seed());
            Dataset d = switch (split) {
                case "train" -> splits.train();
                case "validation" -> splits.validation();
                default -> splits.test();
            };
            if (d.itemShape().size() != spec.dim()) {
                throw new UsageException("data set '" + name + "' has dimension " + d.itemShape().size()
                        + ", the model " + spec.dim());
            }
            double ll = TrainCommand.meanLogProb(trained.model(), d, batchSize);
            config.out().printf(Locale.ROOT, "%s (step %d) on %s %s (%d points, backend %s): mean log-likelihood %.6f nats, "
                            + "%.6f nats/dim%n", spec.model(), trained.step(), name, split, d.size(), b.name(), ll, ll / spec.dim());
            config.out().printf(Locale.ROOT, "log_likelihood=%.6f%n", ll);
        }
        return 0;
    }
}
