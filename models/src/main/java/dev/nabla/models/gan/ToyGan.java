package dev.nabla.models.gan;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.nn.MLP;

/**
 * The GAN of the 2-D toys: an MLP generator {@code z (latent) → hidden × layers → 2} and an MLP
 * discriminator {@code 2 → hidden × layers → 1}, both with ReLU, the generator's output linear. The data
 * space is the model's space.
 */
public final class ToyGan extends Gan {
    /**
     * @param latent size of {@code z}
     * @param hidden units of each hidden layer
     * @param layers hidden layers of each network
     */
    public ToyGan(TensorFactory f, Generator random, int latent, int hidden, int layers) {
        super(latent, new MLP(f, random, MLP.sizes(latent, hidden, layers, 2), "relu"),
                new MLP(f, random, MLP.sizes(2, hidden, layers, 1), "relu"));
    }

    @Override
    public Tensor toModel(Tensor data) {
        return data;
    }

    @Override
    public Tensor toData(Tensor generated) {
        return generated;
    }
}
