package dev.nabla.api.backend;

import dev.nabla.api.types.Shape;

/**
 * Fused, numerically stable log-softmax along one axis, with its backward.
 *
 * <pre>
 *   y_i = x_i - max_j x_j - log( sum_j exp(x_j - max_j x_j) )
 *   dx_i = dy_i - exp(y_i) * sum_j dy_j
 * </pre>
 *
 * Floating dtypes only. Without it the tensor layer composes the same from max, sub, exp, sum and log.
 */
public interface LogSoftmaxKernel extends FusedKernel {
    /** Writes log-softmax of {@code x} (logical shape {@code shape}) along {@code axis} into {@code out}. */
    void logSoftmax(Storage x, Shape shape, int axis, Storage out);

    /**
     * Writes the gradient with respect to the input into {@code gradIn}, given the forward output
     * {@code y} and the gradient {@code gradOut} of the output, all of logical shape {@code shape}.
     */
    void logSoftmaxBackward(Storage gradOut, Storage y, Shape shape, int axis, Storage gradIn);
}
