package dev.nabla.launcher.command;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.TrainerProvider;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.Trainer;
import dev.nabla.api.train.TrainingMonitor;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.DatasetCatalog;
import dev.nabla.launcher.registry.ModelCatalog;
import dev.nabla.launcher.registry.ProviderRegistry;
import dev.nabla.launcher.report.Plots;
import dev.nabla.launcher.report.ProgressDisplay;
import dev.nabla.launcher.report.RunHistory;
import dev.nabla.launcher.wiring.LauncherConfig;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.density.DensityModel;
import dev.nabla.models.flows.TransformedDistribution;
import dev.nabla.models.train.LoopTrainer;
import dev.nabla.models.train.MleObjective;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code nabla train MODEL --dataset D}: trains a density model by the chosen trainer on the selected
 * backend, shows progress, validates, writes checkpoints into {@code --out}, then the loss curve
 * ({@code loss.png}), the metrics ({@code metrics.csv}) and, for 2-D data, samples over the data
 * ({@code samples.png}), and prints the test log-likelihood. Ctrl-C finishes the current step, writes a
 * checkpoint and the pictures, and exits; {@code --resume} continues from the checkpoint exactly.
 *
 * <p>Every trainer receives the plan parts {@code model}, {@code data}, {@code listeners} and
 * {@code modelConfig} (for trainers of {@code dev.nabla.models}) and, for trainers written against the
 * api alone, {@code parameters} ({@code Map<String, Tensor>}), {@code logProb}
 * ({@code Function<Tensor, Tensor>}, {@code [batch, dim] → [batch]}), {@code trainData} and
 * {@code validationData} (tensors {@code [n, dim]}), {@code tensors} (the backend's factory) and
 * {@code monitor} ({@link TrainingMonitor}).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a density model on a data set; writes checkpoints and pictures into --out.")
public final class TrainCommand implements Callable<Integer> {
    private static final long MIXING = 0x9E3779B97F4A7C15L;

    @Parameters(index = "0", paramLabel = "MODEL", description = "realnvp, maf, iaf, or a flow name from 'nabla list'")
    String model;

    @Option(names = "--dataset", required = true, paramLabel = "D", description = "moons, circles, 8gaussians, pinwheel, 2spirals, checkerboard")
    String dataset;

    @Option(names = "--backend", paramLabel = "B", description = "Backend (default: -Dnabla.backend, NABLA_BACKEND, else the best available).")
    String backend;

    @Option(names = "--trainer", paramLabel = "T", defaultValue = "mle", description = "Trainer (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--teacher", paramLabel = "RUN", description = "A trained run to distill into MODEL (with --trainer distill).")
    Path teacher;

    @Option(names = "--validate-every", paramLabel = "N", defaultValue = "0", description = "Validate every N steps (default: once per epoch).")
    long validateEvery;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "auto, bar, lines or none (default: ${DEFAULT-VALUE}).")
    String progress;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "2000", description = "Samples drawn for samples.png (default: ${DEFAULT-VALUE}).")
    int samples;

    private final LauncherConfig config;
    private Thread hook;                 // the Ctrl-C hook of this run, removed after a normal end
    private CountDownLatch finished;     // counted down when the run's files are written
    private final SelectedBackend backends;
    private final ModelCatalog models;
    private final DatasetCatalog datasets;
    private final ProviderRegistry<TrainerProvider> trainers;

    /** Created by Guice. */
    @Inject
    TrainCommand(LauncherConfig config, SelectedBackend backends, ModelCatalog models, DatasetCatalog datasets,
            ProviderRegistry<TrainerProvider> trainers) {
        this.config = config;
        this.backends = backends;
        this.models = models;
        this.datasets = datasets;
        this.trainers = trainers;
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        PrintStream out = config.out();
        if (!models.names().contains(model)) {
            throw UsageException.unknown("model", model, models.names());
        }
        datasets.require(dataset);   // an unknown data set is named before anything heavy
        TrainerProvider trainerProvider = trainers.provider(trainer);
        config.requestBackend(backend);
        Backend b = backends.get();
        TensorFactory f = TensorFactory.on(b);

        Path dir = runDirectory();
        Path checkpoint = RunDirectory.checkpoint(dir);
        RunSpec spec = resume ? resumedSpec(checkpoint, f) : new RunSpec(model, dataset, 0, new LinkedHashMap<String, Object>(modelKeys), trainer, seed);
        DataSplits data = datasets.load(dataset, spec.seed());
        int dim = (int) data.train().itemShape().size();
        spec = new RunSpec(spec.model(), spec.dataset(), dim, spec.config(), spec.trainer(), spec.seed());

        try (TransformedDistribution density = models.build(spec.model(), dim, spec.config(), f,
                new Generator(spec.seed() ^ MIXING))) {
            long parameters = density.namedParameters().values().stream().mapToLong(Tensor::numel).sum();
            if (parameters == 0) {
                throw new UsageException("model '" + model + "' has no trainable parameters; valid models with parameters: "
                        + String.join(", ", models.builtIn()));
            }
            Files.createDirectories(dir);   // only once the model is built: a bad key leaves no empty folder
            long perEpoch = Batches.count(data.train().size(), batchSize, false);
            Map<String, Object> trainerSettings = settings(trainerProvider, checkpoint);
            if (trainer.equals("distill") && teacher == null) {
                throw new UsageException("trainer 'distill' needs --teacher RUN, a trained run whose model the student "
                        + "learns to imitate (train one first: nabla train maf --dataset " + dataset + ")");
            }
            if (trainer.equals("distill")) {
                trainerSettings.putIfAbsent("stepsPerEpoch", perEpoch);
            }
            Trainer t = trainerProvider.create(trainer, trainerSettings);
            RunHistory history = new RunHistory();
            long total = steps > 0 ? Math.min(steps, perEpoch * epochs) : perEpoch * epochs;
            ProgressDisplay display = new ProgressDisplay(progressMode(), config.err(), total, Math.max(1, total / 20));
            List<TrainingListener> listeners = List.of(history, display);
            StopSignal stop = new StopSignal(listeners);
            out.printf(Locale.ROOT, "training %s on %s (%d train / %d validation points, dim %d) on backend %s (%s): "
                            + "%,d parameters, %d epochs of %d steps%s, batch %d, lr %s, trainer %s%s%n",
                    spec.model(), spec.dataset(), data.train().size(), data.validation().size(), dim, b.name(), b.device(),
                    parameters, epochs, perEpoch, steps > 0 ? " (at most " + steps + " steps)" : "", batchSize, lr,
                    trainer, resume ? ", resuming from " + checkpoint : "");
            out.println("run folder: " + dir.toAbsolutePath().normalize());

            try (TrainedModel teacherModel = teacher == null ? null : TrainedModel.load(teacher, models, f);
                 Tensor trainData = data.train().all(f); Tensor validationData = data.validation().all(f)) {
                Map<String, Object> parts = new LinkedHashMap<>();
                if (teacherModel != null) {
                    if (teacherModel.spec().dim() != dim) {
                        throw new UsageException("--teacher " + teacher + " models dimension " + teacherModel.spec().dim()
                                + ", the data set " + dim);
                    }
                    parts.put("teacher", teacherModel.model());
                    parts.put("student", density);
                    out.println("distilling " + teacherModel.spec().model() + " (step " + teacherModel.step() + ", "
                            + teacherModel.file() + ") into " + spec.model());
                }
                parts.put("model", density);
                parts.put("data", data);
                parts.put("listeners", listeners);
                parts.put("modelConfig", spec.toMap());
                parts.put("parameters", density.namedParameters());
                parts.put("logProb", (java.util.function.Function<Tensor, Tensor>) density::logProb);
                parts.put("trainData", trainData);
                parts.put("validationData", validationData);
                parts.put("tensors", f);
                parts.put(TrainingMonitor.PART, stop);
                TrainingPlan plan = new TrainingPlan(parts, epochs, spec.seed(), Map.of());
                long t0 = System.nanoTime();
                TrainingReport report = run(t, plan, density, checkpoint, spec, stop);
                double seconds = (System.nanoTime() - t0) / 1e9;
                display.onEnd(report);
                finish(report, seconds, density, data, dir, spec, f, history, stop.requested());
            }
        } finally {
            stop();
        }
        return 0;
    }

    private TrainingReport run(Trainer t, TrainingPlan plan, TransformedDistribution density, Path checkpoint,
            RunSpec spec, StopSignal stop) throws InterruptedException {
        if (t instanceof LoopTrainer loopTrainer) {
            TrainingLoop loop = loopTrainer.prepare(plan);
            onCtrlC(stop, () -> loop.requestStopAndWait(Duration.ofSeconds(60)));
            return loop.run();
        }
        if (resume) {   // a trainer outside dev.nabla.models: restore the parameters; its own state starts afresh
            try (Checkpoint ck = Checkpoint.load(checkpoint, TensorFactory.on(backends.get()))) {
                density.loadState(ck.model());
            }
        }
        onCtrlC(stop, () -> true);   // the trainer sees stopRequested() through its monitor
        TrainingReport report = t.train(plan);
        Checkpoint.of(density.state(), null, report.steps(), report.epochs(), 0, spec.toMap(), Map.of(), Map.of())
                .save(checkpoint);
        for (TrainingListener l : List.copyOf(stop.listeners())) {
            l.onEnd(report);
        }
        return report;
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

    private void finish(TrainingReport report, double seconds, TransformedDistribution density, DataSplits data,
            Path dir, RunSpec spec, TensorFactory f, RunHistory history, boolean interrupted) {
        PrintStream out = config.out();
        density.eval();
        double testLl = meanLogProb(density, data.test(), batchSize);
        history.writeCsv(dir.resolve("metrics.csv"));
        boolean picture = spec.dim() == 2 && samples > 0;
        List<String> written = new ArrayList<>(List.of("metrics.csv"));
        // the pictures are a report: if this machine cannot draw (no fonts for headless AWT, say), the
        // trained model, its checkpoint and metrics still stand, so say so and go on
        try {
            Plots.lossCurve(dir.resolve("loss.png"), spec.model() + " on " + spec.dataset() + " (" + report.steps() + " steps)",
                    switch (spec.trainer()) {
                        case "mle" -> "loss: negative log-likelihood (nats)";
                        case "distill" -> "loss: KL(student || teacher) estimate (nats)";
                        default -> "loss (" + spec.trainer() + ")";
                    }, history);
            written.add("loss.png");
            if (picture) {
                float[] drawn = sample(density, samples, new Generator(spec.seed() + 1));
                float[] shown = firstRows(data.test(), Math.min(samples, data.test().size()), f);
                Plots.samples(dir.resolve("samples.png"), spec.model() + " samples (red) over " + spec.dataset() + " (grey)",
                        shown, drawn);
                written.add("samples.png");
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
        out.printf(Locale.ROOT, "done: %d steps in %.1f s (%.0f steps/s); train loss %s, validation loss %s, "
                        + "test log-likelihood %.4f nats%n", report.steps(), seconds, report.steps() / Math.max(seconds, 1e-9),
                fmt(m.get("train_loss")), fmt(m.get("val_loss")), testLl);
        out.println("wrote " + dir.resolve(RunDirectory.CHECKPOINT) + ", " + String.join(", ", written));
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * The mean {@code log p(x)} over a data set, in batches, without recording gradients: minus the
     * maximum-likelihood objective's validation loss (float64 accumulation), as training reports it.
     */
    static double meanLogProb(DensityModel density, Dataset d, int batch) {
        try (GradMode ignored = Autograd.noGrad()) {
            return -new MleObjective(density, d, d).validationLoss(batch, null);
        }
    }

    /** {@code n} samples as row-major floats. */
    static float[] sample(TransformedDistribution density, int n, Generator g) {
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            return density.sample(n, g).toFloatArray();
        }
    }

    private static float[] firstRows(Dataset d, int n, TensorFactory f) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        try (Scope s = Scope.open()) {
            return d.batch(f, idx).toFloatArray();
        }
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
        if (validateEvery < 0) {
            throw new UsageException("--validate-every must be 0 (once per epoch) or positive, got " + validateEvery);
        }
        if (samples < 0) {
            throw new UsageException("--samples must be 0 or positive, got " + samples);
        }
        if (resume && overwrite) {
            throw new UsageException("--resume and --overwrite exclude each other");
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

    /** The run folder: --out, or runs/MODEL-DATASET (numbered -2, -3, … when that holds a checkpoint). */
    private Path runDirectory() {
        if (out != null) {
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
        Path p = base;
        for (int i = 2; Files.exists(RunDirectory.checkpoint(p)) && !overwrite; i++) {
            p = Path.of(base + "-" + i);
        }
        return p;
    }

    private RunSpec resumedSpec(Path checkpoint, TensorFactory f) {
        RunSpec spec;
        try (Checkpoint ck = Checkpoint.load(checkpoint, f)) {
            spec = RunSpec.fromMap(ck.modelConfig(), checkpoint);
        } catch (dev.nabla.api.types.NablaException e) {
            throw new UsageException("cannot resume from " + checkpoint + ": " + e.getMessage());
        }
        if (!spec.model().equals(model) || !spec.dataset().equals(dataset)) {
            throw new UsageException("cannot resume: " + checkpoint + " is a run of " + spec.model() + " on "
                    + spec.dataset() + ", not " + model + " on " + dataset);
        }
        if (!modelKeys.isEmpty() && !new LinkedHashMap<String, Object>(modelKeys).equals(spec.config())) {
            throw new UsageException("cannot resume with other model keys: the checkpoint has " + spec.config()
                    + ", --set gives " + modelKeys);
        }
        if (!spec.trainer().equals(trainer)) {
            throw new UsageException("cannot resume: " + checkpoint + " was trained by '" + spec.trainer()
                    + "', not '" + trainer + "'");
        }
        return spec;
    }

    private Map<String, Object> settings(TrainerProvider provider, Path checkpoint) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("lr", lr);
        s.put("batchSize", batchSize);
        if (steps > 0) {
            s.put("maxSteps", steps);
        }
        if (ProviderRegistry.moduleOf(provider).equals("dev.nabla.models")) {
            s.put("validateEvery", validateEvery);
            s.put("checkpoint", checkpoint.toString());
            if (resume) {
                s.put("resume", checkpoint.toString());
            }
        }
        s.putAll(trainerKeys);
        return s;
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
