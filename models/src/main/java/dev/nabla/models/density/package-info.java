/**
 * The contracts between density models and the code that trains or evaluates them:
 * {@link dev.nabla.models.density.DensityModel} ({@code log p(x)}),
 * {@link dev.nabla.models.density.SamplingModel} (samples that carry their log-probability) and
 * {@link dev.nabla.models.density.Sample}. Flows implement them; maximum-likelihood and distillation
 * trainers consume them.
 */
package dev.nabla.models.density;
