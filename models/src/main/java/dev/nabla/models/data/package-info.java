/**
 * Data sets and typed batches. A {@link dev.nabla.models.data.Dataset} hands out
 * {@link dev.nabla.models.data.Batch}es: named tensors that keep their own dtypes (float32 points and
 * images, int64 tokens and labels, bool masks, int64 lengths). In here: in-memory
 * {@link dev.nabla.models.data.ArrayDataset}s, train/validation/test {@link dev.nabla.models.data.DataSplits},
 * seeded shuffling ({@link dev.nabla.models.data.Batches}), the seeded 2-D toy sets
 * ({@link dev.nabla.models.data.ToyDatasets}), Fashion-MNIST and its IDX reader, token data — a character
 * {@link dev.nabla.models.data.Vocabulary}, contiguous {@link dev.nabla.models.data.TokenStream}s cut into
 * windows a trainer can carry recurrent state across, padded {@link dev.nabla.models.data.SequencePairs}
 * for sequence-to-sequence — and the {@link dev.nabla.models.data.DataCatalog} of data sets every model
 * family may use by name.
 */
package dev.nabla.models.data;
