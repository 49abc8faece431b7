/**
 * The foundations of the model library: {@link dev.nabla.models.nn.Block}, the tree of named parameters,
 * buffers and children every layer and flow is built on, and {@link dev.nabla.models.nn.Init}, the
 * weight initializers, and {@link dev.nabla.models.nn.Stochastic}, the blocks that draw random numbers
 * (their generators are saved in checkpoints). Also the first implementations of the recurrent and
 * attention contracts of {@code dev.nabla.api.nn}: {@link dev.nabla.models.nn.RNNCell} (the vanilla
 * tanh/relu cell, PyTorch's names and layouts) and {@link dev.nabla.models.nn.ScaledDotProductAttention}.
 * Concrete layers live in {@code dev.nabla.models.layers}, flows in
 * {@code dev.nabla.models.flows}.
 */
package dev.nabla.models.nn;
