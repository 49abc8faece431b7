/**
 * Base distributions for normalizing flows: {@link dev.nabla.models.distributions.Distribution}
 * ({@code log p(z)} and seeded sampling), the parameter-free
 * {@link dev.nabla.models.distributions.StandardNormal} and the (optionally learnable)
 * {@link dev.nabla.models.distributions.DiagonalGaussian}. The flows themselves and
 * {@code TransformedDistribution} live in {@code dev.nabla.models.flows}.
 */
package dev.nabla.models.distributions;
