package dev.nabla.provider.reference.kernels;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.reference.storage.HeapStorage;

/**
 * The reference implementation of {@link Kernels}: plain loops over heap arrays
 * ({@link HeapStorage}). This class unwraps the storages and dispatches to one package-private class
 * per kernel family; the memory kernels are implemented here.
 *
 * <p>Float32 values are computed in {@code double} and rounded on store; integer values are computed
 * exactly in {@code long} and int32 wraps like a Java {@code int}. Kernel and dtype combinations the
 * contract does not define throw {@link dev.nabla.api.types.UnsupportedKernelException}.
 *
 * <p>A storage released by another thread while a kernel uses it (its array dropped under the loop) fails
 * the kernel with {@link dev.nabla.api.types.ReleasedTensorException}, checked again once the kernel is done,
 * never with a {@code NullPointerException} or a value: see {@link HeapStorage#verify}.
 */
public final class ReferenceKernels implements Kernels {
    /** Creates the kernels; they are stateless. */
    public ReferenceKernels() {
    }

    // ------------------------------------------------------------------ memory

    @Override
    public Storage allocate(DType dtype, long size) {
        return HeapStorage.allocate(dtype, size);
    }

    @Override
    public Storage fromArray(Object array) {
        return HeapStorage.copyOf(array);
    }

    @Override
    public Object toArray(Storage storage) {
        Object values;
        try {
            values = HeapStorage.of(storage).toArray();
        } catch (RuntimeException e) {
            throw HeapStorage.failure("toArray", e, storage);
        }
        HeapStorage.verify("toArray", storage);
        return values;
    }

    @Override
    public void fill(Storage out, double value) {
        try {
            HeapStorage o = HeapStorage.of(out);
            int n = o.length();
            for (int i = 0; i < n; i++) {
                o.setDouble(i, value);
            }
        } catch (RuntimeException e) {
            throw HeapStorage.failure("fill", e, out);
        }
        HeapStorage.verify("fill", out);
    }

    @Override
    public void copy(Storage src, Storage out) {
        try {
            HeapStorage s = HeapStorage.of(src);
            HeapStorage o = HeapStorage.of(out);
            System.arraycopy(s.array(), 0, o.array(), 0, s.length());
        } catch (RuntimeException e) {
            throw HeapStorage.failure("copy", e, src, out);
        }
        HeapStorage.verify("copy", src, out);
    }

    @Override
    public void cast(Storage src, Storage out) {
        try {
            HeapStorage s = HeapStorage.of(src);
            HeapStorage o = HeapStorage.of(out);
            int n = s.length();
            if (s.dtype() == o.dtype()) {
                System.arraycopy(s.array(), 0, o.array(), 0, n);
            } else if (s.dtype().isFloatingPoint()) {
                for (int i = 0; i < n; i++) {
                    o.setDouble(i, s.getDouble(i));
                }
            } else {
                for (int i = 0; i < n; i++) {
                    o.setLong(i, s.getLong(i));
                }
            }
        } catch (RuntimeException e) {
            throw HeapStorage.failure("cast", e, src, out);
        }
        HeapStorage.verify("cast", src, out);
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, Storage x, Storage out) {
        try {
            Elementwise.unary(op, HeapStorage.of(x), HeapStorage.of(out));
        } catch (RuntimeException e) {
            throw HeapStorage.failure("unary", e, x, out);
        }
        HeapStorage.verify("unary", x, out);
    }

