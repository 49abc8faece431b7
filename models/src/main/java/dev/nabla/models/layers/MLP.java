package dev.nabla.models.layers;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;

/**
 * A multi-layer perceptron: {@code Linear → act → Linear → act → … → Linear}, with no activation after
 * the last layer. {@code MLP(f, g, [2, 64, 64, 1], "relu")} has two hidden layers of 64 and children
 * {@code 0, 2, 4} (the Linears) and {@code 1, 3} (the activations), as {@code nn.Sequential} would.
 */
public class MLP extends Sequential {
    /**
     * @param sizes      layer widths, input first, output last; at least two
     * @param activation name of the hidden activation ({@link Activation.Kind#parse})
     */
    public MLP(TensorFactory f, Generator random, int[] sizes, String activation) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("MLP: needs at least input and output sizes, got " + sizes.length);
        }
        Activation.Kind kind = Activation.Kind.parse(activation);
        for (int i = 0; i + 1 < sizes.length; i++) {
            add(new Linear(f, random, sizes[i], sizes[i + 1]));
            if (i + 2 < sizes.length) {
                add(new Activation(kind));
            }
        }
    }
}
