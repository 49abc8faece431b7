package dev.nabla.api.flow;

import dev.nabla.api.tensor.Tensor;

/**
 * What a flow step returns: the transformed value and the log-absolute-determinant of the Jacobian of
 * that transformation, per sample.
 *
 * @param value  the transformed batch, same shape as the input
 * @param logDet {@code log|det ∂value/∂input|}, shape {@code [batch]}
 */
public record FlowResult(Tensor value, Tensor logDet) {
}
