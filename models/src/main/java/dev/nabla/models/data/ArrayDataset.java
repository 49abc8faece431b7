package dev.nabla.models.data;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Dataset} over a row-major {@code float[]} of {@code size × itemShape} values ({@value Dataset#X},
 * float32) with optional int labels ({@value Dataset#LABEL}, int64). The arrays are not copied; do
 * not modify them afterwards.
 */
public final class ArrayDataset implements Dataset {
    private final float[] values;
    private final Shape itemShape;
    private final int itemSize;
    private final int size;
    private final int[] labels;

    /**
     * @param values    row-major examples
     * @param itemShape the shape of one example
     * @param labels    one label per example, or null
     * @throws IllegalArgumentException if the lengths do not agree
     */
    public ArrayDataset(float[] values, Shape itemShape, int[] labels) {
        long item = itemShape.size();
        if (item < 1 || values.length % item != 0) {
            throw new IllegalArgumentException("ArrayDataset: " + values.length + " values are not a whole number of "
                    + itemShape + " examples");
        }
        this.values = values;
        this.itemShape = itemShape;
        this.itemSize = (int) item;
        this.size = (int) (values.length / item);
        if (labels != null && labels.length != size) {
            throw new IllegalArgumentException("ArrayDataset: " + labels.length + " labels for " + size + " examples");
        }
        this.labels = labels;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<String> names() {
        return labels == null ? Set.of(X) : new java.util.LinkedHashSet<>(java.util.List.of(X, LABEL));
    }

    @Override
    public Shape exampleShape(String name) {
        if (X.equals(name)) {
            return itemShape;
        }
        if (LABEL.equals(name) && labels != null) {
            return Shape.of();
        }
        throw Dataset.unknown(this, name);
    }

    /** The shape of one example of {@value Dataset#X}. */
    public Shape itemShape() {
        return itemShape;
    }

    /** The examples' values, row-major (not a copy). */
    public float[] values() {
        return values;
    }

    /** The labels (not a copy), or null when the examples carry none. */
    public int[] labels() {
        return labels;
    }

    /** True if the examples carry labels. */
    public boolean hasLabels() {
        return labels != null;
    }

    @Override
    public Batch batch(TensorFactory f, int[] indices) {
        float[] out = new float[indices.length * itemSize];
        for (int i = 0; i < indices.length; i++) {
            int k = indices[i];
            if (k < 0 || k >= size) {
                throw new IndexOutOfBoundsException("ArrayDataset: index " + k + " outside [0, " + size + ")");
            }
            System.arraycopy(values, k * itemSize, out, i * itemSize, itemSize);
        }
        int[] dims = new int[itemShape.rank() + 1];
        dims[0] = indices.length;
        System.arraycopy(itemShape.dims(), 0, dims, 1, itemShape.rank());
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(X, f.of(out, dims));
        if (labels != null) {
            long[] l = new long[indices.length];
            for (int i = 0; i < indices.length; i++) {
                l[i] = labels[indices[i]];
            }
            m.put(LABEL, f.of(l, indices.length));
        }
        return Batch.of(m, indices);
    }
}
