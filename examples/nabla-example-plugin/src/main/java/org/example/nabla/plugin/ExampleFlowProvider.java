package org.example.nabla.plugin;

import dev.nabla.api.flow.Flow;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.Config;
import dev.nabla.api.spi.FlowProvider;

import java.util.Set;

/**
 * Offers {@code sinh_arcsinh} ({@link SinhArcsinh}). Keys: {@code dim} (required) and {@code dtype}
 * (float32). {@code nabla train sinh_arcsinh --dataset moons} trains a stack of them over a standard
 * normal ({@code --set blocks=N}, default 4).
 */
public final class ExampleFlowProvider implements FlowProvider {
    /** The flow's name. */
    public static final String SINH_ARCSINH = "sinh_arcsinh";

    private static final Set<String> KEYS = Set.of("dim", "dtype");

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public ExampleFlowProvider() {
    }

    @Override
    public Set<String> names() {
        return Set.of(SINH_ARCSINH);
    }

    @Override
    public Flow create(String name, BuildContext context) {
        if (!SINH_ARCSINH.equals(name)) {
            throw new IllegalArgumentException("unknown flow '" + name + "'; this provider builds " + names());
        }
        Config k = Config.keys(name, context.config(), KEYS);
        return new SinhArcsinh(context.tensors(), k.requiredPositiveInt("dim"), k.floatDtypeOr("dtype", "float32"));
    }
}
