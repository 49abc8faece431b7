/**
 * Few-shot classification as a model family ({@link dev.nabla.models.fewshot.FewShotFamily},
 * {@code "fewshot"}): SNAIL (Mishra et al., 2018; {@link dev.nabla.models.fewshot.Snail}) built from its
 * own blocks — the dense block of gated dilated causal convolutions
 * ({@link dev.nabla.models.fewshot.DenseBlock}), the temporal-convolution block
 * ({@link dev.nabla.models.fewshot.TcBlock}) and the causal attention block
 * ({@link dev.nabla.models.fewshot.AttentionBlock}) — over a small conv embedding
 * ({@link dev.nabla.models.fewshot.ConvEmbedding}); N-way K-shot episodes
 * ({@link dev.nabla.models.fewshot.Episodes}) of Fashion-MNIST with six training and four held-out
 * classes ({@link dev.nabla.models.fewshot.FewShotData}). The blocks are SNAIL's and live here; the
 * generic attention is {@link dev.nabla.models.nn.ScaledDotProductAttention}.
 */
package dev.nabla.models.fewshot;
