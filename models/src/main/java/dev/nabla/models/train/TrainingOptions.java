package dev.nabla.models.train;

import dev.nabla.models.optim.LrSchedule;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a {@link TrainingLoop} runs: epochs, batch size, seed, schedule, clipping, validation and
 * checkpoint cadence. Fluent setters; defaults are in each setter's doc.
 */
public final class TrainingOptions {
    private int epochs = 1;
    private long seed = 0;
    private int batchSize = 64;
    private int stepsPerEpoch = 0;
    private boolean dropLast = false;
    private boolean shuffle = true;
    private long maxSteps = 0;
    private long validateEvery = 0;
    private LrSchedule schedule;
    private double clipNorm = 0;
    private double clipValue = 0;
    private Path checkpoint;
    private long checkpointEvery = 0;
    private Map<String, Object> modelConfig = Map.of();

    /** Passes over the training data (default 1). */
    public TrainingOptions epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /** The seed of the shuffling and sampling generators (default 0). */
    public TrainingOptions seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Examples (or samples) per step (default 64). */
    public TrainingOptions batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** Steps per epoch for objectives without a data set (distillation); required for them. */
    public TrainingOptions stepsPerEpoch(int stepsPerEpoch) {
        if (stepsPerEpoch < 1) {
            throw new IllegalArgumentException("stepsPerEpoch must be >= 1, got " + stepsPerEpoch);
        }
        this.stepsPerEpoch = stepsPerEpoch;
        return this;
    }

    /** Drop a last, short batch (default false). */
    public TrainingOptions dropLast(boolean dropLast) {
        this.dropLast = dropLast;
        return this;
    }

    /**
     * Shuffle the examples at the start of each epoch (default true). With false every epoch visits
     * them in index order, batch {@code b} being examples {@code [b·B, (b+1)·B)}: a fixed, documented
     * order another framework can replay exactly (the PyTorch comparison does).
     */
    public TrainingOptions shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /**
     * Stop once this many optimizer steps (global, across resumes) are done, even inside an epoch;
     * 0 (default) runs all {@link #epochs(int)}. Reaching it is a normal end, not an early stop: a
     * configured checkpoint is written.
     */
    public TrainingOptions maxSteps(long maxSteps) {
        if (maxSteps < 0) {
            throw new IllegalArgumentException("maxSteps must be >= 0, got " + maxSteps);
        }
        this.maxSteps = maxSteps;
        return this;
    }

    /** Validate every this many steps; 0 (default) validates at the end of each epoch. */
    public TrainingOptions validateEvery(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("validateEvery must be >= 0, got " + steps);
        }
        this.validateEvery = steps;
        return this;
    }

    /** A learning-rate schedule over global steps; null (default) keeps the optimizer's rate. */
    public TrainingOptions schedule(LrSchedule schedule) {
        this.schedule = schedule;
        return this;
    }

    /** Clip gradients to this global L2 norm before each step; 0 (default) disables. */
    public TrainingOptions clipNorm(double clipNorm) {
        if (!(clipNorm >= 0)) {
            throw new IllegalArgumentException("clipNorm must be >= 0, got " + clipNorm);
        }
        this.clipNorm = clipNorm;
        return this;
    }

    /** Clamp gradient elements to ±this before each step; 0 (default) disables. */
    public TrainingOptions clipValue(double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipValue must be >= 0, got " + clipValue);
        }
        this.clipValue = clipValue;
        return this;
    }

    /** Where checkpoints go ({@code *.safetensors}); null (default) writes none. */
    public TrainingOptions checkpoint(Path file) {
        this.checkpoint = file;
        return this;
    }

    /** Checkpoint every this many steps; 0 (default) at the end of each epoch. Also on a clean stop. */
    public TrainingOptions checkpointEvery(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("checkpointEvery must be >= 0, got " + steps);
        }
        this.checkpointEvery = steps;
        return this;
    }

    /** The model's configuration, recorded in checkpoints so the launcher can rebuild it. */
    public TrainingOptions modelConfig(Map<String, Object> config) {
        this.modelConfig = new LinkedHashMap<>(config);
        return this;
    }

    /** @return epochs */
    public int epochs() {
        return epochs;
    }

    /** @return seed */
    public long seed() {
        return seed;
    }

    /** @return batch size */
    public int batchSize() {
        return batchSize;
    }

    /** @return steps per epoch for data-free objectives, 0 if unset */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** @return whether a short last batch is dropped */
    public boolean dropLast() {
        return dropLast;
    }

    /** @return whether epochs are shuffled */
    public boolean shuffle() {
        return shuffle;
    }

    /** @return the step limit, 0 for none */
    public long maxSteps() {
        return maxSteps;
    }

    /** @return validation cadence in steps, 0 for per epoch */
    public long validateEvery() {
        return validateEvery;
    }

    /** @return the schedule or null */
    public LrSchedule schedule() {
        return schedule;
    }

    /** @return the global-norm clip or 0 */
    public double clipNorm() {
        return clipNorm;
    }

    /** @return the value clip or 0 */
    public double clipValue() {
        return clipValue;
    }

    /** @return the checkpoint file or null */
    public Path checkpoint() {
        return checkpoint;
    }

    /** @return checkpoint cadence in steps, 0 for per epoch */
    public long checkpointEvery() {
        return checkpointEvery;
    }

    /** @return the model configuration recorded in checkpoints */
    public Map<String, Object> modelConfig() {
        return modelConfig;
    }
}
