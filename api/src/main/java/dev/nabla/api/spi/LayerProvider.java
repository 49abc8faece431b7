package dev.nabla.api.spi;

import dev.nabla.api.nn.Layer;
import java.util.Set;

/**
 * Service interface for named layer factories ({@code "linear"}, {@code "lstm"}, …), found with
 * {@link java.util.ServiceLoader}, so models can be built from configuration maps and the CLI, and
 * plugins can add layers.
 */
public interface LayerProvider {
    /** The layer names this provider builds. */
    Set<String> names();

    /**
     * Builds the named layer.
     *
     * @throws IllegalArgumentException for an unknown name or bad configuration, naming what is wrong
     */
    Layer create(String name, BuildContext context);
}
