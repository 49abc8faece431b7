package dev.nabla.tck;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.FusedKernels;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Device;
import dev.nabla.api.types.Shape;
import java.util.function.UnaryOperator;

/**
 * {@link Kernels} that forward every call to another set: the base for test doubles of a backend. A
 * subclass overrides the calls it wants to change — to count allocations, to track live storages, to
 * break one kernel on purpose and see that the conformance kit notices.
 *
 * <pre>{@code
 * // given: Backend myBackend
 * Backend noErf = ForwardingKernels.backend("without-erf", myBackend, k -> new ForwardingKernels(k) {
 *     public void unary(UnaryOp op, Storage x, Storage out) {
 *         if (op == UnaryOp.ERF) throw new UnsupportedKernelException("erf");
 *         super.unary(op, x, out);
 *     }
 * });
 * }</pre>
 */
public class ForwardingKernels implements Kernels {
    private final Kernels k;

    /** Kernels forwarding every call to {@code k}. */
    public ForwardingKernels(Kernels k) {
        this.k = k;
    }

    /**
     * A backend named {@code name} on {@code base}'s device whose kernels are {@code change} applied to
     * {@code base}'s kernels (fused kernels are not offered, so the composed paths are exercised).
     */
    public static Backend backend(String name, Backend base, UnaryOperator<Kernels> change) {
        return backend(name, base, change, FusedKernels.none());
    }

    /**
     * As {@link #backend(String, Backend, UnaryOperator)}, offering the fused kernels {@code fused} (for
     * example a deliberately wrong one, to see that the conformance kit notices).
     */
    public static Backend backend(String name, Backend base, UnaryOperator<Kernels> change, FusedKernels fused) {
        Kernels kernels = change.apply(base.kernels());
        return new Backend() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Device device() {
                return base.device();
            }

            @Override
            public Kernels kernels() {
                return kernels;
            }

            @Override
            public FusedKernels fusedKernels() {
                return fused;
            }
        };
    }

    @Override
    public Storage allocate(DType dtype, long size) {
        return k.allocate(dtype, size);
    }

    @Override
    public Storage fromArray(Object array) {
        return k.fromArray(array);
    }

    @Override
    public Object toArray(Storage storage) {
        return k.toArray(storage);
    }

    @Override
    public void fill(Storage out, double value) {
        k.fill(out, value);
    }

    @Override
    public void copy(Storage src, Storage out) {
        k.copy(src, out);
    }

    @Override
    public void cast(Storage src, Storage out) {
        k.cast(src, out);
    }

    @Override
    public void unary(UnaryOp op, Storage x, Storage out) {
        k.unary(op, x, out);
    }

    @Override
    public void binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Storage out, Shape outShape) {
        k.binary(op, a, aShape, b, bShape, out, outShape);
    }

    @Override
    public void where(Storage cond, Shape condShape, Storage a, Shape aShape, Storage b, Shape bShape,
                      Storage out, Shape outShape) {
        k.where(cond, condShape, a, aShape, b, bShape, out, outShape);
    }

    @Override
    public void reduce(ReduceOp op, Storage x, Shape shape, int[] axes, Storage out) {
        k.reduce(op, x, shape, axes, out);
    }

    @Override
    public void argReduce(boolean max, Storage x, Shape shape, int axis, Storage out) {
        k.argReduce(max, x, shape, axis, out);
    }

    @Override
    public void cumsum(Storage x, Shape shape, int axis, Storage out) {
        k.cumsum(x, shape, axis, out);
    }

    @Override
    public void matmul(Storage a, Shape aShape, boolean transposeA, Storage b, Shape bShape, boolean transposeB,
                       Storage out, Shape outShape) {
        k.matmul(a, aShape, transposeA, b, bShape, transposeB, out, outShape);
    }

    @Override
    public void stridedRead(Storage x, long offset, long[] strides, Shape outShape, Storage out) {
        k.stridedRead(x, offset, strides, outShape, out);
    }

    @Override
    public void stridedWrite(Storage src, Shape srcShape, Storage out, long offset, long[] strides,
                             boolean accumulate) {
        k.stridedWrite(src, srcShape, out, offset, strides, accumulate);
    }

    @Override
    public void indexSelect(Storage x, Shape shape, int axis, Storage index, Storage out) {
        k.indexSelect(x, shape, axis, index, out);
    }

    @Override
    public void indexAdd(Storage src, Storage index, int axis, Storage out, Shape outShape) {
        k.indexAdd(src, index, axis, out, outShape);
    }

    @Override
    public void gather(Storage x, Shape shape, int axis, Storage index, Shape indexShape, Storage out) {
        k.gather(x, shape, axis, index, indexShape, out);
    }

    @Override
    public void scatterAdd(Storage src, Storage index, Shape indexShape, int axis, Storage out, Shape outShape) {
        k.scatterAdd(src, index, indexShape, axis, out, outShape);
    }
}
