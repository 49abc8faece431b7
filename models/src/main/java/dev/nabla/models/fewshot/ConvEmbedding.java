package dev.nabla.models.fewshot;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.nn.Activation;
import dev.nabla.models.nn.BatchNorm;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Conv2d;
import dev.nabla.models.nn.Reshape;
import dev.nabla.models.nn.Sequential;

/**
 * The image embedding of SNAIL's few-shot classifier, the paper's Omniglot network scaled down to
 * {@code 28×28} grey images: four blocks of
 * <pre>
 *   conv 3×3, stride 2, padding 1 (c filters) → BatchNorm → leaky ReLU (slope 0.01)
 * </pre>
 * (the stride stands in for the paper's 2×2 max-pooling), {@code 28 → 14 → 7 → 4 → 2}, then flattened:
 * {@code x [N, 784] → e [N, 4c]}. Child {@code body}.
 */
public final class ConvEmbedding extends Block {
    private final Sequential body;
    private final int dim;

    /** An embedding with {@code channels} filters per convolution. */
    public ConvEmbedding(TensorFactory f, Generator random, int channels) {
        int c = channels;
        body = child("body", new Sequential(new Reshape(1, 28, 28),
                new Conv2d(f, random, 1, c, 3, 2, 1), new BatchNorm(f, c), Activation.of("leaky_relu"),
                new Conv2d(f, random, c, c, 3, 2, 1), new BatchNorm(f, c), Activation.of("leaky_relu"),
                new Conv2d(f, random, c, c, 3, 2, 1), new BatchNorm(f, c), Activation.of("leaky_relu"),
                new Conv2d(f, random, c, c, 3, 2, 1), new BatchNorm(f, c), Activation.of("leaky_relu"),
                new Reshape(4 * c)));
        dim = 4 * c;
    }

    /** The embeddings {@code [N, 4c]} of images {@code [N, 784]}. */
    public Tensor forward(Tensor x) {
        return body.forward(x);
    }

    /** The embedding size {@code 4c}. */
    public int dim() {
        return dim;
    }
}
