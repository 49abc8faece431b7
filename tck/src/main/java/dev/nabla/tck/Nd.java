package dev.nabla.tck;

import dev.nabla.api.types.DType;
import java.util.Arrays;

/**
 * A host-side n-d array of doubles: the tck's own value type, in which every reference is computed
 * independently of the backend and of the API's composed operations. Row-major, like tensors.
 *
 * <p>{@code dtype} is the expected dtype of a reference result; {@code null} means "the dtype the
 * check runs in" (float64, float32, int32 or int64).
 */
final class Nd {
    final int[] shape;
    final double[] v;
    final DType dtype;

    Nd(int[] shape, double[] v, DType dtype) {
        if (size(shape) != v.length) {
            throw new IllegalArgumentException("Nd: " + v.length + " values for shape " + Arrays.toString(shape));
        }
        this.shape = shape.clone();
        this.v = v;
        this.dtype = dtype;
    }

    Nd(int[] shape, double[] v) {
        this(shape, v, null);
    }

    static Nd zeros(int... shape) {
        return new Nd(shape, new double[size(shape)]);
    }

    static Nd of(int[] shape, double... v) {
        return new Nd(shape, v.clone());
    }

    static Nd scalar(double v) {
        return new Nd(new int[0], new double[] {v});
    }

    Nd withDType(DType d) {
        return new Nd(shape, v, d);
    }

    int rank() {
        return shape.length;
    }

    int size() {
        return v.length;
    }

    static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }

    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** The multi-index of flat position {@code flat} in {@code shape}. */
    static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] > 0) {
                idx[i] = flat % shape[i];
                flat /= shape[i];
            }
        }
        return idx;
    }

    static int ravel(int[] idx, int[] shape) {
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            flat = flat * shape[i] + idx[i];
        }
        return flat;
    }

    double at(int... idx) {
        return v[ravel(idx, shape)];
    }

    /** A copy of the values rounded to float32 (what a float32 tensor of this array holds). */
    Nd roundedToFloat() {
        double[] r = new double[v.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) v[i];
        }
        return new Nd(shape, r, dtype);
    }

    @Override
    public String toString() {
        return Arrays.toString(shape);
    }
}
