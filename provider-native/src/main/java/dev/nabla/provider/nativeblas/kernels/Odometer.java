package dev.nabla.provider.nativeblas.kernels;

/**
 * Walks the indices of a shape in row-major order (last axis fastest), keeping for each of several
 * operands the offset {@code Σ_d i_d · strides[k][d]} (in elements). Strides may be 0 or negative.
 * {@link #seek(long)} jumps to a linear position, so that a range of a large walk can start anywhere.
 */
final class Odometer {
    private final long[] dims;
    private final long[][] strides;
    private final long[] index;
    private final long[] offsets;

    /** An odometer over int dimensions. */
    static Odometer of(int[] dims, long[]... strides) {
        long[] d = new long[dims.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = dims[i];
        }
        return new Odometer(d, strides);
    }

    /** An odometer at index zero with all offsets 0. */
    Odometer(long[] dims, long[]... strides) {
        this.dims = dims;
        this.strides = strides;
        this.index = new long[dims.length];
        this.offsets = new long[strides.length];
    }

    /** Moves to linear position {@code pos} of the row-major walk. */
    void seek(long pos) {
        java.util.Arrays.fill(offsets, 0);
        for (int d = dims.length - 1; d >= 0; d--) {
            long i = dims[d] == 0 ? 0 : pos % dims[d];
            pos = dims[d] == 0 ? 0 : pos / dims[d];
            index[d] = i;
            for (int k = 0; k < offsets.length; k++) {
                offsets[k] += i * strides[k][d];
            }
        }
    }

    /** The current offset of operand {@code k}. */
    long at(int k) {
        return offsets[k];
    }

    /** The next index; past the last one it wraps to zero. */
    void advance() {
        for (int d = dims.length - 1; d >= 0; d--) {
            index[d]++;
            for (int k = 0; k < offsets.length; k++) {
                offsets[k] += strides[k][d];
            }
            if (index[d] < dims[d]) {
                return;
            }
            index[d] = 0;
            for (int k = 0; k < offsets.length; k++) {
                offsets[k] -= strides[k][d] * dims[d];
            }
        }
    }
}
