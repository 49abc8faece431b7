/**
 * Image tooling every image model uses, knowing no family: the latent-space view of a model
 * ({@link dev.nabla.models.image.LatentImageModel}: reconstructions, interpolations, 2-D codes as
 * {@link dev.nabla.models.image.LabelledPoints}), paths between codes
 * ({@link dev.nabla.models.image.Interpolation}), and the Fréchet distance between feature distributions
 * ({@link dev.nabla.models.image.FeatureStatistics}, {@link dev.nabla.models.image.FrechetDistance} —
 * its matrix square roots from EJML —, {@link dev.nabla.models.image.Fid} over a
 * {@link dev.nabla.models.image.FeatureExtractor}, such as the {@code fmnist-classifier}'s penultimate
 * layer for "FMNIST-FID"). Drawing PNGs is the host's ({@code nabla}'s report package); the families
 * implement these interfaces and hosts reach them through {@code FamilyModel.unwrap}.
 */
package dev.nabla.models.image;
