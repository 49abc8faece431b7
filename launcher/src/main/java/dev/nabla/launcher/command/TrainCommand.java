package dev.nabla.launcher.command;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.TrainerProvider;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.Trainer;
import dev.nabla.api.train.TrainingMonitor;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.FamilyRegistry;
import dev.nabla.launcher.registry.ProviderRegistry;
import dev.nabla.launcher.report.PictureThread;
import dev.nabla.launcher.report.Plots;
import dev.nabla.launcher.report.ProgressDisplay;
import dev.nabla.launcher.report.RunHistory;
import dev.nabla.launcher.wiring.LauncherConfig;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.ModelFamily;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.Scatter;
import dev.nabla.models.family.TrainedRun;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.train.LoopTrainer;
import dev.nabla.models.train.TrainingListener;
import dev.nabla.models.train.TrainingLoop;
import jakarta.inject.Inject;
import dev.nabla.launcher.wiring.SelectedBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code nabla train MODEL --dataset D}: builds the model through the family that offers it, trains it
 * with the chosen trainer (default: the model's own, {@code mle} for flows) on the selected backend,
 * shows progress, validates, writes checkpoints into {@code --out}, then the loss curve
 * ({@code loss.png}, with the losses' named parts), the metrics ({@code metrics.csv}) and, when the
 * model's samples are points in the plane, samples over the data ({@code samples.png}); for a model of
 * images a grid of samples ({@code samples.png}) and, when it has a latent space
 * ({@link dev.nabla.models.image.LatentImageModel}), {@code reconstructions.png}, {@code interpolations.png}
 * and, for a 2-D one, {@code latent.png}; and prints the family's headline measure on the test split. Ctrl-C finishes the current step, writes a checkpoint
 * and the pictures, and exits; {@code --resume} continues from the checkpoint exactly.
 *
 * <p>The command knows no family: the family's model says which plan parts its trainers get
 * ({@link FamilyModel#trainingParts}); the command adds {@code listeners} and {@code modelConfig} (for
 * trainers of {@code dev.nabla.models}), {@code tensors} (the backend's factory) and {@code monitor}
 * ({@link TrainingMonitor}). {@code --teacher RUN} is handed to the family as the run with the role
 * {@value TrainingRequest#TEACHER}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a model on a data set; writes checkpoints and pictures into --out.")
public final class TrainCommand implements Callable<Integer> {
    private static final long MIXING = 0x9E3779B97F4A7C15L;

    @Parameters(index = "0", paramLabel = "MODEL", description = "realnvp, maf, iaf, or another model from 'nabla list'")
    String model;

    @Option(names = "--dataset", required = true, paramLabel = "D", description = "A data set the model fits: moons, circles, 8gaussians, pinwheel, 2spirals, checkerboard for flows (see 'nabla list').")
    String dataset;

    @Option(names = "--backend", paramLabel = "B", description = "Backend (default: -Dnabla.backend, NABLA_BACKEND, else the best available).")
    String backend;

    @Option(names = "--trainer", paramLabel = "T", description = "Trainer (default: the model's own; mle for flows).")
    String trainer;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "300", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "0", description = "Stop after N steps in all (default: no limit besides --epochs).")
    long steps;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "X", defaultValue = "1e-3", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the data, the initial parameters and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/MODEL-DATASET, numbered if taken).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its checkpoint.")
    boolean resume;

    @Option(names = "--overwrite", description = "Start afresh even if --out holds a checkpoint.")
    boolean overwrite;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A model key, e.g. --set blocks=6 --set hidden=128 (see README).")
    Map<String, String> modelKeys = new LinkedHashMap<>();

    @Option(names = "--trainer-set", paramLabel = "KEY=VALUE", description = "A trainer setting, e.g. --trainer-set schedule=cosine.")
    Map<String, String> trainerKeys = new LinkedHashMap<>();

    @Option(names = "--teacher", paramLabel = "RUN", description = "A trained run the model learns from (with --trainer distill).")
    Path teacher;

    @Option(names = "--clip-norm", paramLabel = "G", defaultValue = "0", description = "Clip the global gradient norm: g <- g*G/||g|| when ||g|| > G; the norm before clipping goes into metrics.csv as grad_norm (default: 0, no clipping).")
    double clipNorm;

    @Option(names = "--validate-every", paramLabel = "N", defaultValue = "0", description = "Validate every N steps (default: once per epoch).")
    long validateEvery;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "auto, bar, lines or none (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "2000", description = "Samples drawn for samples.png (default: ${DEFAULT-VALUE}).")
    int samples;

    private final LauncherConfig config;
    private long resumedAt;              // the step of the checkpoint --resume continues from (0: a fresh run)
    private Thread hook;                 // the Ctrl-C hook of this run, removed after a normal end
    private CountDownLatch finished;     // counted down when the run's files are written
    private RunFolder folder;            // the run folder, locked for the life of the run
    private final PictureThread pictures = new PictureThread();   // draws the pictures beside the run's own work
    private final SelectedBackend backends;
    private final FamilyRegistry families;
    private final ProviderRegistry<TrainerProvider> trainers;

    /** Created by Guice. */
    @Inject
    TrainCommand(LauncherConfig config, SelectedBackend backends, FamilyRegistry families,
            ProviderRegistry<TrainerProvider> trainers) {
        this.config = config;
        this.backends = backends;
        this.families = families;
        this.trainers = trainers;
    }

    @Override
    public Integer call() throws Exception {
        try {
            return train();
        } finally {
            pictures.close();
            if (folder != null) {   // the lock is held until the run's last file is written
                folder.close();
            }
        }
    }

    private Integer train() throws Exception {
        checkOptions();
        PrintStream out = config.out();
        FamilyRegistry.Model entry = families.model(model);
        ModelFamily family = entry.family();
        if (!entry.info().datasets().contains(dataset)) {   // an unknown data set is named before anything heavy
            throw UsageException.unknown("data set", dataset, entry.info().datasets());
        }
        if (trainer != null) {
            trainers.provider(trainer);
        }
        config.requestBackend(backend);
        Backend b = backends.get();
        TensorFactory f = TensorFactory.on(b);

        Path dir = runDirectory();
        Path checkpoint = RunDirectory.checkpoint(dir);
        Checkpoint.Header resumed = resume ? inspect(checkpoint) : null;
        RunSpec spec = resume ? resumedSpec(resumed)
                : new RunSpec(family.name(), model, dataset, Map.of(), new LinkedHashMap<String, Object>(modelKeys), trainer, seed);
        DataSplits data = family.data(dataset, spec.seed(), spec.config());
        Map<String, Object> dataInfo = family.describe(dataset, data);
        ModelRequest request = new ModelRequest(spec.model(), spec.dataset(), spec.config(), dataInfo, f,
                new Generator(spec.seed() ^ MIXING), families.components());
        if (resumed != null) {   // the checkpoint's tensors against its model_config, before anything is built
            ModelBudget.requireLoadable(resumed, family, request);
        }
        ModelBudget.requireTrainable(family, request);   // a model that cannot fit is refused with its size

        List<TrainedModel> loaded = new ArrayList<>();
        try (FamilyModel built = family.build(request)) {
            String trainerName = spec.trainer() != null ? spec.trainer() : built.defaultTrainer();
            TrainerProvider trainerProvider = trainers.provider(trainerName);
            if (!trainerProvider.availability().available()) {
                throw new UsageException("trainer '" + trainerName + "' is unavailable: " + trainerProvider.availability().reason());
            }
            spec = new RunSpec(family.name(), spec.model(), spec.dataset(), dataInfo, spec.config(), trainerName, spec.seed());
            long parameters = built.parameters().values().stream().mapToLong(Tensor::numel).sum();
            if (parameters == 0) {
                throw new UsageException("model '" + model + "' has no trainable parameters");
            }
            Files.createDirectories(dir);   // only once the model is built: a bad key leaves no empty folder
            long perEpoch = Batches.count(data.train().size(), batchSize, false);
            RunHistory history = new RunHistory();
            if (resume) {   // the earlier sessions' rows: metrics.csv and loss.png keep the whole history
                try {
                    history.restore(dir.resolve("metrics.csv"), resumedAt);
                } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                    config.err().println("warning: the earlier history is lost, metrics.csv restarts at step "
                            + (resumedAt + 1) + ": " + e.getMessage());
                }
            }
            long total = steps > 0 ? Math.min(steps, perEpoch * epochs) : perEpoch * epochs;
            ProgressDisplay display = new ProgressDisplay(progressMode(), config.err(), total, Math.max(1, total / 20));
            BestCheckpoint best = bestCheckpoint(dir, built, spec, history);
            EpochGrids grids = built.epochSamples() > 0 && samples > 0
                    ? new EpochGrids(built, dir, built.epochSamples(), spec.seed() + 1, config.err()) : null;
            List<TrainingListener> listeners = grids == null ? List.of(history, display, best)
                    : List.of(history, display, best, grids);
            StopSignal stop = new StopSignal(listeners);
            StringBuilder about = new StringBuilder();
            dataInfo.forEach((k, v) -> {   // scalars only: a vocabulary or a list is no headline
                if (!(v instanceof Map<?, ?>) && !(v instanceof java.util.Collection<?>)) {
                    about.append(", ").append(k).append(' ').append(v);
                }
            });
            out.printf(Locale.ROOT, "training %s on %s (%d train / %d validation examples%s) on backend %s (%s): "
                            + "%,d parameters, %d epochs of %d steps%s, batch %d, lr %s, trainer %s%s%n",
                    spec.model(), spec.dataset(), data.train().size(), data.validation().size(), about, b.name(), b.device(),
                    parameters, epochs, perEpoch, steps > 0 ? " (at most " + steps + " steps)" : "", batchSize, lr,
                    trainerName, resume ? ", resuming from " + checkpoint : "");
            out.println("run folder: " + dir.toAbsolutePath().normalize());
            if (!folder.removedTemporaries().isEmpty()) {
                out.println("removed " + folder.removedTemporaries().size() + " temporary file(s) of interrupted saves");
            }

            Map<String, Object> trainerSettings = settings();
            Function<String, Optional<TrainedRun>> runs = role -> {
                if (!TrainingRequest.TEACHER.equals(role) || teacher == null) {
                    return Optional.empty();
                }
                TrainedModel t = TrainedModel.load(teacher, families, f);
                loaded.add(t);
                return Optional.of(t.asRun());
            };
            Map<String, Object> parts = new LinkedHashMap<>(built.trainingParts(
                    new TrainingRequest(trainerName, data, f, trainerSettings, runs, out::println)));
            try {
                Trainer t = trainerProvider.create(trainerName, trainerSettings);
                parts.put("listeners", listeners);
                parts.put("modelConfig", spec.toMap());
                parts.put("tensors", f);
                parts.put(TrainingMonitor.PART, stop);
                Map<String, Object> planSettings = new LinkedHashMap<>();
                if (t instanceof LoopTrainer) {   // the loop's own checkpoints, validation cadence and exact resume
                    planSettings.put("validateEvery", validateEvery);
                    planSettings.put("checkpoint", checkpoint.toString());
                    if (resume) {
                        planSettings.put("resume", checkpoint.toString());
                    }
                }
                TrainingPlan plan = new TrainingPlan(parts, epochs, spec.seed(), planSettings);
                long t0 = System.nanoTime();
                TrainingReport report = run(t, plan, built, checkpoint, spec, stop);
                double seconds = (System.nanoTime() - t0) / 1e9;
                display.onEnd(report);
                finish(report, seconds, built, data, dir, spec, history, stop.requested(), grids);
            } finally {
                parts.values().forEach(v -> {
                    if (v instanceof Tensor tensor) {
                        tensor.close();
                    }
                });
            }
        } finally {
            loaded.forEach(TrainedModel::close);
            stop();
        }
        return 0;
    }

    private TrainingReport run(Trainer t, TrainingPlan plan, FamilyModel built, Path checkpoint,
            RunSpec spec, StopSignal stop) throws InterruptedException {
        if (t instanceof LoopTrainer loopTrainer) {
            TrainingLoop loop = prepare(loopTrainer, plan, checkpoint);
            onCtrlC(stop, () -> loop.requestStopAndWait(Duration.ofSeconds(60)));
            return loop.run();
        }
        if (resume) {   // a trainer outside dev.nabla.models: restore the parameters; its own state starts afresh
            try (Checkpoint ck = Checkpoint.load(checkpoint, TensorFactory.on(backends.get()))) {
                built.loadState(ck.model());
            }
        }
        onCtrlC(stop, () -> true);   // the trainer sees stopRequested() through its monitor
        TrainingReport report = t.train(plan);
        Checkpoint.of(built.state(), (dev.nabla.models.optim.Optimizer) null, report.steps(), report.epochs(), 0, spec.toMap(),
                Map.of(), Map.of())
                .save(checkpoint);
        for (TrainingListener l : List.copyOf(stop.listeners())) {
            l.onEnd(report);
        }
        return report;
    }

    /**
     * The loop for {@code plan}; when resuming, a checkpoint whose tensors or optimizer state do not fit
     * the model is a usage error (one bounded line), whichever layer notices.
     */
    private TrainingLoop prepare(LoopTrainer loopTrainer, TrainingPlan plan, Path checkpoint) {
        if (!resume) {
            return loopTrainer.prepare(plan);
        }
        try {
            return loopTrainer.prepare(plan);
        } catch (dev.nabla.api.types.NablaException | IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new UsageException("cannot resume from " + checkpoint + ": "
                    + dev.nabla.models.checkpoint.Json.abbreviate(TrainedModel.oneLine(e.getMessage()), 600));
        }
    }

    /** What a Ctrl-C hook waits for before it lets the pictures be written. */
    private interface StopAndWait {
        boolean stop() throws InterruptedException;
    }

    /**
     * On Ctrl-C (or SIGTERM): tell the trainer to stop, wait until it has, then until {@link #call}
     * has written the checkpoint and the pictures ({@link #stop()}), at most a minute each.
     */
    private void onCtrlC(StopSignal signal, StopAndWait stopTraining) {
        CountDownLatch done = new CountDownLatch(1);
        finished = done;
        hook = new Thread(() -> {
            signal.request();
            try {
                stopTraining.stop();
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nabla-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Lets a Ctrl-C hook go once the pictures are written, and removes it after a normal end. */
    private void stop() {
        if (finished != null) {
            finished.countDown();
        }
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down (Ctrl-C): the hook is running and returns now
            }
        }
    }

    private void finish(TrainingReport report, double seconds, FamilyModel built, DataSplits data,
            Path dir, RunSpec spec, RunHistory history, boolean interrupted, EpochGrids grids) {
        PrintStream out = config.out();
        built.eval();
        Evaluation.Metric test = built.evaluate(data.test(), batchSize).headline();
        history.writeCsv(dir.resolve("metrics.csv"));
        List<String> written = new ArrayList<>(List.of("metrics.csv"));
        // the pictures are a report: if this machine cannot draw (no fonts for headless AWT, say), the
        // trained model, its checkpoint and metrics still stand, so say so and go on
        // the loss curve, the scatter and the density heatmap are drawn on the picture thread while this one
        // computes the samples and the density grid the next picture shows (PictureThread)
        try {
            String title = spec.model() + " on " + spec.dataset() + " (" + history.span(resumedAt) + ")";
            String lossLabel = built.lossLabel(spec.trainer());
            pictures.draw("loss.png", () -> Plots.lossCurve(dir.resolve("loss.png"), title, lossLabel, history));
            Optional<Scatter> scatter;
            try {
                scatter = samples > 0 ? built.scatter(data.test(), samples, new Generator(spec.seed() + 1)) : Optional.empty();
                if (scatter.isPresent()) {
                    Scatter shown = scatter.get();
                    pictures.draw("samples.png", () -> Plots.samples(dir.resolve("samples.png"),
                            shown.title() + " (red) over " + spec.dataset() + " (grey)", shown));
                }
                // a log-density heatmap of a model of points in the plane (none with --samples 0)
                Optional<dev.nabla.models.family.DensityGrid> grid = samples > 0
                        ? built.densityGrid(data.test(), 200) : Optional.empty();
                if (grid.isPresent()) {
                    pictures.draw("density.png", () -> Plots.density(dir.resolve("density.png"), grid.get()));
                }
            } finally {
                written.addAll(pictures.await());   // a drawing's failure first, as when drawn in this thread
            }
            written.addAll(morePictures(built, data, dir, spec, scatter.isPresent()));
            if (grids != null && grids.strip() != null) {
                Plots.imageGrid(dir.resolve("progress.png"), grids.strip(), EpochGrids.STRIP);
                written.add("progress.png (" + grids.rows() + " epochs, one a row) and samples-epoch-N.png");
            }
        } catch (RuntimeException | LinkageError | InternalError | java.awt.AWTError e) {
            config.err().println("warning: could not draw the pictures (" + e + "); headless plots need fontconfig "
                    + "and a font (Debian: fontconfig fonts-dejavu-core)");
        }
        if (interrupted) {
            out.println("interrupted: stopped after step " + report.steps() + "; checkpoint saved — continue with "
                    + "nabla train " + spec.model() + " --dataset " + spec.dataset() + " --out " + dir + " --resume");
        }
        Map<String, Double> m = report.metrics();
        long session = report.steps() - resumedAt;   // the rate is of the steps this session ran
        out.printf(Locale.ROOT, "done: %d steps%s in %.1f s (%.0f steps/s); train loss %s, validation loss %s, "
                        + "test %s %.4f%s%n", report.steps(), resumedAt > 0 ? " (" + session + " in this session)" : "",
                seconds, session / Math.max(seconds, 1e-9),
                fmt(m.get("train_loss")), fmt(m.get("val_loss")), test.name(), test.value(),
                test.unit().isEmpty() ? "" : " " + test.unit());
        out.println("wrote " + dir.resolve(RunDirectory.CHECKPOINT) + (Files.exists(RunDirectory.best(dir))
                ? ", " + RunDirectory.BEST : "") + ", " + String.join(", ", written));
    }

    /**
     * The pictures besides the loss curve, the scatter and the density heatmap: a grid of 64 samples
     * ({@code samples.png}) of a model of images, and those of a latent space. None with {@code --samples 0}.
     */
    private List<String> morePictures(FamilyModel built, DataSplits data, Path dir, RunSpec spec, boolean scattered) {
        List<String> written = new ArrayList<>();
        if (samples == 0) {
            return written;
        }
        if (!scattered && samples > 0 && drawn(built, Math.min(samples, 64), spec.seed() + 1)
                instanceof dev.nabla.models.family.Samples.Images images) {   // a model of images: a grid of them
            Plots.imageGrid(dir.resolve("samples.png"), images);
            written.add("samples.png");
        }
        built.unwrap(dev.nabla.models.image.LatentImageModel.class)
                .ifPresent(latent -> written.addAll(latentPictures(latent, data, dir)));
        return written;
    }

    /** {@code n} samples of the model, or null for a model that draws none (a classifier refuses to). */
    private static dev.nabla.models.family.Samples drawn(FamilyModel built, int n, long seed) {
        try {
            return built.sample(n, new Generator(seed));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The pictures of a model with a latent space of images ({@link dev.nabla.models.image.LatentImageModel}),
     * from the test split: {@code reconstructions.png} (10 test images above their reconstructions),
     * {@code interpolations.png} (8 rows of 10 images decoded along the line between the codes of two
     * test images) and, for a 2-D latent space, {@code latent.png} (the codes of 5,000 test images coloured
     * by class).
     */
    static List<String> latentPictures(dev.nabla.models.image.LatentImageModel latent, DataSplits data, Path dir) {
        List<String> written = new ArrayList<>();
        Plots.imageGrid(dir.resolve("reconstructions.png"), latent.reconstructions(data.test(), 10), 10);
        written.add("reconstructions.png");
        Plots.imageGrid(dir.resolve("interpolations.png"), latent.interpolations(data.test(), 8, 10), 10);
        written.add("interpolations.png");
        Optional<dev.nabla.models.image.LabelledPoints> codes = latent.latentCodes(data.test(), 5000);
        if (codes.isPresent()) {
            Plots.labelledScatter(dir.resolve("latent.png"), codes.get());
            written.add("latent.png");
        }
        return written;
    }

    /**
     * The keeper of {@code best.safetensors}: a fresh run removes an earlier run's; a resumed one goes on
     * from the lowest validation loss of the history it restored.
     */
    private BestCheckpoint bestCheckpoint(Path dir, FamilyModel built, RunSpec spec, RunHistory history) throws java.io.IOException {
        Path file = RunDirectory.best(dir);
        if (!resume) {
            Files.deleteIfExists(file);
            Files.deleteIfExists(Checkpoint.jsonSibling(file));
        }
        double earlier = resume ? history.validation().stream().mapToDouble(RunHistory.Point::loss)
                .filter(Double::isFinite).min().orElse(Double.NaN) : Double.NaN;
        return new BestCheckpoint(file, built, spec.toMap(), earlier);
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    private void checkOptions() {
        if (epochs < 1) {
            throw new UsageException("--epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new UsageException("--batch-size must be at least 1, got " + batchSize);
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new UsageException("--lr must be a positive number, got " + lr);
        }
        if (steps < 0) {
            throw new UsageException("--steps must be 0 (no limit) or positive, got " + steps);
        }
        if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
            throw new UsageException("--clip-norm must be 0 (no clipping) or a positive number, got " + clipNorm);
        }
        if (validateEvery < 0) {
            throw new UsageException("--validate-every must be 0 (once per epoch) or positive, got " + validateEvery);
        }
        if (samples < 0) {
            throw new UsageException("--samples must be 0 or positive, got " + samples);
        }
        if (resume && overwrite) {
            throw new UsageException("--resume and --overwrite exclude each other");
        }
        if (out != null) {
            RunFolder.requireUsable(out, "--out");
        }
        progressMode();
    }

    private ProgressDisplay.Mode progressMode() {
        return switch (progress.toLowerCase(Locale.ROOT)) {
            case "auto" -> ProgressDisplay.Mode.auto();
            case "bar" -> ProgressDisplay.Mode.BAR;
            case "lines" -> ProgressDisplay.Mode.LINES;
            case "none" -> ProgressDisplay.Mode.NONE;
            default -> throw UsageException.unknown("--progress mode", progress, List.of("auto", "bar", "lines", "none"));
        };
    }

    /**
     * The run folder, locked ({@link RunFolder}) before anything is decided from what it holds: --out, or
     * runs/MODEL-DATASET (numbered -2, -3, … when that holds a checkpoint or another training holds it).
     */
    private Path runDirectory() {
        String command = "nabla train " + model + " --dataset " + dataset;
        if (out != null) {
            folder = RunFolder.lockOrRefuse(out, command + " --out " + out + (resume ? " --resume" : "")
                    + (overwrite ? " --overwrite" : ""));
            boolean has = Files.exists(RunDirectory.checkpoint(out));
            if (resume && !has) {
                throw new UsageException("nothing to resume: no checkpoint in " + out + " (expected "
                        + RunDirectory.checkpoint(out) + ")");
            }
            if (!resume && !overwrite && has) {
                throw new UsageException(out + " already holds a checkpoint; pass --resume to continue it, "
                        + "--overwrite to start afresh, or another --out");
            }
            return out;
        }
        Path base = Path.of("runs", model + "-" + dataset);
        if (resume) {
            throw new UsageException("--resume needs --out DIR naming the run to continue");
        }
        for (int i = 1; ; i++) {
            Path p = i == 1 ? base : Path.of(base + "-" + i);
            if (!overwrite && Files.exists(RunDirectory.checkpoint(p))) {
                continue;
            }
            RunFolder taken;
            try {
                taken = RunFolder.lock(p, command + " --out " + p + (overwrite ? " --overwrite" : ""));
            } catch (dev.nabla.models.checkpoint.RunLock.LockedException e) {
                continue;   // another training is writing it: take the next number
            }
            if (!overwrite && Files.exists(RunDirectory.checkpoint(p))) {   // written before the lock was taken
                taken.close();
                continue;
            }
            folder = taken;
            return p;
        }
    }

    /** The header of the checkpoint to resume (no tensor read), or a usage error naming why it cannot be read. */
    private static Checkpoint.Header inspect(Path checkpoint) {
        try {
            return Checkpoint.inspect(checkpoint);
        } catch (dev.nabla.api.types.NablaException | java.io.UncheckedIOException e) {
            throw new UsageException("cannot resume from " + checkpoint + ": "
                    + dev.nabla.models.checkpoint.Json.abbreviate(TrainedModel.oneLine(e.getMessage()), 600));
        }
    }

    private RunSpec resumedSpec(Checkpoint.Header header) {
        Path checkpoint = header.file();
        RunSpec spec = RunSpec.fromMap(header.modelConfig(), checkpoint);
        resumedAt = header.step();
        if (!spec.model().equals(model) || !spec.dataset().equals(dataset)) {
            throw new UsageException("cannot resume: " + checkpoint + " is a run of " + spec.model() + " on "
                    + spec.dataset() + ", not " + model + " on " + dataset);
        }
        if (!modelKeys.isEmpty() && !new LinkedHashMap<String, Object>(modelKeys).equals(spec.config())) {
            throw new UsageException("cannot resume with other model keys: the checkpoint has " + spec.config()
                    + ", --set gives " + modelKeys);
        }
        if (trainer != null && !spec.trainer().equals(trainer)) {
            throw new UsageException("cannot resume: " + checkpoint + " was trained by '" + spec.trainer()
                    + "', not '" + trainer + "'");
        }
        return spec;
    }

    /** The trainer's settings from the options: {@code lr}, {@code batchSize}, {@code maxSteps}, {@code clipNorm} and every {@code --trainer-set}. */
    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("lr", lr);
        s.put("batchSize", batchSize);
        if (steps > 0) {
            s.put("maxSteps", steps);
        }
        if (clipNorm > 0) {
            s.put("clipNorm", clipNorm);
        }
        s.putAll(trainerKeys);
        return s;
    }

    /**
     * The pictures of a model whose samples change over training ({@link FamilyModel#epochSamples()}):
     * after each epoch a grid of its samples, {@code samples-epoch-N.png}, from the same noise every epoch
     * (a generator of fixed seed), and, for {@code progress.png}, the first {@value #STRIP} of them as one
     * row per epoch (at most {@value #MAX_ROWS} rows: when there are more, every other row is dropped,
     * keeping the first and the latest). Rows of epochs before a {@code --resume} are not kept.
     */
    static final class EpochGrids implements TrainingListener {
        static final int STRIP = 8;
        static final int MAX_ROWS = 20;
        private final FamilyModel model;
        private final Path dir;
        private final int count;
        private final long seed;
        private final PrintStream err;
        private final List<float[]> rows = new ArrayList<>();
        private int height;
        private int width;

        EpochGrids(FamilyModel model, Path dir, int count, long seed, PrintStream err) {
            this.model = model;
            this.dir = dir;
            this.count = count;
            this.seed = seed;
            this.err = err;
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> metrics) {
            try {
                if (!(model.sample(count, new Generator(seed)) instanceof dev.nabla.models.family.Samples.Images i)) {
                    return;
                }
                Plots.imageGrid(dir.resolve(String.format(Locale.ROOT, "samples-epoch-%03d.png", epoch)), i);
                height = i.height();
                width = i.width();
                int m = Math.min(STRIP, i.count()) * height * width;
                float[] row = new float[STRIP * height * width];
                System.arraycopy(i.pixels(), 0, row, 0, m);
                rows.add(row);
                if (rows.size() > MAX_ROWS) {
                    for (int k = rows.size() - 2; k >= 1; k -= 2) {
                        rows.remove(k);
                    }
                }
            } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
                err.println("warning: could not draw the samples of epoch " + epoch + " (" + e + ")");
            }
        }

        int rows() {
            return rows.size();
        }

        /** The strip, one row of {@value #STRIP} images per epoch kept; null before the first epoch ends. */
        dev.nabla.models.family.Samples.Images strip() {
            if (rows.isEmpty()) {
                return null;
            }
            int size = STRIP * height * width;
            float[] px = new float[rows.size() * size];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, px, r * size, size);
            }
            return new dev.nabla.models.family.Samples.Images(px, rows.size() * STRIP, height, width);
        }
    }

    /**
     * The {@link TrainingMonitor} handed to trainers outside {@code dev.nabla.models}: it forwards their
     * reports to the same listeners the built-in trainers call, and turns true on Ctrl-C.
     */
    private static final class StopSignal implements TrainingMonitor {
        private final List<TrainingListener> listeners;
        private volatile boolean requested;

        StopSignal(List<TrainingListener> listeners) {
            this.listeners = new ArrayList<>(listeners);
        }

        List<TrainingListener> listeners() {
            return listeners;
        }

        void request() {
            requested = true;
        }

        boolean requested() {
            return requested;
        }

        @Override
        public void step(long step, double loss) {
            listeners.forEach(l -> l.onStep(step, loss));
        }

        @Override
        public void validation(long step, double loss) {
            listeners.forEach(l -> l.onValidation(step, 0, loss));
        }

        @Override
        public boolean stopRequested() {
            return requested;
        }
    }
}
