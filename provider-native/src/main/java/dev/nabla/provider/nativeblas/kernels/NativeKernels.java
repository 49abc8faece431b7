package dev.nabla.provider.nativeblas.kernels;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.nativeblas.memory.DeviceMemory;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * The native backend's {@link Kernels}: storages from a {@link DeviceMemory}, matrix products
 * through a {@link Gemm} (OpenBLAS on the CPU), everything else in Java loops over off-heap
 * segments, split across cores by a {@link Parallel} for large tensors. This class checks that every
 * storage is a live {@link NativeStorage} and dispatches to one class per kernel family. It
 * {@linkplain NativeStorage#pin pins} the storage a kernel writes and
 * {@linkplain NativeStorage#verify verifies} the ones it read once it is done, so that a storage
 * released by another thread meanwhile fails with {@link dev.nabla.api.types.ReleasedTensorException}
 * instead of yielding someone else's values.
 *
 * <p>Semantics are the reference backend's, held to them by the conformance kit: exactly for integer
 * and boolean results (integer division floors and throws on zero, casts truncate toward zero, int32
 * wraps) and for NaN handling (NaN propagates through max and min); floating results agree within the
 * kit's tolerances, not bit for bit. In particular floating sums (and means) accumulate in plain
 * {@code double}, in an order that depends on the loop, the Vector API lanes and the split across
 * cores, whereas the reference uses compensated (Neumaier) summation: where cancellation loses the
 * small terms the results differ — the float64 sum of {@code [1e16, 1, -1e16]} is 0 here and 1 on the
 * reference. On the plain loops float32 transcendental functions are the float64 results
 * rounded; on the Vector API loops ({@link VectorSupport}) exp, log, tanh and sigmoid are computed in
 * float32 by {@link LaneMath}'s formulas, within 1 ulp (exp, log), 1.5 (tanh) and 2.5 (sigmoid) of the
 * true value.
 *
 * <p>Determinism: the same inputs give the same bits on every call in every run of a given machine and
 * thread count — on the plain loops and on the Vector API loops alike, whether those run interpreted or
 * compiled (no kernel uses an operation the Vector API leaves to the implementation). Splits across cores
 * are fixed by the sizes and the thread count, never by timing.
 */
public final class NativeKernels implements Kernels {
    private final DeviceMemory memory;
    private final MemoryKernels mem;
    private final Elementwise elementwise;
    private final Reductions reductions;
    private final MatMul matmul;
    private final Layout layout;
    private final Indexing indexing;
    private final Parallel parallel;
    private final boolean vector;

    /**
     * Kernels over {@code memory}, with {@code gemm} for matrix products and {@code parallel} for
     * splitting large tensors, on the Vector API loops when {@link VectorSupport#requested()}.
     */
    public NativeKernels(DeviceMemory memory, Gemm gemm, Parallel parallel) {
        this(memory, gemm, parallel, VectorSupport.requested());
    }

    /**
     * As {@link #NativeKernels(DeviceMemory, Gemm, Parallel)}, with the float loops of the Vector API
     * if {@code vector} (and they are {@linkplain VectorSupport#available() available}), else plain loops.
     */
    public NativeKernels(DeviceMemory memory, Gemm gemm, Parallel parallel, boolean vector) {
        this.memory = memory;
        this.parallel = parallel;
        this.vector = vector && VectorSupport.available();
        this.mem = new MemoryKernels(memory, parallel);
        this.elementwise = new Elementwise(parallel, this.vector);
        this.reductions = new Reductions(parallel, this.vector);
        this.matmul = new MatMul(gemm);
        this.layout = new Layout(parallel);
        this.indexing = new Indexing(parallel);
    }

    /** Whether the float loops are the Vector API's. */
    public boolean vector() {
        return vector;
    }

    // ------------------------------------------------------------------ memory

    @Override
    public Storage allocate(DType dtype, long size) {
        return memory.allocate(dtype, size);
    }

    @Override
    public Storage fromArray(Object array) {
        return mem.fromArray(array);
    }

    @Override
    public Object toArray(Storage storage) {
        NativeStorage s = NativeStorage.of(storage);
        Object values;
        try {
            values = mem.toArray(s);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("toArray", e, s);
        }
        NativeStorage.verify("toArray", s);
        return values;
    }

    @Override
    public void fill(Storage out, double value) {
        NativeStorage o = NativeStorage.pin(out);
        try {
            mem.fill(o, value);
        } finally {
            o.unpin();
        }
    }

    @Override
    public void copy(Storage src, Storage out) {
        NativeStorage s = NativeStorage.of(src);
        NativeStorage o = NativeStorage.pin(out);
        try {
            mem.copy(s, o);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("copy", e, s, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("copy", s);
    }

    @Override
    public void cast(Storage src, Storage out) {
        NativeStorage s = NativeStorage.of(src);
        NativeStorage o = NativeStorage.pin(out);
        try {
            mem.cast(s, o);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("cast", e, s, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("cast", s);
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, Storage x, Storage out) {
        NativeStorage in = NativeStorage.of(x);
        NativeStorage o = NativeStorage.pin(out);
        try {
            unary(op, in, o);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("unary " + op, e, in, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("unary", in);
    }

    private void unary(UnaryOp op, NativeStorage in, NativeStorage o) {
        UnaryRows.Loop vectorLoop = vector ? VectorSupport.unary(op, in.dtype()) : null;
        UnaryRows.Loop loop = vectorLoop != null ? vectorLoop : UnaryRows.of(op, in.dtype());
        if (loop == null) {
            throw Unsupported.of("unary", op, in.dtype());
        }
        // cost per element relative to a copy, for where to split across cores; the vector loops'
        // exp/log/tanh (LaneMath's formulas) measured 1.5 to 2.5 times a copy, the plain Math.exp/tanh about ten times
        long weight = switch (op) {
            case NEG, ABS, SIGN, RELU, FLOOR, LOGICAL_NOT -> 1;
            case ERF -> 32;
            default -> vectorLoop != null ? 2 : 8;
        };
        MemorySegment xs = in.segment();
        MemorySegment os = o.overwrite();
        parallel.forRange(o.size(), weight, (from, to) -> loop.run(xs, os, from, to));
    }

    @Override
    public void binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Storage out, Shape outShape) {
        NativeStorage x = NativeStorage.of(a);
        NativeStorage y = NativeStorage.of(b);
        NativeStorage o = NativeStorage.pin(out);
        try {
            elementwise.binary(op, x, aShape, y, bShape, o, outShape);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("binary " + op, e, x, y, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("binary", x, y);
    }

    @Override
    public void where(Storage cond, Shape condShape, Storage a, Shape aShape, Storage b, Shape bShape,
                      Storage out, Shape outShape) {
        NativeStorage c = NativeStorage.of(cond);
        NativeStorage x = NativeStorage.of(a);
        NativeStorage y = NativeStorage.of(b);
        NativeStorage o = NativeStorage.pin(out);
        try {
            elementwise.where(c, condShape, x, aShape, y, bShape, o, outShape);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("where", e, c, x, y, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("where", c, x, y);
    }

    // ------------------------------------------------------------------ reductions and scans

    @Override
    public void reduce(ReduceOp op, Storage x, Shape shape, int[] axes, Storage out) {
        NativeStorage in = NativeStorage.of(x);
        NativeStorage o = NativeStorage.pin(out);
        try {
            reductions.reduce(op, in, shape, axes, o);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("reduce " + op, e, in, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("reduce", in);
    }

    @Override
    public void argReduce(boolean max, Storage x, Shape shape, int axis, Storage out) {
        NativeStorage in = NativeStorage.of(x);
        NativeStorage o = NativeStorage.pin(int64(out, max ? "argmax" : "argmin"));
        try {
            reductions.argReduce(max, in, shape, axis, o);
        } catch (RuntimeException e) {
            throw NativeStorage.failure(max ? "argmax" : "argmin", e, in, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify(max ? "argmax" : "argmin", in);
    }

    @Override
    public void cumsum(Storage x, Shape shape, int axis, Storage out) {
        NativeStorage in = NativeStorage.of(x);
        NativeStorage o = NativeStorage.pin(out);
        try {
            reductions.cumsum(in, shape, axis, o);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("cumsum", e, in, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("cumsum", in);
    }

    // ------------------------------------------------------------------ linear algebra

    @Override
    public void matmul(Storage a, Shape aShape, boolean transposeA, Storage b, Shape bShape, boolean transposeB,
                       Storage out, Shape outShape) {
        NativeStorage x = NativeStorage.of(a);
        NativeStorage y = NativeStorage.of(b);
        NativeStorage o = NativeStorage.pin(out);
        try {
            matmul.matmul(x, aShape, transposeA, y, bShape, transposeB, o, outShape);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("matmul", e, x, y, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("matmul", x, y);
    }

    // ------------------------------------------------------------------ layout

    @Override
    public void stridedRead(Storage x, long offset, long[] strides, Shape outShape, Storage out) {
        NativeStorage in = NativeStorage.of(x);
        NativeStorage o = NativeStorage.pin(out);
        try {
            layout.stridedRead(in, offset, strides, outShape, o);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("stridedRead", e, in, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("stridedRead", in);
    }

    @Override
    public void stridedWrite(Storage src, Shape srcShape, Storage out, long offset, long[] strides, boolean accumulate) {
        NativeStorage in = NativeStorage.of(src);
        NativeStorage o = NativeStorage.pin(out);
        try {
            layout.stridedWrite(in, srcShape, o, offset, strides, accumulate);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("stridedWrite", e, in, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("stridedWrite", in);
    }

    // ------------------------------------------------------------------ indexing

    @Override
    public void indexSelect(Storage x, Shape shape, int axis, Storage index, Storage out) {
        NativeStorage in = NativeStorage.of(x);
        NativeStorage i = int64(index, "indexSelect");
        NativeStorage o = NativeStorage.pin(out);
        try {
            indexing.indexSelect(in, shape, axis, i, o);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("indexSelect", e, in, i, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("indexSelect", in, i);
    }

    @Override
    public void indexAdd(Storage src, Storage index, int axis, Storage out, Shape outShape) {
        NativeStorage in = NativeStorage.of(src);
        NativeStorage i = int64(index, "indexAdd");
        NativeStorage o = NativeStorage.pin(out);
        try {
            indexing.indexAdd(in, i, axis, o, outShape);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("indexAdd", e, in, i, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("indexAdd", in, i);
    }

    @Override
    public void gather(Storage x, Shape shape, int axis, Storage index, Shape indexShape, Storage out) {
        NativeStorage in = NativeStorage.of(x);
        NativeStorage i = int64(index, "gather");
        NativeStorage o = NativeStorage.pin(out);
        try {
            indexing.gather(in, shape, axis, i, indexShape, o);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("gather", e, in, i, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("gather", in, i);
    }

    @Override
    public void scatterAdd(Storage src, Storage index, Shape indexShape, int axis, Storage out, Shape outShape) {
        NativeStorage in = NativeStorage.of(src);
        NativeStorage i = int64(index, "scatterAdd");
        NativeStorage o = NativeStorage.pin(out);
        try {
            indexing.scatterAdd(in, i, indexShape, axis, o, outShape);
        } catch (RuntimeException e) {
            throw NativeStorage.failure("scatterAdd", e, in, i, o);
        } finally {
            o.unpin();
        }
        NativeStorage.verify("scatterAdd", in, i);
    }

    private static NativeStorage int64(Storage s, String kernel) {
        NativeStorage n = NativeStorage.of(s);
        if (n.dtype() != DType.INT64) {
            throw Unsupported.of(kernel + " (index/result operand)", n.dtype());
        }
        return n;
    }
}
