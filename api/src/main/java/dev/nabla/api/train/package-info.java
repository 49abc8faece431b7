/**
 * The training contract: {@link dev.nabla.api.train.Trainer}, the {@link dev.nabla.api.train.TrainingPlan}
 * it receives and the {@link dev.nabla.api.train.TrainingReport} it returns. Trainers themselves live in
 * {@code dev.nabla.models} and in plugins.
 */
package dev.nabla.api.train;
