package dev.nabla.models.vae;

import dev.nabla.api.types.DType;

/**
 * The shape of a {@link VariationalAutoencoder} and its objective's settings, as {@code --set} keys give them.
 *
 * @param latent   {@code latent}: the size of {@code z} (default 20)
 * @param hidden   {@code hidden}: units of each hidden layer (default 512)
 * @param layers   {@code layers}: hidden layers of the MLP encoder and decoder (default 2)
 * @param conv     {@code conv}: the convolutional shape instead of the MLP (default false)
 * @param channels {@code channels}: channels of the first convolution (default 32)
 * @param decoder  {@code decoder}: the observation model (default {@code bernoulli})
 * @param sigma    {@code sigma}: the fixed standard deviation of the Gaussian decoder (default 0.1)
 * @param beta     {@code beta}: the KL weight {@code β} of the training loss (default 1)
 * @param warmup   {@code warmup}: steps over which the KL weight rises linearly from 0 to {@code β} (default 0: none)
 * @param dtype    {@code dtype}: the parameters' type (float32; float64 for the MLP only)
 */
public record VaeConfig(int latent, int hidden, int layers, boolean conv, int channels, Decoder decoder, double sigma,
                        double beta, long warmup, DType dtype) {
    /** The defaults: the MLP VAE 784-512-512, latent 20, Bernoulli. */
    public static VaeConfig defaults() {
        return new VaeConfig(20, 512, 2, false, 32, Decoder.BERNOULLI, 0.1, 1.0, 0, DType.FLOAT32);
    }

    /** This configuration in {@code d} (float64 for gradient checks). */
    public VaeConfig withDtype(DType d) {
        return new VaeConfig(latent, hidden, layers, conv, channels, decoder, sigma, beta, warmup, d);
    }
}
