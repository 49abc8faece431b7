package dev.nabla.launcher.command;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.FamilyRegistry;
import dev.nabla.launcher.wiring.LauncherConfig;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import dev.nabla.api.tensor.Generator;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.Samples;
import dev.nabla.models.image.FeatureExtractor;
import dev.nabla.models.image.Fid;
import jakarta.inject.Inject;
import dev.nabla.launcher.wiring.SelectedBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code nabla eval RUN}: what the model's family measures on a split of its data set (the test split by
 * default, drawn from the run's seed, so it is the same held-out data the run never trained on) — for
 * flows the mean log-likelihood in nats and nats per dimension — as one line for people and one
 * {@code key=value} line per measure for scripts ({@code log_likelihood=…}). For a model whose samples
 * are 28×28 images (a VAE, a flow on Fashion-MNIST) it also prints the FMNIST-FID of
 * {@code --fid-samples} samples ({@code fmnist_fid=…}): the Fréchet distance between the penultimate
 * features of the {@code fmnist-classifier} run given by {@code --classifier} (default
 * {@value #DEFAULT_CLASSIFIER}; when that is missing, a one-line note says how to train one and the FID
 * is left out; a {@code --classifier} that names no run, or not a classifier, is a usage error)
 * on the samples and on as many of that run's test images.
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

    @Option(names = "--classifier", paramLabel = "RUN", description = "The fmnist-classifier run whose features give the FMNIST-FID of a model of images (default: " + DEFAULT_CLASSIFIER + ").")
    Path classifier;

    @Option(names = "--fid-samples", paramLabel = "N", defaultValue = "10000", description = "Samples (and test images) of the FMNIST-FID of a model of images; 0 skips it (default: ${DEFAULT-VALUE}).")
    int fidSamples;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the FID's samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--checkpoint", paramLabel = "WHICH", defaultValue = "last", description = "last (the run's last step) or best (its lowest validation loss) (default: ${DEFAULT-VALUE}).")
    String which;

    /** Where {@code --classifier} looks by default: the run folder {@code nabla train fmnist-classifier --dataset fashion-mnist} writes. */
    static final String DEFAULT_CLASSIFIER = "runs/fmnist-classifier-fashion-mnist";
    /** The most samples the FID draws. */
    static final int MAX_FID_SAMPLES = 100_000;

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
        if (fidSamples != 0 && (fidSamples < 2 || fidSamples > MAX_FID_SAMPLES)) {
            throw new UsageException("--fid-samples must be 0 (no FID) or from 2 to " + MAX_FID_SAMPLES + ", got " + fidSamples);
        }
        Path source = RunDirectory.existingCheckpoint(run, which);
        config.requestBackend(backend);
        Backend b = backends.get();
        TensorFactory f = TensorFactory.on(b);
        try (TrainedModel trained = TrainedModel.load(source, families, f);
             TrainedModel features = fidSamples > 0 && drawsImages(trained) ? featureRun(f) : null) {
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
            if (features != null) {
                fid(trained, features, f);
            }
        }
        return 0;
    }

    /** True when the model's samples are 28x28 images (whatever its family), so an FMNIST-FID applies. */
    private static boolean drawsImages(TrainedModel trained) {
        try {
            return trained.model().sample(1, new Generator(1)) instanceof Samples.Images i && i.height() == 28
                    && i.width() == 28;
        } catch (IllegalArgumentException e) {   // a model that draws nothing (a classifier)
            return false;
        }
    }

    /**
     * The classifier run of the FID ({@code --classifier}, else {@value #DEFAULT_CLASSIFIER}), loaded
     * before anything heavy runs; null, after a one-line note on the error stream, when no
     * {@code --classifier} is given and there is no run at the default place.
     *
     * @throws UsageException if {@code --classifier} names no run, or its model gives no image features
     */
    private TrainedModel featureRun(TensorFactory f) {
        Path path = classifier != null ? classifier : Path.of(DEFAULT_CLASSIFIER);
        if (classifier == null && !Files.exists(path)) {   // the FID is skipped, saying how to get it
            config.err().println("note: no FMNIST-FID: it needs a trained fmnist-classifier run, and there is none at "
                    + DEFAULT_CLASSIFIER + " (train one: scripts/train-fmnist-classifier, or nabla train fmnist-classifier --dataset fashion-mnist --epochs 8; "
                    + "or name one with --classifier RUN; --fid-samples 0 skips the FID without this note)");
            return null;
        }
        TrainedModel t = TrainedModel.load(path, families, f);
        if (t.model().unwrap(FeatureExtractor.class).isEmpty()) {
            t.close();
            throw new UsageException("--classifier " + path + " is a run of '" + t.spec().model()
                    + "', which gives no image features; give a run of fmnist-classifier");
        }
        return t;
    }

    /**
     * FMNIST-FID: the Fréchet distance between the classifier's features of {@code --fid-samples} samples
     * of the model and of as many images of the classifier's test split (at most all of them).
     */
    private void fid(TrainedModel trained, TrainedModel features, TensorFactory f) {
        FeatureExtractor extractor = features.model().unwrap(FeatureExtractor.class).orElseThrow();
        float[] generated = new float[fidSamples * 784];
        Generator random = new Generator(seed);
        for (int start = 0; start < fidSamples; start += 1000) {
            int m = Math.min(1000, fidSamples - start);
            Samples.Images i = (Samples.Images) trained.model().sample(m, random);
            System.arraycopy(i.pixels(), 0, generated, start * 784, m * 784);
        }
        RunSpec cs = features.spec();
        Dataset test = features.family().data(cs.dataset(), cs.seed(), cs.config()).test();
        int real = Math.min(fidSamples, test.size());
        float[] pixels;
        try (dev.nabla.api.tensor.Scope s = dev.nabla.api.tensor.Scope.open()) {
            pixels = test.batch(f, dev.nabla.models.data.Batches.sequential(real)).get(Dataset.X).toFloatArray();
        }
        double d = Fid.between(extractor, generated, fidSamples, pixels, real);
        config.out().printf(Locale.ROOT, "FMNIST-FID %.4f (%d samples against %d %s test images, features of %s step %d)%n",
                d, fidSamples, real, cs.dataset(), features.file(), features.step());
        config.out().printf(Locale.ROOT, "fmnist_fid=%.6f%n", d);
    }
}
