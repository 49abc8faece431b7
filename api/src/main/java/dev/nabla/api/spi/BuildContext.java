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
 * @param config  settings by name (e.g. {@code in=2}, {@code out=64}, {@code activation="tanh"}); read them
 *                with {@link Config#keys}, which checks the names and types and says what is wrong
 */
public record BuildContext(TensorFactory tensors, Generator random, Map<String, Object> config) {
    /** Validates and copies the components. */
    public BuildContext {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(random, "random");
        config = Map.copyOf(config);
    }
}
