package dev.nabla.api.tensor;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import java.lang.reflect.Array;
import java.util.Objects;

/**
 * Creates tensors on one backend: constants, ranges, identity and triangular masks, copies of Java
 * arrays, and random tensors drawn from an explicit {@link Generator}. {@code Nabla.tensors()} gives
 * the factory of the selected backend; {@link #on(Backend)} any other.
 *
 * <p>Tensors are created in the current thread's {@link Scope}, if one is open.
 */
public final class TensorFactory {
    private final Backend backend;

    private TensorFactory(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** The factory for {@code backend}. */
    public static TensorFactory on(Backend backend) {
        return new TensorFactory(backend);
    }

    /** The backend this factory creates tensors on. */
    public Backend backend() {
        return backend;
    }

    private Tensor wrap(Storage s, Shape shape) {
        return new Tensor(backend, new Buffer(s), shape);
    }

    // ------------------------------------------------------------------ constants

    /** Zeros of the given shape, float32 (other dtypes: {@link #zeros(DType, int...)}). */
    public Tensor zeros(int... dims) {
        return full(Shape.of(dims), 0.0, DType.FLOAT32);
    }

    /**
     * Zeros of the given dtype and shape: {@code zeros(DType.FLOAT64, batch, hidden)}. (For zeros shaped
     * and typed like an existing tensor, {@link Tensor#zerosLike}.)
     */
    public Tensor zeros(DType dtype, int... dims) {
        return full(Shape.of(dims), 0.0, dtype);
    }

    /** Zeros of the given shape and dtype. */
    public Tensor zeros(Shape shape, DType dtype) {
        return full(shape, 0.0, dtype);
    }

    /** Ones of the given shape, float32 (other dtypes: {@link #ones(DType, int...)}). */
    public Tensor ones(int... dims) {
        return full(Shape.of(dims), 1.0, DType.FLOAT32);
    }

    /** Ones of the given dtype and shape: {@code ones(DType.FLOAT64, 2, 3)}; see also {@link Tensor#onesLike}. */
    public Tensor ones(DType dtype, int... dims) {
        return full(Shape.of(dims), 1.0, dtype);
    }

    /** Ones of the given shape and dtype. */
    public Tensor ones(Shape shape, DType dtype) {
        return full(shape, 1.0, dtype);
    }

    /** Every element {@code value} (converted to {@code dtype}). */
    public Tensor full(Shape shape, double value, DType dtype) {
        return Ops.full(backend, dtype, shape, value);
    }

    /** A rank-0 float32 tensor. */
    public Tensor scalar(double value) {
        return full(Shape.scalar(), value, DType.FLOAT32);
    }

    /** A rank-0 tensor of the given dtype. */
    public Tensor scalar(double value, DType dtype) {
        return full(Shape.scalar(), value, dtype);
    }

    /** {@code start, start+step, …} before {@code end}, int64 (NumPy's {@code arange}). */
    public Tensor arange(long start, long end, long step) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must not be zero");
        }
        long n = Math.max(0, (end - start + step - Long.signum(step)) / step);
        if (n > Integer.MAX_VALUE - 8) {
            throw new ShapeException("arange: " + n + " elements is too many");
        }
        long[] v = new long[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return of(v, (int) n);
    }

    /** {@code start, start+step, …} before {@code end} in the given floating dtype. */
    public Tensor arange(double start, double end, double step, DType dtype) {
        requireFloatDType("arange", dtype);
        if (step == 0 || !Double.isFinite(step)) {
            throw new IllegalArgumentException("arange: step must be finite and non-zero, got " + step);
        }
        long n = Math.max(0, (long) Math.ceil((end - start) / step));
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return fromDoubles(v, Shape.of(v.length), dtype);
    }

