/**
 * Optimizers that update parameters in place from their gradients — {@link dev.nabla.models.optim.SGD}
 * (momentum, Nesterov), {@link dev.nabla.models.optim.Adam}, {@link dev.nabla.models.optim.AdamW},
 * {@link dev.nabla.models.optim.RMSProp} — through the backend's kernels on storages allocated when the
 * optimizer is built, so a step allocates nothing; {@link dev.nabla.models.optim.Optimizers} builds one
 * by name. Also learning-rate schedules ({@link dev.nabla.models.optim.LrSchedule}) and gradient
 * clipping ({@link dev.nabla.models.optim.GradClip}). Optimizer state is exported and restored by name
 * ({@code state()}, {@code loadState}) for checkpoints.
 */
package dev.nabla.models.optim;
