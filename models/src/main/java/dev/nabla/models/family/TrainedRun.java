package dev.nabla.models.family;

import java.nio.file.Path;

/**
 * A model rebuilt from another run's checkpoint, such as the teacher a student is distilled from.
 *
 * @param model the model's name
 * @param step  the training step of the checkpoint
 * @param file  the checkpoint file
 * @param built the model, with the checkpoint's state, in evaluation mode
 */
public record TrainedRun(String model, long step, Path file, FamilyModel built) {
}
