package dev.nabla.provider.reference.kernels;

import dev.nabla.api.types.Shape;
import dev.nabla.provider.reference.storage.HeapStorage;

/** The layout kernels: {@code stridedRead} and its adjoint {@code stridedWrite}. */
final class Layout {
    private Layout() {
    }

    static void stridedRead(HeapStorage x, long offset, long[] strides, Shape outShape, HeapStorage out) {
        int n = out.length();
        StridedCursor c = new StridedCursor(outShape.dims(), new long[] {offset}, strides);
        for (int i = 0; i < n; i++) {
            out.setFrom(i, x, c.at(0));
            c.advance();
        }
    }

    static void stridedWrite(HeapStorage src, Shape srcShape, HeapStorage out, long offset, long[] strides,
                             boolean accumulate) {
        int n = src.length();
        StridedCursor c = new StridedCursor(srcShape.dims(), new long[] {offset}, strides);
        if (accumulate) {
            Accumulator acc = Accumulator.into(out, "stridedWrite(accumulate)");
            for (int i = 0; i < n; i++) {
                acc.add(c.at(0), src, i);
                c.advance();
            }
            acc.finish();
        } else {
            for (int i = 0; i < n; i++) {
                out.setFrom(c.at(0), src, i);
                c.advance();
            }
        }
    }
}
