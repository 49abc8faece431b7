package org.example.nabla.plugin;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.Config;
import dev.nabla.api.spi.LayerProvider;
import dev.nabla.models.nn.Activation;

import java.util.Set;

/**
 * Offers {@code residual_mlp} ({@link ResidualMlp}). Keys: {@code in} and {@code out} (required),
 * {@code hidden} (64), {@code layers} (2 hidden layers, so one residual block), {@code activation} (relu) and
 * {@code dtype} (float32) — the keys of the coupling-conditioner contract, so
 * {@code nabla train realnvp --set net=residual_mlp} uses it.
 */
public final class ExampleLayerProvider implements LayerProvider {
    /** The layer's name. */
    public static final String RESIDUAL_MLP = "residual_mlp";

    private static final Set<String> KEYS = Set.of("in", "out", "hidden", "layers", "activation", "dtype");

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public ExampleLayerProvider() {
    }

    @Override
    public Set<String> names() {
        return Set.of(RESIDUAL_MLP);
    }

    @Override
    public Layer create(String name, BuildContext context) {
        if (!RESIDUAL_MLP.equals(name)) {
            throw new IllegalArgumentException("unknown layer '" + name + "'; this provider builds " + names());
        }
        Config k = Config.keys(name, context.config(), KEYS);
        String activation = k.stringOr("activation", "relu");
        try {
            Activation.Kind.parse(activation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": key 'activation': " + e.getMessage(), e);
        }
        return new ResidualMlp(context.tensors(), context.random(), k.requiredPositiveInt("in"),
                k.requiredPositiveInt("out"), k.positiveIntOr("hidden", 64), k.positiveIntOr("layers", 2), activation,
                k.floatDtypeOr("dtype", "float32"));
    }
}
