/**
 * The attention family ({@link dev.nabla.models.attention.AttentionFamily}, {@code "attention"}): encoder-decoders
 * with attention on the dates — a bidirectional GRU encoder and a {@link dev.nabla.models.attention.BahdanauDecoder}
 * ({@code seq2seq-bahdanau}) or a {@link dev.nabla.models.attention.LuongDecoder} with input feeding
 * ({@code seq2seq-luong}), soft or hard attention, greedy and beam-search decoding, evaluation by exact match
 * and by source length, and the alignment heatmap of {@code nabla sample --attention}. The attention
 * mechanisms themselves ({@link dev.nabla.models.nn.AdditiveAttention}, {@link dev.nabla.models.nn.LuongAttention},
 * {@link dev.nabla.models.nn.HardAttention}) are building blocks in {@code dev.nabla.models.nn}; the
 * Transformer and multi-head attention are not here.
 */
package dev.nabla.models.attention;
