/**
 * The {@link dev.nabla.api.nn.Layer} contract that models, plugins and the
 * {@link dev.nabla.api.spi.LayerProvider} SPI share. The layers themselves live in {@code dev.nabla.models}.
 */
package dev.nabla.api.nn;
