package dev.nabla.launcher.command;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.FamilyRegistry;
import dev.nabla.launcher.wiring.LauncherConfig;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.Evaluation;
import jakarta.inject.Inject;
import dev.nabla.launcher.wiring.SelectedBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nabla eval RUN}: what the model's family measures on a split of its data set (the test split by
 * default, drawn from the run's seed, so it is the same held-out data the run never trained on) — for
 * flows the mean log-likelihood in nats and nats per dimension — as one line for people and one
 * {@code key=value} line per measure for scripts ({@code log_likelihood=…}).
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a trained model on its data set's test split (flows: mean log-likelihood).")
public final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "A run folder of 'nabla train' or its checkpoint.safetensors.")
    java.nio.file.Path run;

    @Option(names = "--split", paramLabel = "S", defaultValue = "test", description = "train, validation or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--dataset", paramLabel = "D", description = "Another data set the model fits (default: the run's).")
    String dataset;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "1024", description = "Evaluation batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--backend", paramLabel = "B", description = "Backend to evaluate on (default: the best available).")
    String backend;

    @Option(names = "--checkpoint", paramLabel = "WHICH", defaultValue = "last", description = "last (the run's last step) or best (its lowest validation loss) (default: ${DEFAULT-VALUE}).")
    String which;

    private final LauncherConfig config;
    private final SelectedBackend backends;
    private final FamilyRegistry families;

    /** Created by Guice. */
    @Inject
    EvalCommand(LauncherConfig config, SelectedBackend backends, FamilyRegistry families) {
        this.config = config;
        this.backends = backends;
        this.families = families;
    }

    @Override
    public Integer call() {
        if (!List.of("train", "validation", "test").contains(split)) {
            throw UsageException.unknown("split", split, List.of("train", "validation", "test"));
        }
        if (batchSize < 1) {
            throw new UsageException("--batch-size must be at least 1, got " + batchSize);
        }
        Path source = RunDirectory.existingCheckpoint(run, which);
        config.requestBackend(backend);
        Backend b = backends.get();
        TensorFactory f = TensorFactory.on(b);
        try (TrainedModel trained = TrainedModel.load(source, families, f)) {
            RunSpec spec = trained.spec();
            String name = dataset != null ? dataset : spec.dataset();
            DataSplits splits = trained.family().data(name, spec.seed(), spec.config());
            Dataset d = switch (split) {
                case "train" -> splits.train();
                case "validation" -> splits.validation();
                default -> splits.test();
            };
            Evaluation e;
            try {
                e = trained.model().evaluate(d, batchSize);
            } catch (IllegalArgumentException ex) {
                throw new UsageException("data set '" + name + "' does not fit the model: " + ex.getMessage());
            }
            config.out().printf(Locale.ROOT, "%s (step %d) on %s %s (%d examples, backend %s): %s%n", spec.model(),
                    trained.step(), name, split, d.size(), b.name(), e.summary());
            for (Evaluation.Metric m : e.metrics()) {
                config.out().printf(Locale.ROOT, "%s=%.6f%n", m.key(), m.value());
            }
        }
        return 0;
    }
}
