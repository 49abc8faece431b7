package dev.nabla.provider.nativeblas.kernels;

import dev.nabla.api.types.Shape;

/**
 * An elementwise walk over a dense output and broadcast inputs, cut into rows.
 *
 * <p>Axes of size 1 are dropped and neighbouring axes that every operand walks contiguously are
 * merged; what remains is a number of {@link #rows()} of {@link #length()} elements each. Along a
 * row the output advances by 1 and each input by its {@link #step(int)}, which is 1 (it walks the
 * row) or 0 (it is broadcast along it). Equal shapes give one row of all elements with steps 1; a
 * scalar operand gives one row with its step 0 — the two fast cases the row kernels specialise.
 * Operand 0 is the output; operands {@code 1…} are the inputs in the order given.
 */
final class Broadcast {
    private final long[] outerDims;
    private final long[][] outerStrides;
    private final long length;
    private final int[] steps;
    private final long rows;

    private Broadcast(long[] outerDims, long[][] outerStrides, long length, int[] steps) {
        this.outerDims = outerDims;
        this.outerStrides = outerStrides;
        this.length = length;
        this.steps = steps;
        long r = 1;
        for (long d : outerDims) {
            r *= d;
        }
        this.rows = r;
    }

    /** The walk of {@code out} with {@code inputs} broadcast to it (all of the same rank). */
    static Broadcast of(Shape out, Shape... inputs) {
        int k = inputs.length + 1;
        int rank = out.rank();
        long[][] full = new long[k][];
        full[0] = out.strides();
        for (int j = 0; j < inputs.length; j++) {
            long[] s = inputs[j].strides();
            for (int d = 0; d < rank; d++) {
                if (inputs[j].dim(d) == 1) {
                    s[d] = 0;
                }
            }
            full[j + 1] = s;
        }
        // the kept axes, innermost first: dims[m] and operand j's stride strides[m * k + j]
        long[] dims = new long[rank];
        long[] strides = new long[rank * k];
        int n = 0;
        for (int d = rank - 1; d >= 0; d--) {
            long size = out.dim(d);
            if (size == 1) {
                continue;
            }
            if (n > 0) {
                int last = (n - 1) * k;
                boolean merge = true;
                for (int j = 0; j < k; j++) {
                    merge &= full[j][d] == strides[last + j] * dims[n - 1];
                }
                if (merge) {
                    dims[n - 1] *= size;
                    continue;
                }
            }
            dims[n] = size;
            for (int j = 0; j < k; j++) {
                strides[n * k + j] = full[j][d];
            }
            n++;
        }
        if (n == 0) {
            return new Broadcast(new long[0], new long[k][0], 1, new int[k]);
        }
        long length = dims[0];
        int[] steps = new int[k];
        for (int j = 0; j < k; j++) {
            steps[j] = (int) strides[j];
        }
        int outer = n - 1;
        long[] outerDims = new long[outer];
        long[][] outerStrides = new long[k][outer];
        for (int d = 0; d < outer; d++) {
            outerDims[d] = dims[outer - d];
            for (int j = 0; j < k; j++) {
                outerStrides[j][d] = strides[(outer - d) * k + j];
            }
        }
        return new Broadcast(outerDims, outerStrides, length, steps);
    }

    /** Number of rows. */
    long rows() {
        return rows;
    }

    /** Elements per row. */
    long length() {
        return length;
    }

    /** Operand {@code k}'s advance along a row: 1 or 0 (always 1 for the output). */
    int step(int k) {
        return steps[k];
    }

    /** An odometer over the rows; {@code at(k)} is operand k's offset at the row's start. */
    Odometer rowOdometer() {
        return new Odometer(outerDims, outerStrides);
    }
}
