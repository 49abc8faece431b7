package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * An elementwise activation as a layer without parameters, so it can sit in a {@link Sequential}.
 *
 * <p>{@code relu(x) = max(x, 0)}, {@code leaky_relu(x) = x > 0 ? x : 0.01x}, {@code elu(x) = x > 0 ? x : e^x - 1},
 * {@code gelu(x) = x·Φ(x)}, {@code tanh}, {@code sigmoid(x) = 1/(1+e^-x)}, {@code softplus(x) = log(1+e^x)},
 * {@code identity(x) = x}.
 */
public final class Activation extends Block implements Layer {
    /** The activation functions available by name. */
    public enum Kind {
        /** {@code max(x, 0)}. */
        RELU(Tensor::relu),
        /** {@code x > 0 ? x : 0.01x}. */
        LEAKY_RELU(x -> x.leakyRelu(0.01)),
        /** {@code x > 0 ? x : e^x - 1}. */
        ELU(x -> x.elu(1.0)),
        /** {@code x·Φ(x)}, exact (erf) form. */
        GELU(Tensor::gelu),
        /** Hyperbolic tangent. */
        TANH(Tensor::tanh),
        /** Logistic sigmoid. */
        SIGMOID(Tensor::sigmoid),
        /** {@code log(1 + e^x)}, computed stably. */
        SOFTPLUS(Tensor::softplus),
        /** {@code x}. */
        IDENTITY(x -> x);

        private final UnaryOperator<Tensor> fn;

        Kind(UnaryOperator<Tensor> fn) {
            this.fn = fn;
        }

        /** Applies the function. */
        public Tensor apply(Tensor x) {
            return fn.apply(x);
        }

        /** The lower-case name used in configuration ({@code "leaky_relu"}). */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The kind named {@code name} (case-insensitive; {@code -} and {@code _} are the same).
         *
         * @throws IllegalArgumentException listing the valid names
         */
        public static Kind parse(String name) {
            String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Kind k : values()) {
                if (k.name().equals(n)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown activation '" + name + "'; valid: "
                    + Arrays.stream(values()).map(Kind::configName).toList());
        }
    }

    private final Kind kind;

    /** The activation {@code kind}. */
    public Activation(Kind kind) {
        this.kind = kind;
    }

    /** The activation named {@code name} ({@code "tanh"}, {@code "relu"}, …). */
    public static Activation of(String name) {
        return new Activation(Kind.parse(name));
    }

    /** Which function this is. */
    public Kind kind() {
        return kind;
    }

    @Override
    public Tensor forward(Tensor x) {
        return kind.apply(x);
    }

    @Override
    public String toString() {
        return kind.configName();
    }
}
