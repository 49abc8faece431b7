/**
 * Loss functions in their numerically stable forms ({@link dev.nabla.models.loss.Losses}): mean squared
 * error, binary and categorical cross-entropy on logits, diagonal Gaussian log-likelihood and the
 * closed-form KL divergence between diagonal Gaussians, with PyTorch's
 * {@link dev.nabla.models.loss.Reduction}s. Density-model objectives ({@code -log p(x)}) live with the
 * trainers.
 */
package dev.nabla.models.loss;
