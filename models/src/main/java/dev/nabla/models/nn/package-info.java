/**
 * The foundations of the model library: {@link dev.nabla.models.nn.Block}, the tree of named parameters,
 * buffers and children every layer and flow is built on, and {@link dev.nabla.models.nn.Init}, the
 * weight initializers, and {@link dev.nabla.models.nn.Stochastic}, the blocks that draw random numbers
 * (their generators are saved in checkpoints). Concrete layers live in {@code dev.nabla.models.layers}, flows in
 * {@code dev.nabla.models.flows}.
 */
package dev.nabla.models.nn;
