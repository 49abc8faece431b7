package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import java.lang.foreign.MemorySegment;

/**
 * What the fused recurrent cells share: element access to a float32 or float64 segment (arithmetic in
 * double, rounded once on store), and the backend's sigmoid and tanh loops over a contiguous range —
 * the Vector API loops when the backend uses them, else the plain ones, so that a fused cell applies the
 * very same nonlinearities as the composed ops.
 */
final class CellLoops {
    final boolean f32;
    final UnaryRows.Loop sigmoid;
    final UnaryRows.Loop tanh;

    private CellLoops(DType dtype, boolean vector) {
        this.f32 = dtype == DType.FLOAT32;
        this.sigmoid = loop(UnaryOp.SIGMOID, dtype, vector);
        this.tanh = loop(UnaryOp.TANH, dtype, vector);
    }

    private static UnaryRows.Loop loop(UnaryOp op, DType dtype, boolean vector) {
        UnaryRows.Loop v = vector ? VectorSupport.unary(op, dtype) : null;
        return v != null ? v : UnaryRows.of(op, dtype);
    }

    /** The loops for {@code dtype} (float32 or float64), Vector API ones if {@code vector}. */
    static CellLoops of(DType dtype, boolean vector) {
        return new CellLoops(dtype, vector);
    }

    double get(MemorySegment s, long i) {
        return f32 ? s.getAtIndex(JAVA_FLOAT, i) : s.getAtIndex(JAVA_DOUBLE, i);
    }

    void set(MemorySegment s, long i, double v) {
        if (f32) {
            s.setAtIndex(JAVA_FLOAT, i, (float) v);
        } else {
            s.setAtIndex(JAVA_DOUBLE, i, v);
        }
    }

    /** Copies {@code n} elements from {@code src[from]} to {@code dst[to]}. */
    void copy(MemorySegment src, long from, MemorySegment dst, long to, long n) {
        long bytes = f32 ? 4 : 8;
        MemorySegment.copy(src, from * bytes, dst, to * bytes, n * bytes);
    }
}
