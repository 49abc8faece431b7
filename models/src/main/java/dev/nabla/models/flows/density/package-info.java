/**
 * Densities, part of the flows family: the contracts between density models and what trains or
 * evaluates them — {@link dev.nabla.models.flows.density.DensityModel} ({@code log p(x)}),
 * {@link dev.nabla.models.flows.density.SamplingModel} (samples that carry their log-probability),
 * {@link dev.nabla.models.flows.density.Sample} —, the base distributions
 * ({@link dev.nabla.models.flows.density.StandardNormal}, {@link dev.nabla.models.flows.density.DiagonalGaussian}),
 * and how densities train: the objectives {@link dev.nabla.models.flows.density.MleObjective} (maximum
 * likelihood) and {@link dev.nabla.models.flows.density.DistillObjective} (probability density
 * distillation) and their trainers {@code "mle"} and {@code "distill"}, which run on the family-free
 * {@link dev.nabla.models.train.TrainingLoop}. The base distributions live here rather than among the
 * blocks because they are density models; another family that needs a Gaussian's log-density uses
 * {@link dev.nabla.models.loss.Losses}.
 */
package dev.nabla.models.flows.density;
