package dev.nabla.models.data;

import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;

import java.util.Set;

/**
 * A finite, indexable set of examples held on the host, turned into a typed {@link Batch} one batch at
 * a time on whichever backend the caller's factory belongs to. Each example is a few named tensors
 * that keep their dtypes: the 2-D toy sets give {@value #X} (float32 points), Fashion-MNIST gives
 * {@value #X} and {@value #LABEL} (int64 class), token windows give {@code input} and {@code target}
 * (int64), sequence pairs give padded tokens, lengths and bool masks.
 */
public interface Dataset {
    /** The conventional name of the model input (points, images). */
    String X = "x";
    /** The conventional name of an int64 class label per example. */
    String LABEL = "label";

    /** Number of examples. */
    int size();

    /** The names of the tensors every batch holds, in order. */
    Set<String> names();

    /**
     * The shape of one example's tensor {@code name} (without the batch axis): {@code [2]} for 2-D points,
     * {@code [784]} for flattened images, {@code []} for a label; null when it varies from batch to batch
     * (sequences padded to the longest of the batch).
     *
     * @throws IllegalArgumentException if the data set has no tensor of that name
     */
    Shape exampleShape(String name);

    /**
     * The examples at {@code indices}, as a batch whose tensors have {@code indices.length} rows.
     *
     * @throws IndexOutOfBoundsException naming an index outside {@code [0, size())}
     */
    Batch batch(TensorFactory f, int[] indices);

    /** Every example, in order. */
    default Batch all(TensorFactory f) {
        return batch(f, Batches.sequential(size()));
    }

    /** The error for an unknown tensor name, listing the valid ones. */
    static IllegalArgumentException unknown(Dataset d, String name) {
        return new IllegalArgumentException(d.getClass().getSimpleName() + ": no tensor '" + name + "'; it has "
                + d.names());
    }
}
