package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * The broadcasting elementwise kernels, {@code binary} and {@code where}: the operands are laid out
 * as rows by {@link Broadcast} and each row is handed to a row kernel chosen once per call. Large
 * outputs are split across cores — by rows, or within the single row of equal shapes or a scalar
 * operand. Every row reads element {@code i} of an operand aliasing {@code out} before writing
 * element {@code i}, so in-place use is safe where the contract allows it.
 */
final class Elementwise {
    /**
     * Rows shorter than this take the plain loop even where a Vector API loop exists: at 16 elements
     * both take about 0.02–0.03 µs once compiled, but until C2 has compiled the vector loop (tens of
     * thousands of calls) each of its vector operations allocates and runs a scalar fallback, about a
     * microsecond for a 16-element add, while the plain loop is fast already in C1. Profiles of
     * 16-element adds (the per-op benchmarks) showed exactly that warm-up.
     */
    static final int SMALL_ROW = 32;

    private final Parallel parallel;
    private final boolean vector;

    /** Kernels split by {@code parallel}, with the Vector API rows of float operands if {@code vector}. */
    Elementwise(Parallel parallel, boolean vector) {
        this.parallel = parallel;
        this.vector = vector;
    }

    void binary(BinaryOp op, NativeStorage a, Shape aShape, NativeStorage b, Shape bShape, NativeStorage out,
                Shape outShape) {
        DType dtype = a.dtype();
        BinaryRows.Row plainRow = BinaryRows.of(op, dtype);
        BinaryRows.Row vectorRow = vector ? VectorSupport.binary(op, dtype) : null;
        BinaryRows.Row row = vectorRow != null ? vectorRow : plainRow;
        if (row == null) {
            throw Unsupported.of("binary", op, dtype);
        }
        if (out.size() == 0) {
            return;
        }
        MemorySegment sa = a.segment();
        MemorySegment sb = b.segment();
        MemorySegment so = out.overwrite();
        long n = out.size();
        // fast paths without a plan: operands that walk the output one to one, or a single element
        if ((a.size() == n || a.size() == 1) && (b.size() == n || b.size() == 1)
                && (a.size() == 1 || aShape.equals(outShape)) && (b.size() == 1 || bShape.equals(outShape))) {
            int as = a.size() == 1 && n > 1 ? 0 : 1;
            int bs = b.size() == 1 && n > 1 ? 0 : 1;
            if (n < SMALL_ROW && plainRow != null) {
                plainRow.run(sa, 0, as, sb, 0, bs, so, 0, n);
            } else if (n < Parallel.GRAIN) {
                row.run(sa, 0, as, sb, 0, bs, so, 0, n);
            } else {
                parallel.forRange(n, (from, to) ->
                        row.run(sa, from * as, as, sb, from * bs, bs, so, from, to - from));
            }
            return;
        }
        Broadcast plan = Broadcast.of(outShape, aShape, bShape);
        int as = plan.step(1);
        int bs = plan.step(2);
        long len = plan.length();
        BinaryRows.Row rowLoop = len < SMALL_ROW && plainRow != null ? plainRow : row;
        if (plan.rows() == 1) {
            parallel.forRange(len, (from, to) ->
                    rowLoop.run(sa, from * as, as, sb, from * bs, bs, so, from, to - from));
            return;
        }
        parallel.forRange(plan.rows(), len, (from, to) -> {
            Odometer rows = plan.rowOdometer();
            rows.seek(from);
            for (long r = from; r < to; r++) {
                rowLoop.run(sa, rows.at(1), as, sb, rows.at(2), bs, so, rows.at(0), len);
                rows.advance();
            }
        });
    }

    /**
     * A row of {@code where}: {@code o[oi + i] = c[ci + i] != 0 ? a[ai + i·as] : b[bi + i·bs]} for
     * {@code i < len}, with steps {@code as, bs} of 1 or 0.
     */
    @FunctionalInterface
    interface WhereRow {
        /** Runs the row. */
        void run(MemorySegment c, long ci, MemorySegment a, long ai, int as, MemorySegment b, long bi, int bs,
                 MemorySegment o, long oi, long len);
    }

