package dev.nabla.models.flows.density;

import dev.nabla.models.train.Objective;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.Batches;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Stochastic;

import java.util.Map;

/**
 * The plumbing an {@link Objective} over one trained model needs, shared by {@link MleObjective} (the
 * model) and {@link DistillObjective} (the student): its parameters, checkpoint state, random sources
 * and train/eval switch (through {@link Block} when it is one), and the chunked, float64 validation mean.
 */
abstract class ModelObjective implements Objective {
    private final DensityModel trained;
    private final TensorFactory f;

    /**
     * @param owner the objective's name in messages ("mle")
     * @param role  what the trained model is called in messages ("model", "student")
     */
    ModelObjective(String owner, String role, DensityModel trained) {
        if (trained.namedParameters().isEmpty()) {
            throw new IllegalArgumentException(owner + ": the " + role + " has no parameters to train");
        }
        this.trained = trained;
        this.f = trained.namedParameters().values().iterator().next().factory();
    }

    /** Per-row values {@code [to - from]} for the rows {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    interface Rows {
        Tensor values(int from, int to);
    }

    /**
     * The mean of {@code rows} over {@code total} rows, evaluated {@code batchSize} rows at a time, each
     * chunk in its own {@link Scope} and summed in float64.
     */
    static double chunkedMean(int total, int batchSize, Rows rows) {
        double sum = 0;
        for (int b = 0; b < Batches.count(total, batchSize, false); b++) {
            int from = b * batchSize;
            try (Scope s = Scope.open()) {
                sum += rows.values(from, Math.min(total, from + batchSize)).to(DType.FLOAT64).sum().item();
            }
        }
        return sum / total;
    }

    @Override
    public final Map<String, Tensor> parameters() {
        return trained.namedParameters();
    }

    @Override
    public final Map<String, Tensor> state() {
        return trained instanceof Block b ? b.state() : trained.namedParameters();
    }

    @Override
    public final void loadState(Map<String, Tensor> values) {
        if (trained instanceof Block b) {
            b.loadState(values);
        } else {
            Objective.super.loadState(values);
        }
    }

    @Override
    public final Map<String, Stochastic> randomSources() {
        return trained instanceof Block b ? Stochastic.find(b) : Map.of();
    }

    @Override
    public final void train(boolean training) {
        if (trained instanceof Block b) {
            b.train(training);
        }
    }

    @Override
    public final TensorFactory tensors() {
        return f;
    }
}
