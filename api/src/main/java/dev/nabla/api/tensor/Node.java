package dev.nabla.api.tensor;

/**
 * One recorded operation in the autodiff graph: the op's name, its inputs, and its backward rule.
 * A tensor produced while gradients are wanted from inputs that want them points at its node.
 */
final class Node {
    final String op;
    final Tensor[] inputs;
    final Backward backward;

    Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
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
}
