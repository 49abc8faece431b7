package dev.nabla.models.family;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.data.Dataset;

import java.util.Map;
import java.util.Optional;

/**
 * A model built by a {@link ModelFamily}: what the host trains, checkpoints, samples from and
 * evaluates, without knowing the family. Close it to release its parameters.
 */
public interface FamilyModel extends AutoCloseable {
    /** The trainable parameters by stable dotted name. */
    Map<String, Tensor> parameters();

    /** Everything a checkpoint holds to restore the model (parameters and buffers). */
    Map<String, Tensor> state();

    /**
     * Restores {@link #state()} strictly.
     *
     * @throws IllegalArgumentException naming the first missing, unexpected or mismatched entry
     */
    void loadState(Map<String, Tensor> state);

    /** Switches to evaluation behaviour (batch norm's running statistics, no dropout). */
    void eval();

    /** The trainer {@code nabla train} uses when none is named ({@code "mle"} for flows). */
    String defaultTrainer();

    /**
     * The parts of the {@link dev.nabla.api.train.TrainingPlan} for trainer {@code request.trainer()}:
     * the model itself under the names that trainer reads (a family refuses a trainer it cannot serve,
     * naming the ones it can), plus, for trainers written against the api alone, whatever the family's
     * contract with them is (flows hand {@code parameters}, {@code logProb}, {@code trainData},
     * {@code validationData}). The host adds {@code listeners}, {@code modelConfig}, {@code tensors} and
     * {@code monitor}. Tensor-valued parts are the host's to release after training. The family may add
     * defaults to {@link TrainingRequest#settings()} (distillation's {@code stepsPerEpoch}).
     *
     * @throws IllegalArgumentException if the trainer needs something not given (a teacher run), naming it
     */
    Map<String, Object> trainingParts(TrainingRequest request);

    /** The label of the loss axis of {@code loss.png} for {@code trainer} ({@code "loss: negative log-likelihood (nats)"}). */
    String lossLabel(String trainer);

    /**
     * What {@code nabla eval} reports on {@code data}: the family's own measures (nats and nats/dim,
     * bits/char, accuracy, …), without recording gradients.
     *
     * @throws IllegalArgumentException if the data does not fit the model (naming both shapes)
     */
    Evaluation evaluate(Dataset data, int batchSize);

    /** What {@code nabla sample} shows: {@code n} samples drawn with {@code random}. */
    Samples sample(int n, Generator random);

    /**
     * The sampling options this model reads ({@code prompt}, {@code length}, {@code temperature},
     * {@code input}, {@code beam}, …, by name without dashes); {@code nabla sample} refuses any other by
     * name before calling {@link #sample(SampleRequest)}. None by default.
     */
    default java.util.Set<String> sampleOptions() {
        return java.util.Set.of();
    }

    /**
     * Samples as {@code nabla sample} asks for them, with its options ({@code --prompt}, {@code --input},
     * {@code --length}, …, only those of {@link #sampleOptions()}). By default {@link SampleRequest#count()}
     * samples drawn with {@link #sample(int, Generator)}.
     *
     * @param request the count, the generator and the options
     * @return the samples
     * @throws IllegalArgumentException naming a bad option value
     */
    default Samples sample(SampleRequest request) {
        return sample(request.count(), request.random());
    }

    /**
     * How many samples {@code nabla train} draws into a grid after each epoch ({@code samples-epoch-N.png},
     * the same noise every epoch) and, at the end, into a strip of the epochs ({@code progress.png}): what a
     * model of images whose samples change over training shows (a GAN's). 0 (the default): none.
     */
    default int epochSamples() {
        return 0;
    }

    /**
     * Points to draw over the data in {@code samples.png} ({@code nabla train}) and {@code sample --png}:
     * {@code n} model points and up to {@code n} points of {@code data}, both 2-D; empty when the model's
     * samples are not points in the plane.
     */
    Optional<Scatter> scatter(Dataset data, int n, Generator random);

    /**
     * The model's log-density over a {@code resolution × resolution} grid covering {@code data} (with a
     * margin), for {@code density.png}; empty (the default) when the model has no density or its points
     * are not in the plane. Computed without recording gradients.
     */
    default Optional<DensityGrid> densityGrid(Dataset data, int resolution) {
        return Optional.empty();
    }

    /**
     * This model as {@code type}, when it is one or holds one: how a host reaches a family's own
     * operations (a flow's density for {@code nabla serve}) without knowing the family. Empty by default
     * unless the model itself is a {@code type}.
     */
    default <T> Optional<T> unwrap(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /** Releases the parameters. */
    @Override
    void close();
}
