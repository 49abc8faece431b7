/**
 * Variational autoencoders as a model family ({@link dev.nabla.models.vae.VaeFamily}, model {@code vae}):
 * the encoder's Gaussian posterior and its closed-form KL ({@link dev.nabla.models.vae.Posterior}), the
 * observation models ({@link dev.nabla.models.vae.Decoder}), the MLP and convolutional autoencoder with its
 * ELBO and importance-weighted bound ({@link dev.nabla.models.vae.VariationalAutoencoder}), the training
 * objective with {@code β} and KL warm-up ({@link dev.nabla.models.vae.ElboObjective}), the seeded fixed
 * binarisation of Fashion-MNIST ({@link dev.nabla.models.vae.Binarization}) and the model as the
 * {@code nabla} command sees it ({@link dev.nabla.models.vae.VaeModel}). The image tooling it offers
 * (reconstructions, interpolations, latent codes) is the family-neutral {@code dev.nabla.models.image}.
 */
package dev.nabla.models.vae;
