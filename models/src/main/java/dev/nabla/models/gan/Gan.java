package dev.nabla.models.gan;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Block;

/**
 * A generator {@code G: z ↦ x} and a discriminator {@code D: x ↦ logit} under one parent block, so one
 * state holds both ({@code generator.*}, {@code discriminator.*}). The generator works in the model's own
 * data space ({@link #toModel}: images in {@code [−1, 1]}), and {@link #toData} maps its output back
 * (images in {@code [0, 1]}). The discriminator must return one logit per example: {@link #discriminate}
 * refuses any other shape by name.
 */
public abstract class Gan extends Block {
    private final int latent;
    private final Layer generator;
    private final Layer discriminator;

    /**
     * @param latent        the size of {@code z}
     * @param generator     {@code [n, latent] → model space}
     * @param discriminator {@code model space → [n, 1]} logits
     */
    protected Gan(int latent, Layer generator, Layer discriminator) {
        this.latent = latent;
        this.generator = childLayer("generator", generator);
        this.discriminator = childLayer("discriminator", discriminator);
    }

    /** The size of {@code z}. */
    public int latent() {
        return latent;
    }

    /** The generator network. */
    public Layer generator() {
        return generator;
    }

    /** The discriminator network. */
    public Layer discriminator() {
        return discriminator;
    }

    /** The factory the parameters live on. */
    public TensorFactory tensors() {
        return namedParameters().values().iterator().next().factory();
    }

    /** {@code n} draws of {@code z ~ N(0, I)}, {@code [n, latent]}. */
    public Tensor noise(Generator random, int n) {
        return tensors().randn(random, n, latent);
    }

    /** {@code G(z)} in the model's space. */
    public Tensor generate(Tensor z) {
        return generator.forward(z);
    }

    /**
     * The discriminator's logits {@code [n, 1]} for {@code n} examples in the model's space.
     *
     * @throws ShapeException naming the shape when the discriminator returns anything but one logit per example
     */
    public Tensor discriminate(Tensor x) {
        Tensor out = discriminator.forward(x);
        int n = x.dim(0);
        if (out.rank() == 1 && out.dim(0) == n) {
            return out.reshape(n, 1);
        }
        if (out.rank() != 2 || out.dim(0) != n || out.dim(1) != 1) {
            throw new ShapeException("gan: the discriminator returned " + out.shape() + " for a batch of " + n
                    + " examples; it must return one logit per example, [" + n + ", 1]");
        }
        return out;
    }

    /** A batch of data (as the data set gives it, {@code [n, ...]}) in the model's space. */
    public abstract Tensor toModel(Tensor data);

    /** Generated examples in the data's space, flattened to {@code [n, d]}. */
    public abstract Tensor toData(Tensor generated);
}
