/**
 * Recursive networks: arithmetic-expression trees ({@link dev.nabla.models.recurrent.tree.Expression},
 * their parser, and the seeded data set {@link dev.nabla.models.recurrent.tree.Expressions} with a test
 * split of deeper trees), the Tree-RNN and binary Tree-LSTM batched level by level
 * ({@link dev.nabla.models.recurrent.tree.TreeNetwork}), the sequential-LSTM baseline reading the
 * flattened text ({@link dev.nabla.models.recurrent.tree.SequenceLstm}), and the models {@code tree-rnn},
 * {@code tree-lstm} and {@code seq-lstm} as the {@code nabla} command runs them
 * ({@link dev.nabla.models.recurrent.tree.TreeModels}). The LSTM cell itself lives in {@code dev.nabla.models.nn}.
 */
package dev.nabla.models.recurrent.tree;
