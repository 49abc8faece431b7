package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;

import java.util.Map;

/**
 * Builds a layer from a configuration map whose {@code "type"} names the layer and whose other keys are
 * its settings ({@code {type: "mlp", sizes: [2, 64, 2]}}). Families and flows are handed one, so they
 * never look services up themselves; {@code dev.nabla.models.spi.Layers::build} is the one that asks
 * every {@link dev.nabla.api.spi.LayerProvider} on the module path, and the {@code nabla} command hands
 * families its own.
 */
@FunctionalInterface
public interface LayerFactory {
    /**
     * The layer {@code config} describes, with parameters on {@code tensors} drawn from {@code random}.
     *
     * @throws IllegalArgumentException for a missing or unknown {@code "type"} (listing the known ones) or
     *                                  a bad setting (naming the key)
     */
    Layer build(Map<String, ?> config, TensorFactory tensors, Generator random);
}
