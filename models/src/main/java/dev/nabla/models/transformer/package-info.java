/**
 * The Transformer family ({@link dev.nabla.models.transformer.TransformerFamily}): the encoder-decoder
 * {@code transformer} on the date task ({@link dev.nabla.models.transformer.Translator},
 * {@link dev.nabla.models.transformer.TranslationModel}) and the decoder-only character language model
 * {@code transformer-lm} on Tiny Shakespeare ({@link dev.nabla.models.transformer.TransformerLm},
 * {@link dev.nabla.models.transformer.LanguageModel}), with their objectives and evaluation protocols.
 * The layers themselves (multi-head attention, encoder and decoder layers, positions, the key/value cache)
 * are building blocks in {@code dev.nabla.models.nn}; nothing here is imported by the core or by another family.
 */
package dev.nabla.models.transformer;
