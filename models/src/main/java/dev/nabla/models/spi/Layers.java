package dev.nabla.models.spi;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.LayerProvider;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Builds layers from configuration maps through every {@link LayerProvider} on the module path
 * (this module's {@link ModelsLayerProvider} and any plugin's). A configuration is a map with a
 * {@code "type"} naming the layer and that layer's settings:
 * <pre>{@code
 * // given: TensorFactory tensors
 * Layer net = Layers.build(Map.of("type", "sequential", "layers", List.of(
 *         Map.of("type", "linear", "in", 2, "out", 64),
 *         Map.of("type", "tanh"),
 *         Map.of("type", "linear", "in", 64, "out", 1))), tensors, new Generator(42));
 * }</pre>
 */
public final class Layers {
    private Layers() {
    }

    /**
     * The layer a configuration describes.
     *
     * @throws IllegalArgumentException if {@code "type"} is missing or unknown (listing the known
     *                                  names) or the settings are wrong (naming the key)
     */
    public static Layer build(Map<String, ?> config, TensorFactory tensors, Generator random) {
        Object type = config.get("type");
        if (!(type instanceof String name)) {
            throw new IllegalArgumentException("layer config needs a string 'type'; got keys " + config.keySet());
        }
        Map<String, Object> rest = new LinkedHashMap<>(config);
        rest.remove("type");
        LayerProvider p = provider(name);
        return p.create(name, new BuildContext(tensors, random, rest));
    }

    /** Every layer name offered, sorted. */
    public static java.util.Set<String> names() {
        TreeSet<String> known = new TreeSet<>(new ModelsLayerProvider().names());
        for (LayerProvider p : ServiceLoader.load(LayerProvider.class, Layers.class.getClassLoader())) {
            known.addAll(p.names());
        }
        return known;
    }

    /** The provider that builds {@code name}; the first found wins, this module's first. */
    public static LayerProvider provider(String name) {
        ModelsLayerProvider own = new ModelsLayerProvider();
        if (own.names().contains(name)) {
            return own;
        }
        TreeSet<String> known = new TreeSet<>(own.names());
        for (LayerProvider p : ServiceLoader.load(LayerProvider.class, Layers.class.getClassLoader())) {
            if (p.names().contains(name)) {
                return p;
            }
            known.addAll(p.names());
        }
        throw new IllegalArgumentException("unknown layer type '" + name + "'; known: " + known);
    }
}
