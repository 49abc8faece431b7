package dev.nabla.models.flows;

import dev.nabla.models.nn.Block;

/**
 * A container whose children are numbered {@code 0, 1, …}, like PyTorch's {@code nn.ModuleList}; it
 * gives stacks their names ({@code flows.3.net.0.weight}, {@code layers.1.mask}).
 */
final class ModuleList extends Block {
    private int next;

    /** Appends {@code child} under the next number and returns it. */
    <B extends Block> B append(B child) {
        return child(Integer.toString(next++), child);
    }
}
