/**
 * Service providers and lookups: {@link dev.nabla.models.spi.ModelsLayerProvider} (layers by name from
 * configuration maps), {@link dev.nabla.models.spi.ModelsTrainerProvider} ({@code "mle"}, {@code "distill"},
 * {@code "objective"}), {@link dev.nabla.models.spi.Layers} and {@link dev.nabla.models.spi.Trainers}, which
 * build a layer or trainer through every provider on the module path, and
 * {@link dev.nabla.models.spi.ServiceComponents}, the {@link dev.nabla.models.family.Components} such
 * lookups give a model family built from code. Families never look services up themselves; this package does.
 */
package dev.nabla.models.spi;
