/**
 * Data sets: the {@link dev.nabla.models.data.Dataset} contract, in-memory
 * {@link dev.nabla.models.data.ArrayDataset}s, train/validation/test
 * {@link dev.nabla.models.data.DataSplits}, the seeded 2-D toy sets generated on the fly and a reader
 * for gzipped IDX files (Fashion-MNIST).
 */
package dev.nabla.models.data;
