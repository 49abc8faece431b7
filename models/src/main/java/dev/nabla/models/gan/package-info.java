/**
 * Generative adversarial networks: the game ({@link dev.nabla.models.gan.GanLoss}: the value function, the
 * discriminator's binary cross-entropy, the minimax and non-saturating generator losses), the networks
 * ({@link dev.nabla.models.gan.Gan}: {@link dev.nabla.models.gan.ToyGan} of MLPs, {@link dev.nabla.models.gan.DcGan},
 * {@link dev.nabla.models.gan.Sagan} with spectral norm, self-attention and the hinge loss),
 * training by two updates with two Adams ({@link dev.nabla.models.gan.GanModel}), the 2-D mixtures and their
 * mode coverage ({@link dev.nabla.models.gan.GanToys}, {@link dev.nabla.models.gan.ModeCoverage}), and the
 * family that offers them to the {@code nabla} command ({@link dev.nabla.models.gan.GanFamily}). Imports no
 * other family.
 */
package dev.nabla.models.gan;
