package dev.nabla.api.tensor;

import dev.nabla.api.backend.FusedKernel;
import dev.nabla.api.types.DType;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One fused operation of the tensor layer, described so that it can be checked: the kind of
 * {@link FusedKernel} it runs on, and examples that apply it both through that kernel and as the
 * composition of primitives the tensor layer falls back to. The conformance kit runs every example of
 * every kind a backend offers and requires the two to agree, in values and, for a differentiable op, in
 * gradients. The catalog is {@link FusedOps}.
 *
 * @param kind           the kernel interface, e.g. {@code LogSoftmaxKernel.class}
 * @param name           the op as users call it, e.g. {@code "logSoftmax"}
 * @param examples       the checked applications, each with its inputs
 * @param differentiable whether the outputs carry gradients (an optimizer's update does not)
 */
public record FusedOp(Class<? extends FusedKernel> kind, String name, List<Example> examples,
                      boolean differentiable) {
    /** Validates and copies the components. */
    public FusedOp {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        examples = List.copyOf(examples);
    }

    /** A differentiable fused op: the conformance kit also compares the gradients of the two forms. */
    public FusedOp(Class<? extends FusedKernel> kind, String name, List<Example> examples) {
        this(kind, name, examples, true);
    }

    /** Makes the inputs of an example: floating ones in the given dtype, others (masks, indices) as they need. */
    @FunctionalInterface
    public interface Inputs {
        /**
         * The inputs, drawn from {@code random}.
         *
         * @param factory where to create them (the backend under test)
         * @param dtype   the floating dtype of the run (float32 or float64)
         * @param random  the generator to draw values from
         * @return the inputs, in the order {@code fused} and {@code composed} take them
         */
        List<Tensor> make(TensorFactory factory, DType dtype, Generator random);
    }

    /**
     * One application of the op.
     *
     * @param label    what is applied, e.g. {@code "[3, 5] axis 1"}
     * @param inputs   how to make the inputs
     * @param fused    the op through the backend's fused kernel (fails if the backend has none)
     * @param composed the op composed from primitive kernels, as the tensor layer computes it without
     *                 the fused kernel
     */
    public record Example(String label, Inputs inputs, Function<List<Tensor>, List<Tensor>> fused,
                          Function<List<Tensor>, List<Tensor>> composed) {
        /** Validates the components. */
        public Example {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(inputs, "inputs");
            Objects.requireNonNull(fused, "fused");
            Objects.requireNonNull(composed, "composed");
        }
    }
}
