package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;

/**
 * A multi-layer perceptron: {@code Linear → act → Linear → act → … → Linear}, with no activation after
 * the last layer. {@code MLP(f, g, [2, 64, 64, 1], "relu")} has two hidden layers of 64 and children
 * {@code 0, 2, 4} (the Linears) and {@code 1, 3} (the activations), as {@code nn.Sequential} would.
 * The Linears are initialised like PyTorch's {@code nn.Linear}, in the order of the layers.
 */
public class MLP extends Sequential {
    /**
     * A float32 MLP.
     *
     * @param sizes      layer widths, input first, output last; at least two
     * @param activation name of the hidden activation ({@link Activation.Kind#parse})
     */
    public MLP(TensorFactory f, Generator random, int[] sizes, String activation) {
        this(f, random, sizes, activation, DType.FLOAT32);
    }

    /**
     * An MLP whose parameters are in {@code dtype}.
     *
     * @param sizes      layer widths, input first, output last; at least two
     * @param activation name of the hidden activation ({@link Activation.Kind#parse})
     * @throws IllegalArgumentException for fewer than two sizes, a non-positive size, an unknown
     *                                  activation or a non-floating-point dtype
     */
    public MLP(TensorFactory f, Generator random, int[] sizes, String activation, DType dtype) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("MLP: needs at least input and output sizes, got " + sizes.length);
        }
        Activation.Kind kind = Activation.Kind.parse(activation);
        for (int i = 0; i + 1 < sizes.length; i++) {
            add(new Linear(f, random, sizes[i], sizes[i + 1], true, dtype));
            if (i + 2 < sizes.length) {
                add(new Activation(kind));
            }
        }
    }

    /**
     * The widths {@code [in, hidden × layers, out]} of an MLP with {@code layers} hidden layers.
     *
     * @throws IllegalArgumentException naming {@code hidden} and {@code layers} unless both are positive
     */
    public static int[] sizes(int in, int hidden, int layers, int out) {
        if (hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("hidden (" + hidden + ") and layers (" + layers + ") must be positive");
        }
        int[] s = new int[layers + 2];
        s[0] = in;
        for (int i = 1; i <= layers; i++) {
            s[i] = hidden;
        }
        s[layers + 1] = out;
        return s;
    }
}
