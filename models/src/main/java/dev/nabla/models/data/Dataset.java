package dev.nabla.models.data;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;

/**
 * A finite, indexable set of examples held on the host, turned into tensors one batch at a time on
 * whichever backend the caller's factory belongs to. Optionally labelled (class indices).
 */
public interface Dataset {
    /** Number of examples. */
    int size();

    /** The shape of one example ({@code [2]} for 2-D points, {@code [784]} or {@code [28, 28]} for images). */
    Shape itemShape();

    /** The examples at {@code indices}, stacked: {@code [indices.length, ...itemShape]}, float32. */
    Tensor batch(TensorFactory f, int[] indices);

    /** True if the examples carry class labels. */
    default boolean hasLabels() {
        return false;
    }

    /**
     * The labels at {@code indices} as int64 {@code [indices.length]}.
     *
     * @throws UnsupportedOperationException if the set has no labels
     */
    default Tensor labels(TensorFactory f, int[] indices) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no labels");
    }

    /** Every example, in order. */
    default Tensor all(TensorFactory f) {
        int[] idx = new int[size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return batch(f, idx);
    }
}
