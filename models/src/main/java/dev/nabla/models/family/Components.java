package dev.nabla.models.family;

import dev.nabla.api.flow.Flow;
import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.nn.LayerFactory;

import java.util.Map;
import java.util.Set;

/**
 * The parts a host hands a {@link ModelFamily}: the layers and flows offered by every
 * {@link dev.nabla.api.spi.LayerProvider} and {@link dev.nabla.api.spi.FlowProvider} it found (plugins'
 * included), by name, and which module offers each. A family builds conditioners and stacks through
 * these instead of looking the providers up; {@code dev.nabla.models.spi.ServiceComponents} is one
 * made from {@link java.util.ServiceLoader}, the {@code nabla} command hands its own.
 */
public interface Components {
    /** The layer names offered. */
    Set<String> layerNames();

    /**
     * The layer {@code config} describes ({@code "type"} names it).
     *
     * @throws IllegalArgumentException for an unknown type (listing the known ones) or a bad setting
     */
    Layer layer(Map<String, ?> config, TensorFactory tensors, Generator random);

    /** The flow names offered. */
    Set<String> flowNames();

    /**
     * The flow {@code name} built from {@code config}.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones) or a bad setting
     */
    Flow flow(String name, Map<String, ?> config, TensorFactory tensors, Generator random);

    /** The module that offers flow {@code name} ({@code "dev.nabla.models"}, a plugin's), for listings. */
    String flowOrigin(String name);

    /** {@link #layer} as a {@link LayerFactory}. */
    default LayerFactory layers() {
        return this::layer;
    }
}
