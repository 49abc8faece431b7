package dev.nabla.api.spi;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import java.util.Map;
import java.util.Objects;

/**
 * What a layer, flow or trainer factory needs to build from configuration: where to allocate
 * parameters, the generator for initialisation, and the typed configuration map.
 *
 * @param tensors the factory of the backend to allocate on
 * @param random  the generator for initial values
 * @param config  settings by name (e.g. {@code in=2}, {@code out=64}, {@code activation="tanh"})
 */
public record BuildContext(TensorFactory tensors, Generator random, Map<String, Object> config) {
    /** Validates and copies the components. */
    public BuildContext {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(random, "random");
        config = Map.copyOf(config);
    }

    /**
     * A required integer setting.
     *
     * @throws IllegalArgumentException naming the key and the keys present when missing or not an integer
     */
    public int intValue(String key) {
        Object v = config.get(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("config '" + key + "' must be an integer, got "
                + (v == null ? "nothing" : "'" + v + "'") + "; keys: " + config.keySet());
    }

    /** An optional setting with a default. */
    @SuppressWarnings("unchecked")
    public <T> T value(String key, T defaultValue) {
        Object v = config.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (defaultValue != null && !defaultValue.getClass().isInstance(v)) {
            throw new IllegalArgumentException("config '" + key + "' must be a "
                    + defaultValue.getClass().getSimpleName() + ", got '" + v + "'");
        }
        return (T) v;
    }
}
