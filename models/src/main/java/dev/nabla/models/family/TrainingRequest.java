package dev.nabla.models.family;

import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.DataSplits;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What {@link FamilyModel#trainingParts} is given.
 *
 * @param trainer  the trainer's name
 * @param data     the data splits
 * @param tensors  the backend's factory
 * @param settings the trainer's settings, which the family may add defaults to (mutable)
 * @param runs     other trained runs by role ({@code "teacher"} for {@code --teacher RUN}): empty when
 *                 none was given for the role; the host loads (and later closes) them
 * @param out      where to say what the run does ("distilling maf (step 300, …) into iaf")
 */
public record TrainingRequest(String trainer, DataSplits data, TensorFactory tensors, Map<String, Object> settings,
                              Function<String, Optional<TrainedRun>> runs, Consumer<String> out) {
    /** The role of a run a model learns from ({@code --teacher}). */
    public static final String TEACHER = "teacher";
}
