/**
 * Training: the {@link dev.nabla.models.train.TrainingLoop} (epochs, seeded shuffling, validation,
 * NaN guard, checkpoints, exact resume), its {@link dev.nabla.models.train.Objective}s — maximum
 * likelihood and probability density distillation —, listeners (progress, metrics history, early
 * stopping) and the {@code "mle"} and {@code "distill"} {@link dev.nabla.api.train.Trainer}s built
 * from settings maps.
 */
package dev.nabla.models.train;
