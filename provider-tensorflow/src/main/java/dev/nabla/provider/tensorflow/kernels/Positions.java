package dev.nabla.provider.tensorflow.kernels;

/**
 * Flat element positions computed on the host from shapes and strides alone (never from tensor
 * data), for the kernels that TensorFlow expresses as a gather or scatter over a flat tensor:
 * the strided read and write, and the base offsets of {@code gather}/{@code scatterAdd}/{@code indexAdd}.
 */
final class Positions {
    private Positions() {
    }

    /**
     * {@code offset + Σ_d i_d · strides[d]} for every index {@code i} of {@code dims}, in row-major
     * order.
     */
    static long[] strided(int[] dims, long offset, long[] strides) {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        long[] out = new long[Math.toIntExact(n)];
        if (out.length == 0) {
            return out;
        }
        int rank = dims.length;
        int[] idx = new int[rank];
        long pos = offset;
        for (int i = 0; i < out.length; i++) {
            out[i] = pos;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < dims[d]) {
                    pos += strides[d];
                    break;
                }
                pos -= (long) (dims[d] - 1) * strides[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    /** Row-major strides of {@code dims}. */
    static long[] rowMajor(int[] dims) {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= dims[d];
        }
        return s;
    }

    /**
     * For every index {@code i} of {@code indexDims}, {@code Σ_{d ≠ axis} i_d · targetStrides[d]}: the
     * position in a tensor of {@code targetDims} of the element whose coordinate along {@code axis}
     * is still to be added.
     */
    static long[] baseExceptAxis(int[] indexDims, int[] targetDims, int axis) {
        long[] strides = rowMajor(targetDims);
        strides[axis] = 0;
        return strided(indexDims, 0, strides);
    }
}
