/**
 * Memory-augmented networks as a model family ({@link dev.nabla.models.memory.MemoryFamily}, {@code "memory"}):
 * the Neural Turing Machine with its addressing ({@link dev.nabla.models.memory.Addressing}: content,
 * interpolation, circular shift, sharpening; read; erase-then-add write) and machine
 * ({@link dev.nabla.models.memory.NeuralTuringMachine}), the LSTM baseline
 * ({@link dev.nabla.models.memory.CopyLstm}), the copy task ({@link dev.nabla.models.memory.CopyTask}) and the
 * models as the {@code nabla} command sees them ({@link dev.nabla.models.memory.CopyModel}: Bernoulli loss,
 * bit errors per sequence, pictures of the weightings). General attention blocks live in
 * {@code dev.nabla.models.nn}, not here.
 */
package dev.nabla.models.memory;
