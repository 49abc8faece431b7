/**
 * The four service interfaces through which Nabla is extended, all found with
 * {@link java.util.ServiceLoader}: {@link dev.nabla.api.spi.BackendProvider} (compute backends),
 * {@link dev.nabla.api.spi.LayerProvider}, {@link dev.nabla.api.spi.FlowProvider} and
 * {@link dev.nabla.api.spi.TrainerProvider}; with {@link dev.nabla.api.spi.Backends}, which discovers
 * backends and selects one; {@link dev.nabla.api.spi.Config}, the typed, validated reader of the
 * configuration maps and settings the layer, flow and trainer factories receive (ours and plugins').
 *
 * <p>The kernel contract a backend implements is in {@code dev.nabla.api.backend}.
 */
package dev.nabla.api.spi;
