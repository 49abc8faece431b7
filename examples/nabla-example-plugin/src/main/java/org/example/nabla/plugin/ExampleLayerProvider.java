package org.example.nabla.plugin;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.LayerProvider;

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
        Keys k = Keys.check(name, "key", context.config(), KEYS);
        String activation = k.name("activation", "relu");
        try {
            Activation.parse(activation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": key 'activation': " + e.getMessage(), e);
        }
        return new ResidualMlp(context.tensors(), context.random(), k.requiredPositiveInt("in"),
                k.requiredPositiveInt("out"), k.intAtLeast("hidden", 1, 64), k.intAtLeast("layers", 1, 2), activation,
                k.floatDType("dtype"));
    }
}
