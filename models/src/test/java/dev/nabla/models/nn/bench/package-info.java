/**
 * Benchmarks of the recurrent building blocks run as plain {@code main}s from the test classes (never
 * as tests): {@link dev.nabla.models.nn.bench.CharLstmStepMain}, the char-LSTM training step against
 * PyTorch, run by {@code scripts/bench-lstm-vs-torch}.
 */
package dev.nabla.models.nn.bench;
