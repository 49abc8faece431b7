/**
 * The recurrent model family ({@link dev.nabla.models.recurrent.RecurrentFamily}, {@code "recurrent"}): a
 * table of {@link dev.nabla.models.family.ModelSpec}s and {@link dev.nabla.models.family.DataSpec}s
 * that the {@code nabla} command reaches through {@link dev.nabla.models.family.ModelFamily}. The models
 * live in sub-packages: {@code lm} (character-level language models trained by truncated backpropagation
 * through time), {@code seq2seq} (encoder-decoders on the dates) and {@code tree} (tree networks on
 * arithmetic expressions). The cells and sequence layers they are made of live in {@code dev.nabla.models.nn}.
 */
package dev.nabla.models.recurrent;