    /** {@code count} evenly spaced values from {@code start} to {@code end} inclusive, float32. */
    public Tensor linspace(double start, double end, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("linspace: count must be >= 0, got " + count);
        }
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) (count == 1 ? start : start + (end - start) * i / (count - 1));
        }
        return of(v, count);
    }

    /** The {@code n × n} float32 identity matrix. */
    public Tensor eye(int n) {
        return eye(n, n, DType.FLOAT32);
    }

    /** An {@code n × m} matrix with ones on the main diagonal. */
    public Tensor eye(int n, int m, DType dtype) {
        if (n < 0 || m < 0) {
            throw new ShapeException("eye: sizes must be >= 0, got " + n + " x " + m);
        }
        double[] v = new double[Math.multiplyExact(n, m)];
        for (int i = 0; i < Math.min(n, m); i++) {
            v[i * m + i] = 1.0;
        }
        Tensor d = of(v, n, m);
        return dtype == DType.FLOAT64 ? d : d.to(dtype);
    }

    /** A bool {@code rows × cols} mask, true where {@code col - row <= k} (the lower triangle; k = 0 includes the diagonal). */
    public Tensor trilMask(int rows, int cols, int k) {
        return triangleMask(rows, cols, k, true);
    }

    /** A bool {@code rows × cols} mask, true where {@code col - row >= k} (the upper triangle). */
    public Tensor triuMask(int rows, int cols, int k) {
        return triangleMask(rows, cols, k, false);
    }

    private Tensor triangleMask(int rows, int cols, int k, boolean lower) {
        if (rows < 0 || cols < 0) {
            throw new ShapeException((lower ? "trilMask" : "triuMask") + ": sizes must be >= 0, got "
                    + rows + " x " + cols);
        }
        boolean[] v = new boolean[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                v[i * cols + j] = lower ? j - i <= k : j - i >= k;
            }
        }
        return of(v, rows, cols);
    }

    // ------------------------------------------------------------------ from Java arrays

    private static void checkCount(String op, int length, int[] dims) {
        long n = Shape.of(dims).size();
        if (n != length) {
            throw new ShapeException(op + ": " + length + " values do not fill shape " + Shape.of(dims)
                    + " (" + n + " elements)");
        }
    }

    /** A float32 tensor of the given shape holding a copy of {@code data} (row-major). */
    public Tensor of(float[] data, int... dims) {
        checkCount("of", data.length, dims);
        return wrap(backend.kernels().fromArray(data), Shape.of(dims));
    }

    /** A float64 tensor of the given shape holding a copy of {@code data}. */
    public Tensor of(double[] data, int... dims) {
        checkCount("of", data.length, dims);
        return wrap(backend.kernels().fromArray(data), Shape.of(dims));
    }

    /** An int32 tensor of the given shape holding a copy of {@code data}. */
    public Tensor of(int[] data, int... dims) {
        checkCount("of", data.length, dims);
        return wrap(backend.kernels().fromArray(data), Shape.of(dims));
    }

    /** An int64 tensor of the given shape holding a copy of {@code data}. */
    public Tensor of(long[] data, int... dims) {
        checkCount("of", data.length, dims);
        return wrap(backend.kernels().fromArray(data), Shape.of(dims));
    }

    /** A bool tensor of the given shape holding a copy of {@code data}. */
    public Tensor of(boolean[] data, int... dims) {
        checkCount("of", data.length, dims);
        return wrap(backend.kernels().fromArray(data), Shape.of(dims));
    }

    /** A 1-D float32 tensor of the values. */
    public Tensor vector(float... values) {
        return of(values, values.length);
    }

    /**
     * A tensor from a (possibly nested, rectangular) Java array: {@code float[][]} gives a 2-D float32
     * tensor, {@code long[]} a 1-D int64 one, and so on (see {@link dev.nabla.api.backend.Kernels#fromArray}).
     *
     * @throws ShapeException if the nesting is ragged
     */
    public Tensor tensor(Object array) {
        Objects.requireNonNull(array, "array");
        if (!array.getClass().isArray()) {
            throw new IllegalArgumentException("tensor: expected a Java array, got " + array.getClass().getName());
        }
        int rank = 0;
        Class<?> c = array.getClass();
        while (c.isArray()) {
            rank++;
            c = c.getComponentType();
        }
        int[] dims = new int[rank];
        Object cur = array;
        for (int i = 0; i < rank; i++) {
            dims[i] = Array.getLength(cur);
            cur = dims[i] > 0 ? Array.get(cur, 0) : null;
            if (cur == null) {
                break;
            }
        }
        int n = Math.toIntExact(Shape.of(dims).size());
        Object flat = Array.newInstance(c, n);
        int[] pos = {0};
        flatten(array, 0, dims, flat, pos);
        return wrap(backend.kernels().fromArray(flat), Shape.of(dims));
    }

    private static void flatten(Object a, int depth, int[] dims, Object flat, int[] pos) {
        int len = Array.getLength(a);
        if (len != dims[depth]) {
            throw new ShapeException("tensor: ragged array: axis " + depth + " has lengths " + dims[depth]
                    + " and " + len);
        }
        if (depth == dims.length - 1) {
            System.arraycopy(a, 0, flat, pos[0], len);
            pos[0] += len;
            return;
        }
        for (int i = 0; i < len; i++) {
            flatten(Array.get(a, i), depth + 1, dims, flat, pos);
        }
    }

    /** A copy of {@code t} (values only, no autodiff history) on this factory's backend. */
    public Tensor copyOf(Tensor t) {
        t.checkLive("copyOf");
        Object host = t.backend().kernels().toArray(t.storage());
        return wrap(backend.kernels().fromArray(host), t.shape());
    }

    // ------------------------------------------------------------------ random

    /** Uniform on {@code [0, 1)}, float32. */
    public Tensor rand(Generator gen, int... dims) {
        return uniform(gen, 0.0, 1.0, Shape.of(dims), DType.FLOAT32);
    }

    /** Uniform on {@code [low, high)}. */
    public Tensor uniform(Generator gen, double low, double high, Shape shape, DType dtype) {
        requireFloatDType("uniform", dtype);
        double[] v = new double[checkedSize("uniform", shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = low + (high - low) * gen.nextDouble();
        }
        return fromDoubles(v, shape, dtype);
    }

    /** Standard normal, float32. */
    public Tensor randn(Generator gen, int... dims) {
        return normal(gen, 0.0, 1.0, Shape.of(dims), DType.FLOAT32);
    }

    /** Normal with the given mean and standard deviation. */
    public Tensor normal(Generator gen, double mean, double std, Shape shape, DType dtype) {
        requireFloatDType("normal", dtype);
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        }
        double[] v = new double[checkedSize("normal", shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = mean + std * gen.nextGaussian();
        }
        return fromDoubles(v, shape, dtype);
    }

    /** 1 with probability {@code p}, else 0, in the given floating dtype (a dropout mask). */
    public Tensor bernoulli(Generator gen, double p, Shape shape, DType dtype) {
        requireFloatDType("bernoulli", dtype);
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli: p must be in [0, 1], got " + p);
        }
        double[] v = new double[checkedSize("bernoulli", shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = gen.nextDouble() < p ? 1.0 : 0.0;
        }
        return fromDoubles(v, shape, dtype);
    }

    /** 1 with probability {@code probs[i]}, else 0, elementwise, with the dtype and shape of {@code probs}. */
    public Tensor bernoulli(Generator gen, Tensor probs) {
        requireFloatDType("bernoulli", probs.dtype());
        double[] p = probs.toDoubleArray();
        double[] v = new double[p.length];
        for (int i = 0; i < v.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException("bernoulli: probability " + p[i] + " at flat index " + i
                        + " is outside [0, 1]");
            }
            v[i] = gen.nextDouble() < p[i] ? 1.0 : 0.0;
        }
        return fromDoubles(v, probs.shape(), probs.dtype());
    }

    /** A random permutation of {@code 0 … n-1} (int64), by Fisher–Yates. */
    public Tensor randperm(Generator gen, int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) gen.nextLong(i + 1);
            long t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return of(v, n);
    }

    private static int checkedSize(String op, Shape shape) {
        if (shape.size() > Integer.MAX_VALUE - 8) {
            throw new ShapeException(op + ": shape " + shape + " is too large to draw on the host");
        }
        return (int) shape.size();
    }

    private static void requireFloatDType(String op, DType d) {
        if (!d.isFloatingPoint()) {
            throw new dev.nabla.api.types.DTypeException(op + ": needs a floating dtype, got " + d);
        }
    }

    private Tensor fromDoubles(double[] v, Shape shape, DType dtype) {
        if (dtype == DType.FLOAT64) {
            return wrap(backend.kernels().fromArray(v), shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return wrap(backend.kernels().fromArray(f), shape);
    }
}
