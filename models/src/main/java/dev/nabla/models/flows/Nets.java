package dev.nabla.models.flows;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.layers.Activation;
import dev.nabla.models.layers.Linear;
import dev.nabla.models.layers.Sequential;
import dev.nabla.models.nn.Init;

/** Small networks for conditioners, in a chosen dtype, initialised like PyTorch's {@code nn.Linear}. */
final class Nets {
    private Nets() {
    }

    /** A Linear {@code in → out} with PyTorch's default initialisation, in {@code dtype}. */
    static Linear linear(TensorFactory f, Generator g, int in, int out, DType dtype) {
        try (Scope ignored = Scope.open()) {
            return new Linear(f, Init.lecunUniform(f, g, in, in, out).to(dtype), Init.lecunUniform(f, g, in, out).to(dtype));
        }
    }

    /** {@code Linear → act → … → Linear}, children {@code 0, 1, 2, …} like {@code nn.Sequential}. */
    static Sequential mlp(TensorFactory f, Generator g, int[] sizes, String activation, DType dtype) {
        Activation.Kind kind = Activation.Kind.parse(activation);
        Sequential s = new Sequential();
        for (int i = 0; i + 1 < sizes.length; i++) {
            s.add(linear(f, g, sizes[i], sizes[i + 1], dtype));
            if (i + 2 < sizes.length) {
                s.add(new Activation(kind));
            }
        }
        return s;
    }

    /** {@code [in, hidden × layers, out]}. */
    static int[] sizes(int in, int hidden, int layers, int out) {
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
