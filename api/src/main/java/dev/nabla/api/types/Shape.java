package dev.nabla.api.types;

import java.util.Arrays;

/**
 * The dimensions of a tensor: an immutable list of non-negative sizes, row-major (the last axis
 * varies fastest). A rank-0 shape {@code []} is a scalar with one element; any zero dimension makes
 * the tensor empty.
 *
 * <p>Broadcasting follows NumPy: shapes are aligned at their trailing axes, and two sizes are
 * compatible when equal or when one of them is 1. See {@link #broadcast(String, Shape, Shape)}.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);
    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        this.dims = dims;
        long n = 1;
        for (int d : dims) {
            n = Math.multiplyExact(n, (long) d);
        }
        this.size = n;
    }

    /**
     * A shape with the given dimensions.
     *
     * @throws ShapeException if a dimension is negative
     */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new ShapeException("shape: dimension " + i + " is negative in " + Arrays.toString(dims));
            }
        }
        return new Shape(dims.clone());
    }

    /** The rank-0 shape of a scalar. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of axes. */
    public int rank() {
        return dims.length;
    }

    /** Size of axis {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return dims[normalizeAxis("dim", axis)];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements (the product of the dimensions; 1 for a scalar). */
    public long size() {
        return size;
    }

    /** Row-major (C-order) strides in elements. */
    public long[] strides() {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /**
     * Maps a possibly negative axis into {@code [0, rank)}.
     *
     * @param op the operation name, used in the error message
     * @throws ShapeException if the axis is out of range
     */
    public int normalizeAxis(String op, int axis) {
        int r = dims.length;
        int a = axis < 0 ? axis + r : axis;
        if (a < 0 || a >= r) {
            throw new ShapeException(op + ": axis " + axis + " is out of range for shape " + this
                    + " (rank " + r + ")");
        }
        return a;
    }

    /** This shape with {@code rank - this.rank()} leading ones; used to align shapes for broadcasting. */
    public Shape padLeft(int rank) {
        if (rank == dims.length) {
            return this;
        }
        int[] d = new int[rank];
        Arrays.fill(d, 0, rank - dims.length, 1);
        System.arraycopy(dims, 0, d, rank - dims.length, dims.length);
        return new Shape(d);
    }

    /**
     * The NumPy broadcast of two shapes.
     *
     * @param op the operation name, used in the error message
     * @throws ShapeException naming both shapes and the first incompatible axis
     */
    public static Shape broadcast(String op, Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int ai = i - (r - a.rank());
            int bi = i - (r - b.rank());
            int da = ai < 0 ? 1 : a.dims[ai];
            int db = bi < 0 ? 1 : b.dims[bi];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new ShapeException(op + ": shapes " + a + " and " + b
                        + " cannot be broadcast (axis " + (i - r) + ": " + da + " vs " + db + ")");
            }
        }
        return new Shape(out);
    }

    /** True if this shape can be broadcast to {@code target} (NumPy rules, one direction only). */
    public boolean broadcastableTo(Shape target) {
        if (rank() > target.rank()) {
            return false;
        }
        int off = target.rank() - rank();
        for (int i = 0; i < rank(); i++) {
            if (dims[i] != 1 && dims[i] != target.dims[i + off]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Renders as {@code [2, 3]}; a scalar as {@code []}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
