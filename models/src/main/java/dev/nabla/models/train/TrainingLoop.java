package dev.nabla.models.train;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.api.types.NablaException;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.checkpoint.TensorChecks;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.Batches;
import dev.nabla.models.optim.GradClip;
import dev.nabla.models.optim.LrSchedule;
import dev.nabla.models.optim.Optimizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop every trainer here runs, usable directly from code:
 * <pre>{@code
 * import dev.nabla.models.flows.density.MleObjective;
 * import java.time.Duration;
 *
 * // given: TransformedDistribution model, Dataset train, Dataset validation
 * TrainingLoop loop = new TrainingLoop(new MleObjective(model, train, validation), new Adam(model.namedParameters(), 1e-3),
 *         new TrainingOptions().epochs(20).batchSize(128).seed(42).checkpoint(Path.of("run/ckpt.safetensors")));
 * loop.addListener(new ProgressPrinter(100, System.out::println));
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> {                 // Ctrl-C: finish the step, checkpoint
 *     try { loop.requestStopAndWait(Duration.ofSeconds(30)); } catch (InterruptedException e) { }
 * }));
 * TrainingReport report = loop.run();
 * }</pre>
 *
 * <p>The loop drives a list of {@link Update}s over one {@link Trainable}: each step draws one batch
 * (the trainable's {@link Trainable#trainingBatch}, or a batch of rows without data when it draws its
 * own) and runs, in list order, the updates due in that step ({@link Update#every}, {@link Update#repeat}).
 * Each run of an update: {@code zeroGrad} of its group; its loss; a NaN/∞ guard; {@code backward}; a
 * NaN/∞ guard on the group's gradient norm; optional clipping; the scheduled learning rate; its
 * {@code optimizer.step()}. One update — an {@link Objective} and an optimizer,
 * {@link #TrainingLoop(Objective, Optimizer, TrainingOptions)} — is the common case; a GAN is two.
 * Epochs shuffle the example indices with a generator seeded from {@link TrainingOptions#seed()} (or,
 * with {@code shuffle(false)}, take them in index order); a second generator feeds the losses'
 * sampling. Both states, every optimizer's state (by update name), the model's state and generators and
 * the position in the epoch go into checkpoints, so {@link #resume} continues bit for bit where the run
 * stopped.
 *
 * <p>Listeners hear each step's loss — the loss of the first update that ran in it (the mean over its
 * repeats) — and its named parts: every part the updates' {@link Loss}es report, when there are
 * several updates each update's loss under its name, and with global-norm clipping on
 * ({@link TrainingOptions#clipNorm()}) the gradient norm before clipping as {@value #GRAD_NORM}.
 *
 * <p>The report's {@code train_loss} is the mean step loss of the last epoch the run worked on: of the
 * last complete epoch, or, when the run ends inside an epoch ({@code maxSteps}, a stop request or a
 * listener), of the steps of that partial epoch taken in this run (a run resumed mid-epoch does not
 * know the losses of the steps before the checkpoint). {@code val_loss} is the last validation.
 *
 * <p>A loss that is NaN or infinite, or a gradient holding NaN or ±∞ (checked every update, before
 * any clipping, through the global gradient norm of the update's group), stops training with a
 * {@link NablaException} naming the step (and the update, when there are several) and the value, before
 * that update's optimizer step, so the last checkpoint is not overwritten. Not thread-safe, except
 * {@link #requestStop()}.
 */
public final class TrainingLoop {
    private static final long SAMPLE_STREAM = 0x5DEECE66DL;
    private static final long VALIDATION_STREAM = 0x2545F4914F6CDD1DL;
    private static final String BEST_VAL_LOSS = "best_val_loss";
    private static final String LISTENERS = "listeners";
    /**
     * The name of the step part that reports the global gradient norm {@code ‖g‖ = sqrt(Σ g²)} of the
     * first update's parameters before clipping, when {@link TrainingOptions#clipNorm()} is on
     * (a column of {@code metrics.csv} in the {@code nabla} command).
     */
    public static final String GRAD_NORM = "grad_norm";

    private final Trainable trainable;
    private final List<Update> updates;
    private final TrainingOptions options;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private volatile boolean stopRequested;
    private final Object runLock = new Object();
    private boolean running;

    private Generator shuffle;
    private Generator sample;
    private long[] shuffleAtEpochStart;
    private long step;
    private int epoch;          // completed epochs
    private int stepInEpoch;    // steps done in the current epoch
    private double lastValidation = Double.NaN;
    private double bestValidation = Double.POSITIVE_INFINITY;
    private double lastEpochLoss = Double.NaN;
    private long savedAtStep = -1;   // the step of the last checkpoint this loop wrote
    /** Listener states read by {@link #resume}, applied at the start of the next {@link #run()}. */
    private Map<String, Map<String, Double>> resumedListenerStates = Map.of();

    /**
     * A loop over {@code objective}, updating its parameters with {@code optimizer}: one update named
     * {@value Checkpoint#DEFAULT_UPDATE}, every step, with the options' schedule.
     *
     * @throws IllegalArgumentException if the optimizer's parameters are not the objective's
     */
    public TrainingLoop(Objective objective, Optimizer optimizer, TrainingOptions options) {
        this(objective, List.of(single(objective, optimizer, options)), options);
    }

    private static Update single(Objective objective, Optimizer optimizer, TrainingOptions options) {
        if (!optimizer.parameters().keySet().equals(objective.parameters().keySet())) {
            throw new IllegalArgumentException("training: the optimizer's parameters " + optimizer.parameters().keySet()
                    + " are not the objective's " + objective.parameters().keySet());
        }
        int batchSize = options.batchSize();
        return Update.of(Checkpoint.DEFAULT_UPDATE, optimizer,
                (batch, random) -> Loss.of(objective.loss(batch.indices(), batchSize, random)));
    }

    /**
     * A loop that trains {@code trainable} by {@code updates}, run in list order in each step.
     *
     * @throws IllegalArgumentException if there is no update, two share a name, none runs every step
     *                                  (a step must report a loss), or the trainable draws its own data
     *                                  and {@link TrainingOptions#stepsPerEpoch} is not set
     */
    public TrainingLoop(Trainable trainable, List<Update> updates, TrainingOptions options) {
        this.trainable = trainable;
        this.updates = List.copyOf(updates);
        this.options = options;
        if (this.updates.isEmpty()) {
            throw new IllegalArgumentException("training: no update to run");
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Update u : this.updates) {
            if (!names.add(u.name())) {
                throw new IllegalArgumentException("training: two updates are named '" + u.name() + "'");
            }
        }
        if (this.updates.getFirst().every() != 1) {
            throw new IllegalArgumentException("training: the first update ('" + this.updates.getFirst().name()
                    + "') must run every step (every = 1), so each step reports a loss; got every = "
                    + this.updates.getFirst().every());
        }
        if (trainable.trainingSize() <= 0 && options.stepsPerEpoch() < 1) {
            throw new IllegalArgumentException("training: the objective draws its own samples, so stepsPerEpoch must be set");
        }
        this.shuffle = new Generator(options.seed());
        this.sample = new Generator(options.seed() ^ SAMPLE_STREAM);
    }

    /** Adds a listener; returns this. */
    public TrainingLoop addListener(TrainingListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Asks the loop to stop after the current step and write a checkpoint (if configured). Thread-safe. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * {@link #requestStop()}, then waits until {@link #run()} has returned (its final checkpoint
     * written) or {@code timeout} has passed — what a shutdown hook needs, since the JVM exits when
     * the hook returns. Thread-safe.
     *
     * @return true if the loop is not running (any more)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean requestStopAndWait(java.time.Duration timeout) throws InterruptedException {
        requestStop();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (runLock) {
            while (running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(runLock, left);
            }
            return true;
        }
    }

    /** Optimizer steps taken so far (global, across resumes). */
    public long step() {
        return step;
    }

    /** Completed epochs. */
    public int epoch() {
        return epoch;
    }

    /** The optimizer of the first update (the only one in the common case). */
    public Optimizer optimizer() {
        return updates.getFirst().optimizer();
    }

    /** The updates, in the order they run. */
    public List<Update> updates() {
        return updates;
    }

    /** The steps one epoch has. */
    public int stepsPerEpoch() {
        return stepsPerEpoch(trainable, options);
    }

    /** The steps one epoch of {@code trainable} has under {@code options}. */
    public static int stepsPerEpoch(Trainable trainable, TrainingOptions options) {
        int n = trainable.trainingSize();
        return n > 0 ? Batches.count(n, options.batchSize(), options.dropLast()) : options.stepsPerEpoch();
    }

    /**
     * Trains until {@link TrainingOptions#epochs()} epochs are complete, {@link TrainingOptions#maxSteps()}
     * steps are done, a listener stops it, or {@link #requestStop()} is called. The report's
     * {@code train_loss} describes the partial epoch when the run ends inside one (see above). With a
     * checkpoint file configured, the run always ends with a checkpoint of its last step (also when
     * {@link TrainingOptions#checkpointEvery()} does not divide it).
     *
     * @throws NablaException if the loss or a gradient becomes NaN or infinite (naming the step and the value)
     */
    public TrainingReport run() {
        synchronized (runLock) {
            if (running) {
                throw new IllegalStateException("training: run() is already running");
            }
            running = true;
        }
        try {
            return runLocked();
        } finally {
            synchronized (runLock) {
                running = false;
                runLock.notifyAll();
            }
        }
    }

    private TrainingReport runLocked() {
        trainable.begin();
        try {
            Map<String, TrainingListener> keyed = keyedListeners();
            resumedListenerStates.forEach((key, state) -> {
                TrainingListener l = keyed.get(key);
                if (l != null) {
                    l.loadState(state);
                }
            });
            resumedListenerStates = Map.of();
            listeners.forEach(l -> l.onStart(this));
            trainable.train(true);
            boolean stopped = false;
            long startStep = step;
            double partialEpochLoss = Double.NaN;   // set when the run ends inside an epoch
            int perEpoch = stepsPerEpoch();
            if (perEpoch < 1) {
                throw new IllegalArgumentException("training: " + trainable.trainingSize() + " examples make no batch of "
                        + options.batchSize() + " (dropLast)");
            }
            while (epoch < options.epochs() && !stopped && !limitReached()) {
                if (stepInEpoch == 0) {
                    shuffleAtEpochStart = shuffle.state();
                } else {
                    shuffle = Generator.fromState(shuffleAtEpochStart);   // resumed mid-epoch: redraw the same order
                }
                int n = trainable.trainingSize();
                int[] order = n <= 0 ? null : options.shuffle() ? Batches.permutation(shuffle, n) : Batches.sequential(n);
                double lossSum = 0;
                int lossCount = 0;
                Map<String, double[]> partSums = new LinkedHashMap<>();
                for (int b = stepInEpoch; b < perEpoch; b++) {
                    int[] batch = order == null ? null : Batches.batch(order, options.batchSize(), b);
                    Map<String, Double> parts = new LinkedHashMap<>();
                    double loss = oneStep(batch, parts);
                    lossSum += loss;
                    lossCount++;
                    parts.forEach((k, v) -> {
                        double[] acc = partSums.computeIfAbsent(k, x -> new double[2]);
                        acc[0] += v;
                        acc[1]++;
                    });
                    stepInEpoch = b + 1;
                    Map<String, Double> shown = java.util.Collections.unmodifiableMap(parts);
                    for (TrainingListener l : listeners) {
                        l.onStep(step, loss, shown);
                    }
                    if (options.validateEvery() > 0 && step % options.validateEvery() == 0) {
                        validate();
                    }
                    if (stepInEpoch < perEpoch && options.checkpoint() != null && options.checkpointEvery() > 0
                            && step % options.checkpointEvery() == 0) {
                        saveCheckpoint(options.checkpoint());
                    }
                    if (stepInEpoch < perEpoch && (stopNow() || limitReached())) {
                        stopped = true;
                        partialEpochLoss = lossSum / lossCount;
                        break;
                    }
                }
                if (stopped) {
                    break;
                }
                epoch++;
                stepInEpoch = 0;
                lastEpochLoss = lossSum / Math.max(1, lossCount);
                if (options.validateEvery() == 0) {
                    validate();
                }
                Map<String, Double> metrics = new LinkedHashMap<>();
                metrics.put("train_loss", lastEpochLoss);
                if (!Double.isNaN(lastValidation)) {
                    metrics.put("val_loss", lastValidation);
                }
                partSums.forEach((k, acc) -> metrics.putIfAbsent(k, acc[0] / acc[1]));
                metrics.put("lr", updates.getFirst().optimizer().learningRate());
                if (updates.size() > 1) {
                    for (Update u : updates) {
                        metrics.put("lr_" + u.name(), u.optimizer().learningRate());
                    }
                }
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(epoch, metrics);
                }
                if (options.checkpoint() != null && (options.checkpointEvery() == 0
                        || step % options.checkpointEvery() == 0)) {
                    saveCheckpoint(options.checkpoint());
                }
                stopped = epoch < options.epochs() && (stopNow() || limitReached());
            }
            if (stopped && options.checkpoint() != null) {
                saveCheckpoint(options.checkpoint());
            } else if (options.checkpoint() != null && step != startStep && savedAtStep != step) {
                saveCheckpoint(options.checkpoint());   // finished, and checkpointEvery did not divide the last step
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("train_loss", Double.isNaN(partialEpochLoss) ? lastEpochLoss : partialEpochLoss);
            if (!Double.isNaN(lastValidation)) {
                m.put("val_loss", lastValidation);
                if (Double.isFinite(bestValidation)) {
                    m.put("best_val_loss", bestValidation);
                }
            }
            m.put("stopped_early", stopped && !limitReached() ? 1.0 : 0.0);
            TrainingReport report = new TrainingReport(step, epoch, m);
            listeners.forEach(l -> l.onEnd(report));
            return report;
        } finally {
            trainable.end();
        }
    }

    private boolean limitReached() {
        return options.maxSteps() > 0 && step >= options.maxSteps();
    }

    private boolean stopNow() {
        if (stopRequested) {
            return true;
        }
        for (TrainingListener l : listeners) {
            if (l.shouldStop()) {
                return true;
            }
        }
        return false;
    }

    /**
     * One step: the batch, then every update due; returns the step's loss and puts its parts into {@code parts}.
     */
    private double oneStep(int[] batch, Map<String, Double> parts) {
        long stepNumber = step + 1;
        double first = Double.NaN;
        try (Scope s = Scope.open()) {
            Batch b = batch == null ? Batch.rows(options.batchSize()) : trainable.trainingBatch(batch);
            for (int k = 0; k < updates.size(); k++) {
                Update u = updates.get(k);
                if (!u.runsIn(stepNumber)) {
                    continue;
                }
                double sum = 0;
                Map<String, Double> partSums = new LinkedHashMap<>();
                for (int r = 0; r < u.repeat(); r++) {
                    sum += runUpdate(u, b, partSums);
                }
                double mean = sum / u.repeat();
                if (k == 0) {
                    first = mean;
                }
                partSums.forEach((name, v) -> parts.putIfAbsent(name, v / u.repeat()));
                if (updates.size() > 1) {
                    parts.putIfAbsent(u.name(), mean);
                }
            }
        }
        step++;
        return first;
    }

    /** Where a failure happened, for messages: the step, the epoch and, with several updates, the update. */
    private String where(Update u) {
        return "step " + (step + 1) + " (epoch " + (epoch + 1) + (updates.size() > 1 ? ", update '" + u.name() + "'" : "")
                + ")";
    }

    /** What became of the checkpoint, for a message on a stopped run: true whether or not one exists. */
    private String keptCheckpoint() {
        if (options.checkpoint() == null) {
            return "";
        }
        if (savedAtStep >= 0) {
            return "; the last checkpoint " + options.checkpoint() + " (step " + savedAtStep + ") was not overwritten";
        }
        return java.nio.file.Files.exists(options.checkpoint())
                ? "; the checkpoint " + options.checkpoint() + " this run started from was not overwritten"
                : "; no checkpoint was written (none is written before the first epoch ends)";
    }

    /** One run of update {@code u} on batch {@code b}; returns its loss and adds its parts to {@code parts}. */
    private double runUpdate(Update u, Batch b, Map<String, Double> parts) {
        Optimizer optimizer = u.optimizer();
        double value;
        try (Scope s = Scope.open()) {
            optimizer.zeroGrad();
            Loss loss = u.loss().compute(b, sample);
            if (loss.value().numel() != 1) {
                throw new NablaException("training: the " + (updates.size() > 1 ? "update '" + u.name() + "'s " : "objective's ")
                        + "loss must be a scalar, got " + loss.value().describe());
            }
            value = loss.value().item();
            if (!Double.isFinite(value)) {
                throw new NablaException("training stopped at " + where(u) + ": the loss is " + value
                        + "; the parameters are those after step " + step + keptCheckpoint());
            }
            for (Map.Entry<String, Tensor> e : loss.parts().entrySet()) {
                if (e.getValue().numel() != 1) {
                    throw new NablaException("training: loss part '" + e.getKey() + "' must be a scalar, got "
                            + e.getValue().describe());
                }
                parts.merge(e.getKey(), e.getValue().item(), Double::sum);
            }
            loss.value().backward();
        }
        // Always, and before any clipping: clamping by value would turn ±∞ into finite numbers (and a
        // clamp need not keep NaN), and without clipping a NaN gradient would reach step() and the parameters.
        double norm = GradClip.globalNorm(optimizer.parameters().values());
        if (!Double.isFinite(norm)) {
            throw new NablaException("training stopped at " + where(u) + ": the gradient norm is " + norm + " (loss "
                    + value + "); the parameters are those after step " + step + keptCheckpoint());
        }
        if (options.clipValue() > 0) {
            GradClip.byValue(optimizer.parameters().values(), options.clipValue());
        }
        if (options.clipNorm() > 0) {
            parts.merge(GRAD_NORM, norm, Double::sum);   // before clipping: what the clip acted on
            GradClip.byGlobalNorm(optimizer.parameters().values(), options.clipNorm());
        }
        LrSchedule schedule = u.schedule() != null ? u.schedule() : options.schedule();
        if (schedule != null) {
            optimizer.learningRate(schedule.lr(optimizer.steps()));
        }
        optimizer.step();
        requireFiniteOptimizerState(u, value, norm);
        return value;
    }

    /**
     * Stops training the step an optimizer's state (Adam's moments, momentum) stops being finite, e.g. second
     * moments overflowing with a too-large learning rate, rather than at the next checkpoint. One reduction
     * per state tensor ({@code x − x} is 0 for finite values, NaN otherwise), as cheap as the gradient norm.
     */
    private void requireFiniteOptimizerState(Update u, double loss, double gradNorm) {
        String bad = TensorChecks.firstNonFinite(u.optimizer().state());
        if (bad != null) {
            throw new NablaException("training stopped at " + where(u) + ": after its update the optimizer's "
                    + "state '" + bad + "' holds NaN or infinite values (loss " + loss + ", gradient norm "
                    + gradNorm + "); lower the learning rate" + keptCheckpoint());
        }
    }

    /**
     * Runs a validation pass now; returns its loss (NaN if the objective has none). A loss of ±∞ is
     * reported to the listeners and in the report's {@code val_loss}, but counts as no improvement and
     * is not stored in checkpoints.
     */
    public double validate() {
        double loss;
        trainable.train(false);
        try (GradMode ignored = Autograd.noGrad()) {
            loss = trainable.validationLoss(options.batchSize(), new Generator(options.seed() ^ VALIDATION_STREAM));
        } finally {
            trainable.train(true);
        }
        if (!Double.isNaN(loss)) {
            // ±∞ is reported (report, listeners) but is no improvement, and no checkpoint stores it
            lastValidation = loss;
            if (Double.isFinite(loss)) {
                bestValidation = Math.min(bestValidation, loss);
            }
            for (TrainingListener l : listeners) {
                l.onValidation(step, epoch + (stepInEpoch == 0 ? 0 : 1), loss);
            }
        }
        return loss;
    }

    /** The generator states a checkpoint records. */
    private Map<String, long[]> rngStates() {
        Map<String, long[]> r = new LinkedHashMap<>();
        r.put("shuffle", stepInEpoch == 0 ? shuffle.state() : shuffleAtEpochStart);
        r.put("sample", sample.state());
        trainable.randomSources().forEach((name, src) -> r.put("model." + name, src.generator().state()));
        return r;
    }

    /**
     * Writes a checkpoint of the current state to {@code file}, atomically.
     *
     * @throws NablaException if a model or optimizer tensor holds NaN or ±∞: a broken state never
     *                        replaces a good checkpoint
     */
    public void saveCheckpoint(Path file) {
        requireFinite("model", trainable.state(), file);
        for (Update u : updates) {
            requireFinite(updates.size() > 1 ? "optimizer '" + u.name() + "'" : "optimizer", u.optimizer().state(), file);
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        if (Double.isFinite(lastValidation)) {   // the checkpoint's JSON holds finite numbers only
            extra.put("val_loss", lastValidation);
        }
        if (Double.isFinite(bestValidation)) {
            extra.put(BEST_VAL_LOSS, bestValidation);
        }
        Map<String, Object> ls = new LinkedHashMap<>();
        keyedListeners().forEach((key, l) -> {
            Map<String, Object> state = new LinkedHashMap<>();
            l.state().forEach((k, v) -> {
                if (Double.isFinite(v)) {
                    state.put(k, v);
                }
            });
            if (!state.isEmpty()) {
                ls.put(key, state);
            }
        });
        if (!ls.isEmpty()) {
            extra.put(LISTENERS, ls);
        }
        Map<String, Optimizer> optimizers = new LinkedHashMap<>();
        updates.forEach(u -> optimizers.put(u.name(), u.optimizer()));
        Map<String, Tensor> run = trainable.runState();
        requireFinite("run state", run, file);
        Checkpoint.of(trainable.state(), optimizers, step, epoch, stepInEpoch, options.modelConfig(), rngStates(), extra)
                .withRunState(run).save(file);
        savedAtStep = step;
    }

    private void requireFinite(String what, Map<String, Tensor> tensors, Path file) {
        String bad = TensorChecks.firstNonFinite(tensors);
        if (bad != null) {
            throw new NablaException("training: not writing a checkpoint at step " + step + ": " + what
                    + " tensor '" + bad + "' holds NaN or infinite values" + (java.nio.file.Files.exists(file)
                    ? "; the previous checkpoint " + file + " is kept" : "; no checkpoint was written"));
        }
    }

    /**
     * Restores model, optimizer, position, generators, the last and best validation losses and the
     * listeners' {@linkplain TrainingListener#state() state} from {@code checkpoint}, so that
     * {@link #run()} continues exactly where the checkpointed run was. The listener states are
     * handed to the listeners (matched by class) when {@link #run()} starts.
     *
     * @throws IllegalArgumentException if the checkpoint does not fit this model or optimizer (another
     *                                  optimizer, or other hyper-parameters than the learning rate)
     */
    public void resume(Checkpoint checkpoint) {
        Map<Update, Checkpoint.OptimizerState> optimizers = matchOptimizers(checkpoint);
        optimizers.forEach((u, o) -> {
            if (!o.name().equals(u.optimizer().name())) {
                throw new IllegalArgumentException("resume: the checkpoint was trained with '" + o.name() + "'"
                        + (updates.size() > 1 ? " for update '" + u.name() + "'" : "") + ", this run uses '"
                        + u.optimizer().name() + "'");
            }
            requireSameHyperParameters(u, o.hyperParameters());
        });
        long[] sh = checkpoint.rng().get("shuffle");
        long[] sa = checkpoint.rng().get("sample");
        if (sh == null || sa == null) {
            throw new IllegalArgumentException("resume: the checkpoint lacks the generator states 'shuffle' and 'sample'; has "
                    + checkpoint.rng().keySet());
        }
        for (String name : trainable.randomSources().keySet()) {
            if (!checkpoint.rng().containsKey("model." + name)) {
                throw new IllegalArgumentException("resume: the checkpoint lacks the state of the model's generator '"
                        + name + "'; has " + checkpoint.rng().keySet());
            }
        }
        trainable.loadState(checkpoint.model());
        trainable.loadRunState(checkpoint.runState());
        trainable.randomSources().forEach((name, src) ->
                src.generator(Generator.fromState(checkpoint.rng().get("model." + name))));
        optimizers.forEach((u, o) -> {
            u.optimizer().loadState(o.state(), o.steps());
            Double lr = o.hyperParameters().get("lr");
            if (lr != null) {
                u.optimizer().learningRate(lr);
            }
        });
        step = checkpoint.step();
        epoch = checkpoint.epoch();
        stepInEpoch = checkpoint.stepInEpoch();
        shuffle = Generator.fromState(sh);
        shuffleAtEpochStart = sh.clone();
        sample = Generator.fromState(sa);
        lastValidation = number(checkpoint.extra().get("val_loss"), Double.NaN);
        bestValidation = number(checkpoint.extra().get(BEST_VAL_LOSS), Double.POSITIVE_INFINITY);
        Map<String, Map<String, Double>> ls = new LinkedHashMap<>();
        if (checkpoint.extra().get(LISTENERS) instanceof Map<?, ?> saved) {
            saved.forEach((key, state) -> {
                Map<String, Double> values = new LinkedHashMap<>();
                if (state instanceof Map<?, ?> sm) {
                    sm.forEach((k, v) -> {
                        if (v instanceof Number num) {
                            values.put(k.toString(), num.doubleValue());
                        }
                    });
                }
                ls.put(key.toString(), values);
            });
        }
        resumedListenerStates = ls;
    }

    private static double number(Object o, double otherwise) {
        return o instanceof Number n ? n.doubleValue() : otherwise;
    }

    /**
     * The listeners by the key their state is checkpointed under: the class's simple name, with
     * {@code #2}, {@code #3}, … for further listeners of the same class (so that listeners without
     * state, such as a progress printer, may differ between the run and its resumption).
     */
    private Map<String, TrainingListener> keyedListeners() {
        Map<String, TrainingListener> m = new LinkedHashMap<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (TrainingListener l : listeners) {
            String name = l.getClass().getSimpleName().isEmpty() ? l.getClass().getName() : l.getClass().getSimpleName();
            int n = seen.merge(name, 1, Integer::sum);
            m.put(n == 1 ? name : name + "#" + n, l);
        }
        return m;
    }

    /**
     * The checkpoint's optimizer state for each update: by name, or the only one for a run of one
     * update (whatever its name, so checkpoints written before updates had names resume).
     */
    private Map<Update, Checkpoint.OptimizerState> matchOptimizers(Checkpoint checkpoint) {
        Map<Update, Checkpoint.OptimizerState> m = new LinkedHashMap<>();
        Map<String, Checkpoint.OptimizerState> saved = checkpoint.optimizers();
        if (saved.isEmpty()) {
            return m;   // written without optimizer state (a trainer outside this module): the optimizers start afresh
        }
        if (updates.size() == 1 && saved.size() == 1) {
            m.put(updates.getFirst(), saved.values().iterator().next());
            return m;
        }
        java.util.Set<String> own = new java.util.LinkedHashSet<>();
        updates.forEach(u -> own.add(u.name()));
        if (!own.equals(saved.keySet())) {
            throw new IllegalArgumentException("resume: the checkpoint holds the optimizers of the updates " + saved.keySet()
                    + ", this run has the updates " + own);
        }
        updates.forEach(u -> m.put(u, saved.get(u.name())));
        return m;
    }

    /** Every hyper-parameter but the learning rate (which schedules change) must be the checkpoint's. */
    private void requireSameHyperParameters(Update u, Map<String, Double> saved) {
        Optimizer optimizer = u.optimizer();
        Map<String, Double> own = optimizer.hyperParameters();
        java.util.Set<String> keys = new java.util.TreeSet<>(saved.keySet());
        keys.addAll(own.keySet());
        keys.remove("lr");
        for (String k : keys) {
            Double a = saved.get(k);
            Double b = own.get(k);
            if (a == null || b == null || Double.compare(a, b) != 0) {
                throw new IllegalArgumentException("resume: hyper-parameter mismatch for '" + optimizer.name() + "': the checkpoint has "
                        + k + " = " + (a == null ? "(none)" : a) + ", this run's has " + k + " = " + (b == null ? "(none)" : b)
                        + "; resume with the same optimizer settings");
            }
        }
    }

    /** {@link #resume(Checkpoint)} from a file written by {@link #saveCheckpoint}. */
    public void resumeFrom(Path file) {
        try (Checkpoint c = Checkpoint.load(file, trainable.tensors())) {
            resume(c);
        }
    }
}
