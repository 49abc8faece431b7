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

/**
 * The layout kernels {@code stridedRead} and {@code stridedWrite}. The view is walked as rows of its
 * last axis (neighbouring axes merged when the view is contiguous across them); a row with stride 1 is
 * one {@link MemorySegment#copy} of bytes, other strides (0 for a broadcast, negative for a flip) copy
 * element by element as raw bits of the element size, which is exact for every dtype. Reads are split
 * across cores for large views; writes are not (without {@code accumulate} positions are distinct, but
 * with it they may repeat).
 */
final class Layout {
    private final Parallel parallel;

    Layout(Parallel parallel) {
        this.parallel = parallel;
    }

    /** Rows of a strided walk: outer dims and strides, and the last axis's length and stride. */
    private record Rows(long[] dims, long[] strides, long length, long step) {
        static Rows of(Shape shape, long[] strides) {
            int[] d = shape.dims();
            // merge axis i into i+1 (from the back) while the view is contiguous across them
            long[] md = new long[d.length];
            long[] ms = new long[d.length];
            int r = 0;
            for (int i = d.length - 1; i >= 0; i--) {
                if (d[i] == 1) {
                    continue;
                }
                if (r > 0 && strides[i] == ms[r - 1] * md[r - 1]) {
                    md[r - 1] *= d[i];
                    continue;
                }
                md[r] = d[i];
                ms[r] = strides[i];
                r++;
            }
            if (r == 0) {
                return new Rows(new long[0], new long[0], 1, 1);
            }
            long[] od = new long[r - 1];
            long[] os = new long[r - 1];
            for (int i = 0; i < r - 1; i++) {
                od[i] = md[r - 1 - i];
                os[i] = ms[r - 1 - i];
            }
            return new Rows(od, os, md[0], ms[0]);
        }

        long count() {
            long c = 1;
            for (long x : dims) {
                c *= x;
            }
            return c;
        }
    }

    void stridedRead(NativeStorage x, long offset, long[] strides, Shape outShape, NativeStorage out) {
        if (out.size() == 0) {
            return;
        }
        Rows rows = Rows.of(outShape, strides);
        int es = x.dtype().byteSize();
        MemorySegment xs = x.segment();
        MemorySegment os = out.overwrite();
        long len = rows.length();
        long step = rows.step();
        parallel.forRange(rows.count(), len, (r0, r1) -> {
            Odometer c = new Odometer(rows.dims(), rows.strides());
            c.seek(r0);
            for (long r = r0; r < r1; r++) {
                copyRun(xs, offset + c.at(0), step, os, r * len, 1, len, es);
                c.advance();
            }
        });
    }

    void stridedWrite(NativeStorage src, Shape srcShape, NativeStorage out, long offset, long[] strides,
                      boolean accumulate) {
        DType t = src.dtype();
        if (accumulate && t == DType.BOOL) {
            throw Unsupported.of("stridedWrite(accumulate)", t);
        }
        if (src.size() == 0) {
            return;
        }
        Rows rows = Rows.of(srcShape, strides);
        int es = t.byteSize();
        MemorySegment ss = src.segment();
        MemorySegment os = out.segment();
        long len = rows.length();
        long step = rows.step();
        Odometer c = new Odometer(rows.dims(), rows.strides());
        long count = rows.count();
        for (long r = 0; r < count; r++) {
            if (accumulate) {
                addRun(t, ss, r * len, os, offset + c.at(0), step, len);
            } else {
                copyRun(ss, r * len, 1, os, offset + c.at(0), step, len, es);
            }
            c.advance();
        }
    }

    /** {@code d[di + i·dstep] = s[si + i·sstep]} for {@code i < len}, as raw elements of {@code es} bytes. */
    static void copyRun(MemorySegment s, long si, long sstep, MemorySegment d, long di, long dstep, long len, int es) {
        if (sstep == 1 && dstep == 1) {
            MemorySegment.copy(s, si * es, d, di * es, len * es);
            return;
        }
        switch (es) {
            case 1 -> {
                for (long i = 0; i < len; i++) {
                    d.set(JAVA_BYTE, di + i * dstep, s.get(JAVA_BYTE, si + i * sstep));
                }
            }
            case 4 -> {
                for (long i = 0; i < len; i++) {
                    d.setAtIndex(JAVA_INT, di + i * dstep, s.getAtIndex(JAVA_INT, si + i * sstep));
                }
            }
            default -> {
                for (long i = 0; i < len; i++) {
                    d.setAtIndex(JAVA_LONG, di + i * dstep, s.getAtIndex(JAVA_LONG, si + i * sstep));
                }
            }
        }
    }

    /** {@code d[di + i·dstep] += s[si + i]} for {@code i < len}, in the dtype {@code t} (not bool). */
    static void addRun(DType t, MemorySegment s, long si, MemorySegment d, long di, long dstep, long len) {
        switch (t) {
            case FLOAT32 -> {
                for (long i = 0; i < len; i++) {
                    long p = di + i * dstep;
                    d.setAtIndex(JAVA_FLOAT, p, d.getAtIndex(JAVA_FLOAT, p) + s.getAtIndex(JAVA_FLOAT, si + i));
                }
            }
            case FLOAT64 -> {
                for (long i = 0; i < len; i++) {
                    long p = di + i * dstep;
                    d.setAtIndex(JAVA_DOUBLE, p, d.getAtIndex(JAVA_DOUBLE, p) + s.getAtIndex(JAVA_DOUBLE, si + i));
                }
            }
            case INT32 -> {
                for (long i = 0; i < len; i++) {
                    long p = di + i * dstep;
                    d.setAtIndex(JAVA_INT, p, d.getAtIndex(JAVA_INT, p) + s.getAtIndex(JAVA_INT, si + i));
                }
            }
            case INT64 -> {
                for (long i = 0; i < len; i++) {
                    long p = di + i * dstep;
                    d.setAtIndex(JAVA_LONG, p, d.getAtIndex(JAVA_LONG, p) + s.getAtIndex(JAVA_LONG, si + i));
                }
            }
            case BOOL -> throw Unsupported.of("accumulate", t);
        }
    }
}
