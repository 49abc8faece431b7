package dev.nabla.models.image;

import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.Samples;

import java.util.Optional;

/**
 * A model of images with a latent space it encodes to and decodes from (a VAE; a GAN with an encoder):
 * what the {@code nabla} command draws besides samples — reconstructions, latent interpolations and,
 * for a 2-D latent space, the codes of labelled images. A host reaches it with
 * {@code FamilyModel.unwrap(LatentImageModel.class)}, knowing no family. Every method runs without
 * recording gradients and returns pixels in {@code [0, 1]}.
 */
public interface LatentImageModel {
    /**
     * The first {@code n} images of {@code data} followed by their reconstructions (the decoder's mean at
     * the posterior mean): {@code 2n} images, drawn as two rows of {@code n}, originals above.
     */
    Samples.Images reconstructions(Dataset data, int n);

    /**
     * {@code rows} interpolations between the codes of consecutive pairs of images of {@code data}
     * (images {@code 2r} and {@code 2r + 1}), {@code steps} images each, decoded along the straight line
     * between the two posterior means ({@link Interpolation#linear}); drawn as {@code rows} rows of {@code steps}.
     */
    Samples.Images interpolations(Dataset data, int rows, int steps);

    /**
     * The posterior means of the first {@code n} labelled images of {@code data}, when the latent space
     * has two dimensions; empty otherwise.
     */
    Optional<LabelledPoints> latentCodes(Dataset data, int n);
}
