package dev.nabla.models.gan;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.nn.Activation;
import dev.nabla.models.nn.BatchNorm;
import dev.nabla.models.nn.Conv2d;
import dev.nabla.models.nn.ConvTranspose2d;
import dev.nabla.models.nn.Reshape;
import dev.nabla.models.nn.Sequential;

/**
 * DCGAN (Radford et al. 2016) for 28 × 28 grey images, {@code c} = {@code channels}:
 * <pre>
 *   G: z [n, latent] → [n, latent, 1, 1] → ConvT(latent → 4c, 7, s1, p0) → BN → ReLU      7 × 7
 *                    → ConvT(4c → 2c, 4, s2, p1) → BN → ReLU                               14 × 14
 *                    → ConvT(2c → 1, 4, s2, p1) → tanh                                     28 × 28
 *   D: x [n, 1, 28, 28] → Conv(1 → 2c, 4, s2, p1) → LeakyReLU(0.2)                          14 × 14
 *                       → Conv(2c → 4c, 4, s2, p1) → BN → LeakyReLU(0.2)                    7 × 7
 *                       → Conv(4c → 1, 7, s1, p0) → [n, 1]                                  logit
 * </pre>
 * Strided (transposed) convolutions instead of pooling, BatchNorm in both networks except the
 * generator's output and the discriminator's input, as the paper prescribes. The model's space is
 * {@code [−1, 1]}: data pixels {@code p ∈ [0, 1]} enter as {@code 2p − 1}, samples leave as {@code (x + 1)/2}.
 */
public final class DcGan extends Gan {
    /** The image side. */
    public static final int SIDE = 28;

    /**
     * @param latent   size of {@code z}
     * @param channels {@code c}
     */
    public DcGan(TensorFactory f, Generator random, int latent, int channels) {
        super(latent, generator(f, random, latent, channels), discriminator(f, random, channels));
    }

    private static Sequential generator(TensorFactory f, Generator random, int latent, int c) {
        return new Sequential(new Reshape(latent, 1, 1),
                new ConvTranspose2d(f, random, latent, 4 * c, 7, 1, 0, 0), new BatchNorm(f, 4 * c), Activation.of("relu"),
                new ConvTranspose2d(f, random, 4 * c, 2 * c, 4, 2, 1, 0), new BatchNorm(f, 2 * c), Activation.of("relu"),
                new ConvTranspose2d(f, random, 2 * c, 1, 4, 2, 1, 0), Activation.of("tanh"));
    }

    private static Sequential discriminator(TensorFactory f, Generator random, int c) {
        return new Sequential(new Conv2d(f, random, 1, 2 * c, 4, 2, 1), new LeakyRelu(0.2),
                new Conv2d(f, random, 2 * c, 4 * c, 4, 2, 1), new BatchNorm(f, 4 * c), new LeakyRelu(0.2),
                new Conv2d(f, random, 4 * c, 1, 7, 1, 0), new Reshape(1));
    }

    @Override
    public Tensor toModel(Tensor data) {
        return data.reshape(data.dim(0), 1, SIDE, SIDE).mul(2.0).sub(1.0);
    }

    @Override
    public Tensor toData(Tensor generated) {
        return generated.add(1.0).mul(0.5).reshape(generated.dim(0), SIDE * SIDE);
    }

    /** {@code x > 0 ? x : slope·x}, without parameters. */
    static final class LeakyRelu extends dev.nabla.models.nn.Block implements dev.nabla.api.nn.Layer {
        private final double slope;

        LeakyRelu(double slope) {
            this.slope = slope;
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.leakyRelu(slope);
        }

        @Override
        public String toString() {
            return "LeakyReLU(" + slope + ")";
        }
    }
}
