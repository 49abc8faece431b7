/**
 * Checkpoints and run folders: tensors in the safetensors format
 * ({@link dev.nabla.models.checkpoint.SafeTensors}), training state beside them
 * ({@link dev.nabla.models.checkpoint.Checkpoint}), atomic replacement that respects the umask and
 * cleans up after killed writers ({@link dev.nabla.models.checkpoint.AtomicFiles}), one writer per run
 * folder ({@link dev.nabla.models.checkpoint.RunLock}), the small strict JSON reader and writer they
 * use ({@link dev.nabla.models.checkpoint.Json}), and the checks a reader makes before it trusts a file:
 * header-only inspection and size budgets ({@link dev.nabla.models.checkpoint.Checkpoint#inspect},
 * {@link dev.nabla.models.checkpoint.SizeBudget}) and finite values
 * ({@link dev.nabla.models.checkpoint.TensorChecks}). Hostile or damaged files are refused with a
 * {@link dev.nabla.api.types.NablaException}, in bounded time and memory, before any large allocation.
 */
package dev.nabla.models.checkpoint;
