/**
 * Training, knowing no model family: the {@link dev.nabla.models.train.TrainingLoop} (epochs, seeded
 * shuffling, validation, NaN guards, clipping, checkpoints, exact resume) driving a list of
 * {@link dev.nabla.models.train.Update}s — each a loss over its own parameter group with its own
 * optimizer, schedule and cadence, so a GAN's k:1 game and a single maximum-likelihood fit are the same
 * machine — over a {@link dev.nabla.models.train.Trainable} ({@link dev.nabla.models.train.BlockTrainable}
 * for a block on a data set, an {@link dev.nabla.models.train.Objective} for a single loss); losses that
 * report named parts ({@link dev.nabla.models.train.Loss}); listeners (progress, metrics history, early
 * stopping); and the settings-driven {@link dev.nabla.models.train.LoopTrainer}, with the generic
 * {@code "objective"} trainer ({@link dev.nabla.models.train.ObjectiveTrainer}).
 */
package dev.nabla.models.train;
