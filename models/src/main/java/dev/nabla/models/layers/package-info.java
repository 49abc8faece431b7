/**
 * Neural-network layers: {@link dev.nabla.models.layers.Linear}, activations as layers,
 * {@link dev.nabla.models.layers.Sequential} and {@link dev.nabla.models.layers.MLP}, normalisation,
 * dropout and embeddings. Each is a {@link dev.nabla.models.nn.Block} implementing
 * {@link dev.nabla.api.nn.Layer}.
 */
package dev.nabla.models.layers;
