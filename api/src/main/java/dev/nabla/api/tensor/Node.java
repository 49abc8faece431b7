package dev.nabla.api.tensor;

/**
 * One recorded operation in the autodiff graph: the op's name, its inputs, and its backward rule.
 * A tensor produced while gradients are wanted from inputs that want them points at its node.
 *
 * <p>An op with several outputs ({@code split}, an LSTM step's {@code (h', c')}) records one node that
 * all of its outputs point at: {@link #outputs} lists them and {@link #multi} takes all their gradients
 * at once, so the engine runs the op's backward once, after every use of every output — not once per
 * output with a full-size gradient each.
 */
final class Node {
    final String op;
    final Tensor[] inputs;
    final Backward backward;
    /** Every output of a multi-output op (this node is theirs), or null for a single output. */
    final Tensor[] outputs;
    /** The backward rule of a multi-output op, or null. */
    final MultiBackward multi;

    Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
        this.outputs = null;
        this.multi = null;
    }

    Node(String op, Tensor[] inputs, Tensor[] outputs, MultiBackward multi) {
        this.op = op;
        this.inputs = inputs;
        this.backward = null;
        this.outputs = outputs;
        this.multi = multi;
    }

    /**
     * A backward rule: given the gradient of the op's output, the gradients of its inputs (same order;
     * an entry may be null for an input that gets none, e.g. an integer index). Written in terms of
     * tensor ops so that, recorded, it can itself be differentiated. A returned gradient may have a
     * broadcast shape; the engine sums it down to the input's shape.
     */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    /**
     * The backward rule of an op with several outputs: given the gradient of each output (null for an
     * output no gradient reached; at least one is not null), the gradients of its inputs, as for
     * {@link Backward}.
     */
    @FunctionalInterface
    interface MultiBackward {
        Tensor[] apply(Tensor[] gradOutputs);
    }
}