    void where(NativeStorage cond, Shape condShape, NativeStorage a, Shape aShape, NativeStorage b, Shape bShape,
               NativeStorage out, Shape outShape) {
        if (cond.dtype() != DType.BOOL) {
            throw Unsupported.of("where (condition operand)", cond.dtype());
        }
        if (out.size() == 0) {
            return;
        }
        int size = out.dtype().byteSize();
        MemorySegment sc = cond.segment();
        MemorySegment sa = a.segment();
        MemorySegment sb = b.segment();
        MemorySegment so = out.overwrite();
        long n = out.size();
        WhereRow row = vector ? VectorSupport.where(out.dtype()) : null;
        // the vector fast path: the condition walks the output, each value operand walks it or is one element
        if (row != null && condShape.equals(outShape) && (aShape.equals(outShape) || a.size() == 1)
                && (bShape.equals(outShape) || b.size() == 1)) {
            int as = aShape.equals(outShape) ? 1 : 0;
            int bs = bShape.equals(outShape) ? 1 : 0;
            parallel.forRange(n, (from, to) ->
                    row.run(sc, from, sa, from * as, as, sb, from * bs, bs, so, from, to - from));
            return;
        }
        // the plain fast path without a plan: the same operands, split within the single row
        if (condShape.equals(outShape) && (aShape.equals(outShape) || a.size() == 1)
                && (bShape.equals(outShape) || b.size() == 1)) {
            int as = aShape.equals(outShape) ? 1 : 0;
            int bs = bShape.equals(outShape) ? 1 : 0;
            parallel.forRange(n, (from, to) ->
                    whereRow(size, sc, from, 1, sa, from * as, as, sb, from * bs, bs, so, from, to - from));
            return;
        }
        Broadcast plan = Broadcast.of(outShape, condShape, aShape, bShape);
        int cs = plan.step(1);
        int as = plan.step(2);
        int bs = plan.step(3);
        long len = plan.length();
        parallel.forRange(plan.rows(), len, (from, to) -> {
            Odometer rows = plan.rowOdometer();
            rows.seek(from);
            for (long r = from; r < to; r++) {
                whereRow(size, sc, rows.at(1), cs, sa, rows.at(2), as, sb, rows.at(3), bs, so, rows.at(0), len);
                rows.advance();
            }
        });
    }

    /** The plain row of {@code where} for elements of {@code size} bytes, the condition stepping by {@code cs}. */
    private static void whereRow(int size, MemorySegment sc, long ci, int cs, MemorySegment sa, long ai, int as,
                                 MemorySegment sb, long bi, int bs, MemorySegment so, long oi, long len) {
        switch (size) {
            case 1 -> {
                for (long i = 0; i < len; i++) {
                    so.set(JAVA_BYTE, oi + i, sc.get(JAVA_BYTE, ci + i * cs) != 0
                            ? sa.get(JAVA_BYTE, ai + i * as) : sb.get(JAVA_BYTE, bi + i * bs));
                }
            }
            case 4 -> {
                for (long i = 0; i < len; i++) {
                    so.setAtIndex(JAVA_INT, oi + i, sc.get(JAVA_BYTE, ci + i * cs) != 0
                            ? sa.getAtIndex(JAVA_INT, ai + i * as) : sb.getAtIndex(JAVA_INT, bi + i * bs));
                }
            }
            default -> {
                for (long i = 0; i < len; i++) {
                    so.setAtIndex(JAVA_LONG, oi + i, sc.get(JAVA_BYTE, ci + i * cs) != 0
                            ? sa.getAtIndex(JAVA_LONG, ai + i * as) : sb.getAtIndex(JAVA_LONG, bi + i * bs));
                }
            }
        }
    }
}
