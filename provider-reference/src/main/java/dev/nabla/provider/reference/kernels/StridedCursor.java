package dev.nabla.provider.reference.kernels;

import dev.nabla.api.types.Shape;

/**
 * An index odometer: walks every index of a shape in row-major order (last axis fastest) and keeps,
 * for each of several operands, the linear offset {@code base + Σ_d i_d · strides[d]}.
 *
 * <p>Typical use, for a shape of {@code n} elements:
 * <pre>{@code
 * StridedCursor c = new StridedCursor(dims, new long[] {0, 0}, aStrides, bStrides);
 * for (int i = 0; i < n; i++) { use(c.at(0), c.at(1)); c.advance(); }
 * }</pre>
 * Strides may be 0 (broadcast) or negative. A rank-0 shape has one index and {@link #advance()} does
 * nothing.
 */
final class StridedCursor {
    private final int[] dims;
    private final long[][] strides;
    private final int[] index;
    private final long[] offsets;

    /**
     * A cursor at index {@code 0, …, 0}.
     *
     * @param dims    the shape walked
     * @param bases   the offset of each operand at index zero
     * @param strides per operand, its stride along every axis of {@code dims}
     */
    StridedCursor(int[] dims, long[] bases, long[]... strides) {
        this.dims = dims;
        this.strides = strides;
        this.index = new int[dims.length];
        this.offsets = bases.clone();
    }

    /** A cursor whose operands all start at offset 0. */
    static StridedCursor over(int[] dims, long[]... strides) {
        return new StridedCursor(dims, new long[strides.length], strides);
    }

    /** The current offset of operand {@code k}, as an array index. */
    int at(int k) {
        return (int) offsets[k];
    }

    /** Moves to the next index in row-major order; past the last index the cursor wraps to zero. */
    void advance() {
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            index[axis]++;
            for (int k = 0; k < offsets.length; k++) {
                offsets[k] += strides[k][axis];
            }
            if (index[axis] < dims[axis]) {
                return;
            }
            index[axis] = 0;
            for (int k = 0; k < offsets.length; k++) {
                offsets[k] -= strides[k][axis] * dims[axis];
            }
        }
    }

    /** Row-major strides of {@code shape}, with 0 on the axes where it is broadcast to {@code target} (size 1). */
    static long[] broadcastStrides(Shape shape, Shape target) {
        long[] s = shape.strides();
        for (int d = 0; d < s.length; d++) {
            if (shape.dim(d) == 1 && target.dim(d) != 1) {
                s[d] = 0;
            }
        }
        return s;
    }

    /** The number of elements of {@code dims} strictly before {@code axis} (outer) — a product. */
    static int outer(int[] dims, int axis) {
        int n = 1;
        for (int d = 0; d < axis; d++) {
            n *= dims[d];
        }
        return n;
    }

    /** The number of elements of {@code dims} strictly after {@code axis} (inner) — a product. */
    static int inner(int[] dims, int axis) {
        int n = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            n *= dims[d];
        }
        return n;
    }
}
