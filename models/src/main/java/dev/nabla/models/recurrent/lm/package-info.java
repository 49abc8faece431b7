/**
 * Character-level language models ({@code char-rnn}, {@code char-lstm}, {@code char-gru}) of the
 * recurrent family: the network ({@link dev.nabla.models.recurrent.lm.CharLanguageModel}), its training
 * by truncated backpropagation through time with the state carried across windows
 * ({@link dev.nabla.models.recurrent.lm.LanguageModelObjective}), evaluation in bits per character and
 * sampling ({@link dev.nabla.models.recurrent.lm.CharModel}), and the model and data table entries
 * ({@link dev.nabla.models.recurrent.lm.LanguageModels}).
 */
package dev.nabla.models.recurrent.lm;
