package dev.nabla.models.nn;

/**
 * A container whose children are numbered {@code 0, 1, …}, like PyTorch's {@code nn.ModuleList}; it
 * gives stacks their names ({@code flows.3.net.0.weight}, {@code layers.1.mask}). Unlike
 * {@link Sequential} it has no forward pass: its owner decides how the children are called.
 */
public final class ModuleList extends Block {
    private int next;

    /** An empty list. */
    public ModuleList() {
    }

    /** Appends {@code child} under the next number and returns it. */
    public <B extends Block> B append(B child) {
        return child(Integer.toString(next++), child);
    }

    /** The number of children appended. */
    public int size() {
        return next;
    }
}
