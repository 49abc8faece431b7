package dev.nabla.models.optim;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Device;
import dev.nabla.api.types.Shape;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kernels that forward every call to the reference backend's and count the calls that create a
 * storage ({@code allocate}, {@code fromArray}): the test that optimizer steps allocate nothing.
 */
public final class CountingKernels implements Kernels {
    private final Kernels k;
    /** Storages created so far. */
    public final AtomicLong allocations = new AtomicLong();

    /** A backend over the reference kernels that counts allocations in {@code counter}. */
    public static Backend backend(CountingKernels[] counter) {
        Backend reference = dev.nabla.api.Nabla.backend("reference");
        CountingKernels kernels = new CountingKernels(reference.kernels());
        counter[0] = kernels;
        return new Backend() {
            @Override
            public String name() {
                return "counting";
            }

            @Override
            public Device device() {
                return reference.device();
            }

            @Override
            public Kernels kernels() {
                return kernels;
            }
        };
    }

    CountingKernels(Kernels k) {
        this.k = k;
    }

    @Override
    public Storage allocate(DType dtype, long size) {
        allocations.incrementAndGet();
        return k.allocate(dtype, size);
    }

    @Override
    public Storage fromArray(Object array) {
        allocations.incrementAndGet();
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
