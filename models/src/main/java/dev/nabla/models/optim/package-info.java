/**
 * Optimizers that update parameters in place from their gradients
 * ({@link dev.nabla.models.optim.Optimizer}, {@link dev.nabla.models.optim.Adam}, …), learning-rate
 * schedules and gradient clipping.
 */
package dev.nabla.models.optim;
