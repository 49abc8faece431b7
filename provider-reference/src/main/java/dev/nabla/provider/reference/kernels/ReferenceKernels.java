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
        return HeapStorage.of(storage).toArray();
    }

    @Override
    public void fill(Storage out, double value) {
        HeapStorage o = HeapStorage.of(out);
        int n = o.length();
        for (int i = 0; i < n; i++) {
            o.setDouble(i, value);
        }
    }

    @Override
    public void copy(Storage src, Storage out) {
        HeapStorage s = HeapStorage.of(src);
        HeapStorage o = HeapStorage.of(out);
        System.arraycopy(s.array(), 0, o.array(), 0, s.length());
    }

    @Override
    public void cast(Storage src, Storage out) {
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
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, Storage x, Storage out) {
        Elementwise.unary(op, HeapStorage.of(x), HeapStorage.of(out));
    }

    @Override
    public void binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Storage out,
                       Shape outShape) {
        Elementwise.binary(op, HeapStorage.of(a), aShape, HeapStorage.of(b), bShape, HeapStorage.of(out),
                outShape);
    }

    @Override
    public void where(Storage cond, Shape condShape, Storage a, Shape aShape, Storage b, Shape bShape,
                      Storage out, Shape outShape) {
        Elementwise.where(bool(cond, "where"), condShape, HeapStorage.of(a), aShape, HeapStorage.of(b), bShape,
                HeapStorage.of(out), outShape);
    }

    // ------------------------------------------------------------------ reductions and scans

    @Override
    public void reduce(ReduceOp op, Storage x, Shape shape, int[] axes, Storage out) {
        Reductions.reduce(op, HeapStorage.of(x), shape, axes, HeapStorage.of(out));
    }

    @Override
    public void argReduce(boolean max, Storage x, Shape shape, int axis, Storage out) {
        Reductions.argReduce(max, HeapStorage.of(x), shape, axis, int64(out, max ? "argmax" : "argmin"));
    }

    @Override
    public void cumsum(Storage x, Shape shape, int axis, Storage out) {
        Reductions.cumsum(HeapStorage.of(x), shape, axis, HeapStorage.of(out));
    }

    // ------------------------------------------------------------------ linear algebra

    @Override
    public void matmul(Storage a, Shape aShape, boolean transposeA, Storage b, Shape bShape, boolean transposeB,
                       Storage out, Shape outShape) {
        MatMul.matmul(HeapStorage.of(a), aShape, transposeA, HeapStorage.of(b), bShape, transposeB,
                HeapStorage.of(out), outShape);
    }

    // ------------------------------------------------------------------ layout

    @Override
    public void stridedRead(Storage x, long offset, long[] strides, Shape outShape, Storage out) {
        Layout.stridedRead(HeapStorage.of(x), offset, strides, outShape, HeapStorage.of(out));
    }

    @Override
    public void stridedWrite(Storage src, Shape srcShape, Storage out, long offset, long[] strides,
                             boolean accumulate) {
        Layout.stridedWrite(HeapStorage.of(src), srcShape, HeapStorage.of(out), offset, strides, accumulate);
    }

    // ------------------------------------------------------------------ indexing

    @Override
    public void indexSelect(Storage x, Shape shape, int axis, Storage index, Storage out) {
        Indexing.indexSelect(HeapStorage.of(x), shape, axis, int64(index, "indexSelect"), HeapStorage.of(out));
    }

    @Override
    public void indexAdd(Storage src, Storage index, int axis, Storage out, Shape outShape) {
        Indexing.indexAdd(HeapStorage.of(src), int64(index, "indexAdd"), axis, HeapStorage.of(out), outShape);
    }

    @Override
    public void gather(Storage x, Shape shape, int axis, Storage index, Shape indexShape, Storage out) {
        Indexing.gather(HeapStorage.of(x), shape, axis, int64(index, "gather"), indexShape, HeapStorage.of(out));
    }

    @Override
    public void scatterAdd(Storage src, Storage index, Shape indexShape, int axis, Storage out, Shape outShape) {
        Indexing.scatterAdd(HeapStorage.of(src), int64(index, "scatterAdd"), indexShape, axis,
                HeapStorage.of(out), outShape);
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
