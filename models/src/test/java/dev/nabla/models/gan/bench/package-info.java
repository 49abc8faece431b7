/** Mains of the GAN scripts: the DCGAN step benchmark and the FMNIST-FID of a file of samples. */
package dev.nabla.models.gan.bench;
