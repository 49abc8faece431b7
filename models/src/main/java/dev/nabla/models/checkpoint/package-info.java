/**
 * Checkpoints: tensors in the safetensors format ({@link dev.nabla.models.checkpoint.SafeTensors}),
 * training state beside them ({@link dev.nabla.models.checkpoint.Checkpoint}), atomic replacement
 * ({@link dev.nabla.models.checkpoint.AtomicFiles}) and the small strict JSON reader and writer they
 * use ({@link dev.nabla.models.checkpoint.Json}). Hostile or damaged files are refused before any large
 * allocation.
 */
package dev.nabla.models.checkpoint;
