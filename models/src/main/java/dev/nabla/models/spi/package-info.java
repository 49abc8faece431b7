/**
 * Service providers: {@link dev.nabla.models.spi.ModelsLayerProvider} (layers by name from
 * configuration maps), {@link dev.nabla.models.spi.ModelsTrainerProvider} ({@code "mle"},
 * {@code "distill"}) and {@link dev.nabla.models.spi.Layers}, which builds a layer from a config map
 * through every {@code LayerProvider} on the module path.
 */
package dev.nabla.models.spi;
