package org.example.nabla.plugin;

import dev.nabla.api.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The hidden activations {@link ResidualMlp} accepts, by the names the model library uses:
 * {@code relu(x) = max(x, 0)}, {@code leaky_relu(x) = x > 0 ? x : 0.01x}, {@code elu(x) = x > 0 ? x : e^x - 1},
 * {@code gelu(x) = x·Φ(x)}, {@code tanh}, {@code sigmoid(x) = 1/(1+e^-x)}, {@code softplus(x) = log(1+e^x)},
 * {@code identity(x) = x}.
 */
enum Activation {
    RELU(Tensor::relu),
    LEAKY_RELU(x -> x.leakyRelu(0.01)),
    ELU(x -> x.elu(1.0)),
    GELU(Tensor::gelu),
    TANH(Tensor::tanh),
    SIGMOID(Tensor::sigmoid),
    SOFTPLUS(Tensor::softplus),
    IDENTITY(x -> x);

    private final UnaryOperator<Tensor> fn;

    Activation(UnaryOperator<Tensor> fn) {
        this.fn = fn;
    }

    Tensor apply(Tensor x) {
        return fn.apply(x);
    }

    /** The lower-case configuration name, e.g. {@code leaky_relu}. */
    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The activation named {@code name} (any case; {@code -} and {@code _} alike).
     *
     * @throws IllegalArgumentException listing the valid names
     */
    static Activation parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Activation a : values()) {
            if (a.name().equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; valid: "
                + Arrays.stream(values()).map(Activation::configName).toList());
    }
}
