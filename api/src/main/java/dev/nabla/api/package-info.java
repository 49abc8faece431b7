/**
 * Nabla's front door, {@link dev.nabla.api.Nabla}: the selected backend, tensor creation, scopes and
 * no-grad mode. Tensors themselves are in {@code dev.nabla.api.tensor}; value types in
 * {@code dev.nabla.api.types}; the backend contract in {@code dev.nabla.api.backend}; the SPIs in
 * {@code dev.nabla.api.spi}.
 */
package dev.nabla.api;
