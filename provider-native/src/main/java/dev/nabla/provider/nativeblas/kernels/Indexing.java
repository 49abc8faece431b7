package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The indexing kernels: {@code indexSelect} and {@code indexAdd} along one axis, PyTorch-style
 * {@code gather} and {@code scatterAdd}.
 *
 * <p>Along one axis a shape is viewed as {@code [outer, n, inner]}; {@code indexSelect} then copies
 * whole runs of {@code inner} elements with one {@link MemorySegment#copy} each and {@code indexAdd}
 * adds them with one loop each. {@code gather} and {@code scatterAdd} walk the index tensor with an
 * {@link Odometer}. Every access is bounds-checked by the segments, so an out-of-range index (which
 * the tensor layer already rejects) fails with an exception rather than touching foreign memory. The
 * accumulating kernels run on one thread: repeated indices make their writes collide.
 */
final class Indexing {
    private final Parallel parallel;

    Indexing(Parallel parallel) {
        this.parallel = parallel;
    }

    void indexSelect(NativeStorage x, Shape shape, int axis, NativeStorage index, NativeStorage out) {
        if (out.size() == 0) {
            return;
        }
        int[] dims = shape.dims();
        MemorySegment idx = index.segment();
        long count = index.size();
        long n = dims[axis];
        long inner = Reductions.product(dims, axis + 1, dims.length);
        long outer = out.size() / (count * inner);
        int es = x.dtype().byteSize();
        MemorySegment xs = x.segment();
        MemorySegment os = out.overwrite();
        parallel.forRange(outer * count, inner, (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long o = r / count;
                long j = r % count;
                long from = (o * n + idx.getAtIndex(JAVA_LONG, j)) * inner;
                MemorySegment.copy(xs, from * es, os, r * inner * es, inner * es);
            }
        });
    }

    void indexAdd(NativeStorage src, NativeStorage index, int axis, NativeStorage out, Shape outShape) {
        DType t = out.dtype();
        if (t == DType.BOOL) {
            throw Unsupported.of("indexAdd", t);
        }
        if (src.size() == 0) {
            return;
        }
        int[] dims = outShape.dims();
        MemorySegment idx = index.segment();
        long count = index.size();
        long n = dims[axis];
        long inner = Reductions.product(dims, axis + 1, dims.length);
        long outer = src.size() / (count * inner);
        MemorySegment ss = src.segment();
        MemorySegment os = out.segment();
        for (long o = 0; o < outer; o++) {
            for (long j = 0; j < count; j++) {
                long to = (o * n + idx.getAtIndex(JAVA_LONG, j)) * inner;
                long from = (o * count + j) * inner;
                Layout.addRun(t, ss, from, os, to, 1, inner);
            }
        }
    }

    void gather(NativeStorage x, Shape shape, int axis, NativeStorage index, Shape indexShape, NativeStorage out) {
        long total = index.size();
        if (total == 0) {
            return;
        }
        long[] xStrides = shape.strides();
        long axisStride = xStrides[axis];
        xStrides[axis] = 0;
        int[] idims = indexShape.dims();
        int es = x.dtype().byteSize();
        MemorySegment xs = x.segment();
        MemorySegment is = index.segment();
        MemorySegment os = out.overwrite();
        parallel.forRange(total, (i0, i1) -> {
            Odometer c = Odometer.of(idims, xStrides);
            c.seek(i0);
            switch (es) { // element size, once per part: raw bits are exact for every dtype
                case 1 -> {
                    for (long i = i0; i < i1; i++) {
                        os.set(JAVA_BYTE, i, xs.get(JAVA_BYTE, c.at(0) + is.getAtIndex(JAVA_LONG, i) * axisStride));
                        c.advance();
                    }
                }
                case 4 -> {
                    for (long i = i0; i < i1; i++) {
                        os.setAtIndex(JAVA_INT, i,
                                xs.getAtIndex(JAVA_INT, c.at(0) + is.getAtIndex(JAVA_LONG, i) * axisStride));
                        c.advance();
                    }
                }
                default -> {
                    for (long i = i0; i < i1; i++) {
                        os.setAtIndex(JAVA_LONG, i,
                                xs.getAtIndex(JAVA_LONG, c.at(0) + is.getAtIndex(JAVA_LONG, i) * axisStride));
                        c.advance();
                    }
                }
            }
        });
    }

    void scatterAdd(NativeStorage src, NativeStorage index, Shape indexShape, int axis, NativeStorage out,
                    Shape outShape) {
        DType t = out.dtype();
        if (t == DType.BOOL) {
            throw Unsupported.of("scatterAdd", t);
        }
        long total = index.size();
        if (total == 0) {
            return;
        }
        long[] outStrides = outShape.strides();
        long axisStride = outStrides[axis];
        outStrides[axis] = 0;
        int[] idims = indexShape.dims();
        MemorySegment ss = src.segment();
        MemorySegment is = index.segment();
        MemorySegment os = out.segment();
        // rows of the index tensor's last axis: one addRun per row with the out positions of that row
        int last = idims.length - 1;
        long rowLen = last < 0 ? 1 : idims[last];
        long rowStep = last < 0 ? 0 : outStrides[last];
        Odometer c = Odometer.of(last < 0 ? new int[0] : Arrays.copyOf(idims, last),
                last < 0 ? new long[0] : Arrays.copyOf(outStrides, last));
        long rows = total / rowLen;
        for (long r = 0; r < rows; r++) {
            long base = c.at(0);
            long first = r * rowLen;
            switch (t) { // dtype, once per row of the index tensor
                case FLOAT32 -> {
                    for (long j = 0; j < rowLen; j++) {
                        long to = base + j * rowStep + is.getAtIndex(JAVA_LONG, first + j) * axisStride;
                        os.setAtIndex(JAVA_FLOAT, to, os.getAtIndex(JAVA_FLOAT, to) + ss.getAtIndex(JAVA_FLOAT, first + j));
                    }
                }
                case FLOAT64 -> {
                    for (long j = 0; j < rowLen; j++) {
                        long to = base + j * rowStep + is.getAtIndex(JAVA_LONG, first + j) * axisStride;
                        os.setAtIndex(JAVA_DOUBLE, to,
                                os.getAtIndex(JAVA_DOUBLE, to) + ss.getAtIndex(JAVA_DOUBLE, first + j));
                    }
                }
                case INT32 -> {
                    for (long j = 0; j < rowLen; j++) {
                        long to = base + j * rowStep + is.getAtIndex(JAVA_LONG, first + j) * axisStride;
                        os.setAtIndex(JAVA_INT, to, os.getAtIndex(JAVA_INT, to) + ss.getAtIndex(JAVA_INT, first + j));
                    }
                }
                default -> {
                    for (long j = 0; j < rowLen; j++) {
                        long to = base + j * rowStep + is.getAtIndex(JAVA_LONG, first + j) * axisStride;
                        os.setAtIndex(JAVA_LONG, to, os.getAtIndex(JAVA_LONG, to) + ss.getAtIndex(JAVA_LONG, first + j));
                    }
                }
            }
            c.advance();
        }
    }
}