    @Override
    public void binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Storage out,
                       Shape outShape) {
        try {
            Elementwise.binary(op, HeapStorage.of(a), aShape, HeapStorage.of(b), bShape, HeapStorage.of(out),
                    outShape);
        } catch (RuntimeException e) {
            throw HeapStorage.failure("binary", e, a, b, out);
        }
        HeapStorage.verify("binary", a, b, out);
    }

    @Override
    public void where(Storage cond, Shape condShape, Storage a, Shape aShape, Storage b, Shape bShape,
                      Storage out, Shape outShape) {
        try {
            Elementwise.where(bool(cond, "where"), condShape, HeapStorage.of(a), aShape, HeapStorage.of(b), bShape,
                    HeapStorage.of(out), outShape);
        } catch (RuntimeException e) {
            throw HeapStorage.failure("where", e, cond, a, b, out);
        }
        HeapStorage.verify("where", cond, a, b, out);
    }

    // ------------------------------------------------------------------ reductions and scans

    @Override
    public void reduce(ReduceOp op, Storage x, Shape shape, int[] axes, Storage out) {
        try {
            Reductions.reduce(op, HeapStorage.of(x), shape, axes, HeapStorage.of(out));
        } catch (RuntimeException e) {
            throw HeapStorage.failure("reduce", e, x, out);
        }
        HeapStorage.verify("reduce", x, out);
    }

    @Override
    public void argReduce(boolean max, Storage x, Shape shape, int axis, Storage out) {
        try {
            Reductions.argReduce(max, HeapStorage.of(x), shape, axis, int64(out, max ? "argmax" : "argmin"));
        } catch (RuntimeException e) {
            throw HeapStorage.failure("argReduce", e, x, out);
        }
        HeapStorage.verify("argReduce", x, out);
    }

    @Override
    public void cumsum(Storage x, Shape shape, int axis, Storage out) {
        try {
            Reductions.cumsum(HeapStorage.of(x), shape, axis, HeapStorage.of(out));
        } catch (RuntimeException e) {
            throw HeapStorage.failure("cumsum", e, x, out);
        }
        HeapStorage.verify("cumsum", x, out);
    }

    // ------------------------------------------------------------------ linear algebra

    @Override
    public void matmul(Storage a, Shape aShape, boolean transposeA, Storage b, Shape bShape, boolean transposeB,
                       Storage out, Shape outShape) {
        try {
            MatMul.matmul(HeapStorage.of(a), aShape, transposeA, HeapStorage.of(b), bShape, transposeB,
                    HeapStorage.of(out), outShape);
        } catch (RuntimeException e) {
            throw HeapStorage.failure("matmul", e, a, b, out);
        }
        HeapStorage.verify("matmul", a, b, out);
    }

    // ------------------------------------------------------------------ layout

    @Override
    public void stridedRead(Storage x, long offset, long[] strides, Shape outShape, Storage out) {
        try {
            Layout.stridedRead(HeapStorage.of(x), offset, strides, outShape, HeapStorage.of(out));
        } catch (RuntimeException e) {
            throw HeapStorage.failure("stridedRead", e, x, out);
        }
        HeapStorage.verify("stridedRead", x, out);
    }

    @Override
    public void stridedWrite(Storage src, Shape srcShape, Storage out, long offset, long[] strides,
                             boolean accumulate) {
        try {
            Layout.stridedWrite(HeapStorage.of(src), srcShape, HeapStorage.of(out), offset, strides, accumulate);
        } catch (RuntimeException e) {
            throw HeapStorage.failure("stridedWrite", e, src, out);
        }
        HeapStorage.verify("stridedWrite", src, out);
    }

    // ------------------------------------------------------------------ indexing

    @Override
    public void indexSelect(Storage x, Shape shape, int axis, Storage index, Storage out) {
        try {
            Indexing.indexSelect(HeapStorage.of(x), shape, axis, int64(index, "indexSelect"), HeapStorage.of(out));
        } catch (RuntimeException e) {
            throw HeapStorage.failure("indexSelect", e, x, index, out);
        }
        HeapStorage.verify("indexSelect", x, index, out);
    }

    @Override
    public void indexAdd(Storage src, Storage index, int axis, Storage out, Shape outShape) {
        try {
            Indexing.indexAdd(HeapStorage.of(src), int64(index, "indexAdd"), axis, HeapStorage.of(out), outShape);
        } catch (RuntimeException e) {
            throw HeapStorage.failure("indexAdd", e, src, index, out);
        }
        HeapStorage.verify("indexAdd", src, index, out);
    }

    @Override
    public void gather(Storage x, Shape shape, int axis, Storage index, Shape indexShape, Storage out) {
        try {
            Indexing.gather(HeapStorage.of(x), shape, axis, int64(index, "gather"), indexShape, HeapStorage.of(out));
        } catch (RuntimeException e) {
            throw HeapStorage.failure("gather", e, x, index, out);
        }
        HeapStorage.verify("gather", x, index, out);
    }

    @Override
    public void scatterAdd(Storage src, Storage index, Shape indexShape, int axis, Storage out, Shape outShape) {
        try {
            Indexing.scatterAdd(HeapStorage.of(src), int64(index, "scatterAdd"), indexShape, axis,
                    HeapStorage.of(out), outShape);
        } catch (RuntimeException e) {
            throw HeapStorage.failure("scatterAdd", e, src, index, out);
        }
        HeapStorage.verify("scatterAdd", src, index, out);
    }

    // ------------------------------------------------------------------ helpers

    private static HeapStorage.Int64 int64(Storage s, String kernel) {
        HeapStorage h = HeapStorage.of(s);
        if (!(h instanceof HeapStorage.Int64 i)) {
            throw Unsupported.of(kernel + " (index/result operand)", h.dtype());
        }
        return i;
    }

    private static HeapStorage.Bool bool(Storage s, String kernel) {
        HeapStorage h = HeapStorage.of(s);
        if (!(h instanceof HeapStorage.Bool b)) {
            throw Unsupported.of(kernel + " (condition operand)", h.dtype());
        }
        return b;
    }
}
