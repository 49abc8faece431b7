/**
 * The contracts that models, plugins and the {@link dev.nabla.api.spi.LayerProvider} SPI share:
 * {@link dev.nabla.api.nn.Layer} (one tensor in, one out), {@link dev.nabla.api.nn.RecurrentCell} (one
 * step from an input and a typed state to the new state) and {@link dev.nabla.api.nn.Attention}
 * (query, key, value and mask to the output and the attention weights,
 * {@link dev.nabla.api.nn.AttentionResult}). The implementations live in {@code dev.nabla.models}.
 */
package dev.nabla.api.nn;
