package dev.nabla.provider.reference.kernels;

import dev.nabla.api.types.Shape;
import dev.nabla.provider.reference.storage.HeapStorage;

/**
 * The indexing kernels: {@code indexSelect} and {@code indexAdd} along one axis, and PyTorch-style
 * {@code gather} and {@code scatterAdd}.
 *
 * <p>Along one axis a shape is viewed as {@code [outer, n, inner]}: {@code outer} is the product of
 * the axes before it, {@code inner} of the axes after it.
 */
final class Indexing {
    private Indexing() {
    }

    static void indexSelect(HeapStorage x, Shape shape, int axis, HeapStorage.Int64 index, HeapStorage out) {
        if (out.length() == 0) {
            return;
        }
        int[] dims = shape.dims();
        long[] idx = index.data();
        int count = idx.length;
        int n = dims[axis];
        int inner = StridedCursor.inner(dims, axis);
        int outer = out.length() / (count * inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < count; j++) {
                int from = (o * n + (int) idx[j]) * inner;
                int to = (o * count + j) * inner;
                System.arraycopy(x.array(), from, out.array(), to, inner);
            }
        }
    }

    static void indexAdd(HeapStorage src, HeapStorage.Int64 index, int axis, HeapStorage out, Shape outShape) {
        Accumulator acc = Accumulator.into(out, "indexAdd");
        if (src.length() == 0) {
            return;
        }
        int[] dims = outShape.dims();
        long[] idx = index.data();
        int count = idx.length;
        int n = dims[axis];
        int inner = StridedCursor.inner(dims, axis);
        int outer = src.length() / (count * inner);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < count; j++) {
                int to = (o * n + (int) idx[j]) * inner;
                int from = (o * count + j) * inner;
                for (int in = 0; in < inner; in++) {
                    acc.add(to + in, src, from + in);
                }
            }
        }
        acc.finish();
    }

    static void gather(HeapStorage x, Shape shape, int axis, HeapStorage.Int64 index, Shape indexShape,
                       HeapStorage out) {
        long[] idx = index.data();
        long[] xStrides = shape.strides();
        long axisStride = xStrides[axis];
        xStrides[axis] = 0;
        StridedCursor c = StridedCursor.over(indexShape.dims(), xStrides);
        for (int i = 0; i < idx.length; i++) {
            out.setFrom(i, x, (int) (c.at(0) + idx[i] * axisStride));
            c.advance();
        }
    }

    static void scatterAdd(HeapStorage src, HeapStorage.Int64 index, Shape indexShape, int axis,
                           HeapStorage out, Shape outShape) {
        Accumulator acc = Accumulator.into(out, "scatterAdd");
        long[] idx = index.data();
        long[] outStrides = outShape.strides();
        long axisStride = outStrides[axis];
        outStrides[axis] = 0;
        StridedCursor c = StridedCursor.over(indexShape.dims(), outStrides);
        for (int i = 0; i < idx.length; i++) {
            acc.add((int) (c.at(0) + idx[i] * axisStride), src, i);
            c.advance();
        }
        acc.finish();
    }
}
