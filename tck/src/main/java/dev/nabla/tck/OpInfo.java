package dev.nabla.tck;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import java.util.List;
import java.util.function.Function;

/**
 * One row of the op table: an op of the public API, the dtypes it is checked in, whether it is
 * differentiable, and its samples. Adding an op to the tck is adding a row (see {@link OpTable}).
 *
 * @param name           the op, as in the API ({@code "softmax"}, {@code "add(int)"})
 * @param dtypes         the dtypes the samples run in; an input with no fixed dtype takes it
 * @param differentiable whether gradient checks are generated from the samples
 * @param secondOrder    whether second-order checks are too (false where samples sit on a kink of the
 *                       gradient on purpose, e.g. ties of max, where only the first order is defined)
 * @param slack          extra absolute tolerance, in units of the dtype's relative tolerance, for ops
 *                       that sum many terms (reductions, products, convolutions)
 * @param samples        the sample inputs, each with how to apply the op and its reference
 */
record OpInfo(String name, List<DType> dtypes, boolean differentiable, boolean secondOrder, double slack, List<Sample> samples) {

    /** What an op is applied with: the factory of the backend under test and the run dtype. */
    record Env(TensorFactory factory, DType dtype) {
    }

    /** Applies the op under test to tensors through the public API. */
    @FunctionalInterface
    interface Apply {
        Tensor apply(Env env, List<Tensor> inputs);
    }

    /**
     * One sample input of an op.
     *
     * @param value host values (already drawn; deterministic)
     * @param fixed the tensor's dtype, or null for the run dtype (rounded to float32 when that is it)
     */
    record Input(Nd value, DType fixed) {
        boolean isMain() {
            return fixed == null;
        }
    }

    /**
     * A sample: inputs, the op applied to them through the API, and the independent reference.
     *
     * @param label     shapes and arguments, shown in the test name
     * @param inputs    the operands
     * @param apply     the op through the API
     * @param reference the float64 expectation, from plain loops (its dtype null means the run dtype)
     * @param gradCheck whether a finite-difference gradient check runs on this sample
     */
    record Sample(String label, List<Input> inputs, Apply apply, Function<List<Nd>, Nd> reference,
                  boolean gradCheck) {
    }
}
