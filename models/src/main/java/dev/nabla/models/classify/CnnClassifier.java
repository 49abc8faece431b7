package dev.nabla.models.classify;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.nn.Activation;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Conv2d;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.Reshape;
import dev.nabla.models.nn.Sequential;

/**
 * A small convolutional classifier of {@code 28×28} grey images into {@code classes} classes:
 * <pre>
 *   x [N, 784] → [N, 1, 28, 28] → conv 3×3 (c) → ReLU → conv 3×3 stride 2 (2c) → ReLU   (14×14)
 *     → conv 3×3 stride 2 (2c) → ReLU (7×7) → flatten → linear (features) → ReLU = h   (the features)
 *     → linear (classes) = logits
 * </pre>
 * trained on the cross-entropy {@code −log softmax(logits)[y]}. The penultimate activations {@code h}
 * ({@link #features}) are what "FMNIST-FID" compares. Children {@code body} and {@code head}.
 */
public final class CnnClassifier extends Block {
    private final Sequential body;
    private final Linear head;
    private final int features;

    /** A classifier with {@code channels} in its first convolution and {@code features} penultimate units. */
    public CnnClassifier(TensorFactory f, Generator random, int channels, int features, int classes) {
        int c = channels;
        this.features = features;
        body = child("body", new Sequential(new Reshape(1, 28, 28),
                new Conv2d(f, random, 1, c, 3, 1, 1), Activation.of("relu"),
                new Conv2d(f, random, c, 2 * c, 3, 2, 1), Activation.of("relu"),
                new Conv2d(f, random, 2 * c, 2 * c, 3, 2, 1), Activation.of("relu"),
                new Reshape(2 * c * 7 * 7), new Linear(f, random, 2 * c * 7 * 7, features), Activation.of("relu")));
        head = child("head", new Linear(f, random, features, classes));
    }

    /** The penultimate features {@code h}, {@code [N, features]}, of images {@code x [N, 784]}. */
    public Tensor features(Tensor x) {
        return body.forward(x);
    }

    /** The class logits {@code [N, classes]}. */
    public Tensor logits(Tensor x) {
        return head.forward(features(x));
    }

    /** The number of penultimate features. */
    public int featureDim() {
        return features;
    }
}
