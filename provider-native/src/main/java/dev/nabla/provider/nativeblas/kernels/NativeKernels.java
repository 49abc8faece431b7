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
 * storage is a live {@link NativeStorage} and dispatches to one class per kernel family.
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
        return mem.toArray(NativeStorage.of(storage));
    }

    @Override
    public void fill(Storage out, double value) {
        mem.fill(NativeStorage.of(out), value);
    }

    @Override
    public void copy(Storage src, Storage out) {
        mem.copy(NativeStorage.of(src), NativeStorage.of(out));
    }

    @Override
    public void cast(Storage src, Storage out) {
        mem.cast(NativeStorage.of(src), NativeStorage.of(out));
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, Storage x, Storage out) {
        NativeStorage in = NativeStorage.of(x);
        NativeStorage o = NativeStorage.of(out);
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
        elementwise.binary(op, NativeStorage.of(a), aShape, NativeStorage.of(b), bShape, NativeStorage.of(out),
                outShape);
    }

    @Override
    public void where(Storage cond, Shape condShape, Storage a, Shape aShape, Storage b, Shape bShape,
                      Storage out, Shape outShape) {
        elementwise.where(NativeStorage.of(cond), condShape, NativeStorage.of(a), aShape, NativeStorage.of(b),
                bShape, NativeStorage.of(out), outShape);
    }

    // ------------------------------------------------------------------ reductions and scans

    @Override
    public void reduce(ReduceOp op, Storage x, Shape shape, int[] axes, Storage out) {
        reductions.reduce(op, NativeStorage.of(x), shape, axes, NativeStorage.of(out));
    }

    @Override
    public void argReduce(boolean max, Storage x, Shape shape, int axis, Storage out) {
        reductions.argReduce(max, NativeStorage.of(x), shape, axis, int64(out, max ? "argmax" : "argmin"));
    }

    @Override
    public void cumsum(Storage x, Shape shape, int axis, Storage out) {
        reductions.cumsum(NativeStorage.of(x), shape, axis, NativeStorage.of(out));
    }

    // ------------------------------------------------------------------ linear algebra

    @Override
    public void matmul(Storage a, Shape aShape, boolean transposeA, Storage b, Shape bShape, boolean transposeB,
                       Storage out, Shape outShape) {
        matmul.matmul(NativeStorage.of(a), aShape, transposeA, NativeStorage.of(b), bShape, transposeB,
                NativeStorage.of(out), outShape);
    }

    // ------------------------------------------------------------------ layout

    @Override
    public void stridedRead(Storage x, long offset, long[] strides, Shape outShape, Storage out) {
        layout.stridedRead(NativeStorage.of(x), offset, strides, outShape, NativeStorage.of(out));
    }

    @Override
    public void stridedWrite(Storage src, Shape srcShape, Storage out, long offset, long[] strides, boolean accumulate) {
        layout.stridedWrite(NativeStorage.of(src), srcShape, NativeStorage.of(out), offset, strides, accumulate);
    }

    // ------------------------------------------------------------------ indexing

    @Override
    public void indexSelect(Storage x, Shape shape, int axis, Storage index, Storage out) {
        indexing.indexSelect(NativeStorage.of(x), shape, axis, int64(index, "indexSelect"), NativeStorage.of(out));
    }

    @Override
    public void indexAdd(Storage src, Storage index, int axis, Storage out, Shape outShape) {
        indexing.indexAdd(NativeStorage.of(src), int64(index, "indexAdd"), axis, NativeStorage.of(out), outShape);
    }

    @Override
    public void gather(Storage x, Shape shape, int axis, Storage index, Shape indexShape, Storage out) {
        indexing.gather(NativeStorage.of(x), shape, axis, int64(index, "gather"), indexShape, NativeStorage.of(out));
    }

    @Override
    public void scatterAdd(Storage src, Storage index, Shape indexShape, int axis, Storage out, Shape outShape) {
        indexing.scatterAdd(NativeStorage.of(src), int64(index, "scatterAdd"), indexShape, axis,
                NativeStorage.of(out), outShape);
    }

    private static NativeStorage int64(Storage s, String kernel) {
        NativeStorage n = NativeStorage.of(s);
        if (n.dtype() != DType.INT64) {
            throw Unsupported.of(kernel + " (index/result operand)", n.dtype());
        }
        return n;
    }
}
