package dev.nabla.models.data;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;

/**
 * A {@link Dataset} over a row-major {@code float[]} of {@code size × itemShape} values, with optional
 * int labels. The array is not copied; do not modify it afterwards.
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
    public Shape itemShape() {
        return itemShape;
    }

    /** The examples' values, row-major (not a copy). */
    public float[] values() {
        return values;
    }

    @Override
    public Tensor batch(TensorFactory f, int[] indices) {
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
        return f.of(out, dims);
    }

    @Override
    public boolean hasLabels() {
        return labels != null;
    }

    @Override
    public Tensor labels(TensorFactory f, int[] indices) {
        if (labels == null) {
            return Dataset.super.labels(f, indices);
        }
        long[] out = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = labels[indices[i]];
        }
        return f.of(out, indices.length);
    }
}
