package dev.nabla.api.backend;

import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;

/**
 * The closed list of primitive kernels a backend implements. Everything else in Nabla — softmax,
 * layer norm, convolution, every gradient — is composed from these in {@code api}, once, for every
 * backend. A third party writes a backend by implementing this interface (and {@link Backend}), then
 * proves it with the conformance kit ({@code dev.nabla.tck}).
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Every storage is dense and row-major for the logical shape passed with it. Kernels write their
 *       result into an {@code out} storage that the caller allocated with {@link #allocate} (of the
 *       right dtype and size); {@code out} may be the same storage as an input only where a method
 *       says so. This is what lets optimizers update parameters in place with no allocation.</li>
 *   <li>The caller (the tensor layer) has already validated shapes, axes, dtypes and index ranges, and
 *       has aligned the ranks of broadcast operands; kernels need not re-check, but must not crash the
 *       JVM on any input.</li>
 *   <li>Zero-size storages and rank-0 (scalar) shapes are legal everywhere.</li>
 *   <li>A kernel (or a dtype of one) the backend does not support throws
 *       {@link dev.nabla.api.types.UnsupportedKernelException}.</li>
 * </ul>
 */
public interface Kernels {

    // ------------------------------------------------------------------ memory

    /** A new storage of {@code size} elements of {@code dtype}, filled with zeros. */
    Storage allocate(DType dtype, long size);

    /**
     * A new storage holding a copy of a Java array; the dtype follows the array type:
     * {@code float[]} float32, {@code double[]} float64, {@code int[]} int32, {@code long[]} int64,
     * {@code boolean[]} bool.
     */
    Storage fromArray(Object array);

    /**
     * A copy of the storage's contents as a Java array of the type matching its dtype (see
     * {@link #fromArray}).
     */
    Object toArray(Storage storage);

    /** Sets every element of {@code out} to {@code value} converted to its dtype (non-zero is true for bool). */
    void fill(Storage out, double value);

    /** Copies {@code src} into {@code out}; same dtype and size. */
    void copy(Storage src, Storage out);

    /**
     * Converts {@code src} elementwise into {@code out}'s dtype (same size). Float to integer truncates
     * toward zero; to bool is {@code x != 0}; bool to number is 0 or 1.
     */
    void cast(Storage src, Storage out);

    // ------------------------------------------------------------------ elementwise

    /** {@code out[i] = op(x[i])}; {@code out} may be {@code x}. */
    void unary(UnaryOp op, Storage x, Storage out);

    /**
     * {@code out[idx] = op(a[idx'], b[idx''])} with NumPy broadcasting: {@code aShape}, {@code bShape}
     * and {@code outShape} have the same rank, and each axis of {@code a} and {@code b} has either the
     * size of {@code outShape} on that axis or size 1 (then it is repeated). {@code out} may be
     * {@code a} or {@code b} when that operand's shape equals {@code outShape}.
     */
    void binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Storage out, Shape outShape);

    /**
     * {@code out = cond ? a : b} elementwise with broadcasting as in {@link #binary}; {@code cond} is
     * bool, {@code a}, {@code b} and {@code out} share a dtype. All four shapes have the same rank.
     */
    void where(Storage cond, Shape condShape, Storage a, Shape aShape, Storage b, Shape bShape,
               Storage out, Shape outShape);

    // ------------------------------------------------------------------ reductions and scans

    /**
     * Reduces {@code x} (logical shape {@code shape}) over {@code axes} (sorted, distinct, in
     * {@code [0, rank)}; possibly empty, then it is a copy) into {@code out}, whose logical shape is
     * {@code shape} with every reduced axis set to 1.
     */
    void reduce(ReduceOp op, Storage x, Shape shape, int[] axes, Storage out);

    /**
     * Index of the maximum ({@code max == true}) or minimum of {@code x} along {@code axis}, the first
     * one on ties, into {@code out} (int64; {@code shape} with {@code axis} set to 1). NaN counts as
     * larger than everything for max and smaller than everything for min (NumPy's choice).
     */
    void argReduce(boolean max, Storage x, Shape shape, int axis, Storage out);

    /** Inclusive cumulative sum of {@code x} along {@code axis} into {@code out} (same shape and dtype). */
    void cumsum(Storage x, Shape shape, int axis, Storage out);

    // ------------------------------------------------------------------ linear algebra

    /**
     * Batched matrix product, float32 or float64. {@code aShape} is {@code [..., m, k]} (or
     * {@code [..., k, m]} when {@code transposeA}, meaning the kernel uses its transpose), {@code bShape}
     * is {@code [..., k, n]} (or {@code [..., n, k]} when {@code transposeB}), both of rank at least 2
     * and of equal rank; their batch axes broadcast as in {@link #binary} to {@code outShape}'s batch
     * axes, and {@code outShape} is {@code [batch..., m, n]}. {@code out} is distinct from the inputs.
     */
    void matmul(Storage a, Shape aShape, boolean transposeA, Storage b, Shape bShape, boolean transposeB,
                Storage out, Shape outShape);

    // ------------------------------------------------------------------ layout

    /**
     * Gathers a strided view of {@code x} into the dense {@code out}:
     * {@code out[i_0, …, i_{r-1}] = x[offset + Σ_d i_d · strides[d]]} for every index of
     * {@code outShape}. Strides may be 0 (broadcast) or negative (flip); every addressed element lies
     * inside {@code x}. Transposes, slices with steps, flips, broadcasts and convolution windows are
     * all this one kernel.
     */
    void stridedRead(Storage x, long offset, long[] strides, Shape outShape, Storage out);

    /**
     * The adjoint of {@link #stridedRead}: for every index of {@code srcShape},
     * {@code out[offset + Σ_d i_d · strides[d]] (+)= src[i]}. With {@code accumulate} the values are
     * added (positions addressed several times receive the sum — the gradient of overlapping
     * windows); without it they are assigned (positions are then addressed at most once). Elements
     * of {@code out} not addressed are left unchanged.
     */
    void stridedWrite(Storage src, Shape srcShape, Storage out, long offset, long[] strides, boolean accumulate);

    // ------------------------------------------------------------------ indexing

    /**
     * Selects along one axis: {@code out[..., j, ...] = x[..., index[j], ...]} where {@code index} is
     * int64 with {@code count} entries, each in {@code [0, shape[axis])}; {@code out} has {@code shape}
     * with {@code axis} set to {@code count}.
     */
    void indexSelect(Storage x, Shape shape, int axis, Storage index, Storage out);

    /**
     * The adjoint of {@link #indexSelect}: {@code out[..., index[j], ...] += src[..., j, ...]}, where
     * {@code src} has {@code outShape} with {@code axis} set to the number of indices; repeated indices
     * accumulate. {@code out} keeps its other contents.
     */
    void indexAdd(Storage src, Storage index, int axis, Storage out, Shape outShape);

    /**
     * PyTorch's gather: {@code out[i..., j, k...] = x[i..., index[i..., j, k...], k...]} along
     * {@code axis}, where {@code index} is int64 of {@code indexShape} (same rank as {@code shape},
     * each non-axis size at most that of {@code shape}) and {@code out} has {@code indexShape}.
     */
    void gather(Storage x, Shape shape, int axis, Storage index, Shape indexShape, Storage out);

    /**
     * The adjoint of {@link #gather}: {@code out[i..., index[i..., j, k...], k...] += src[i..., j, k...]},
     * with {@code src} and {@code index} of {@code indexShape}; repeated indices accumulate.
     * {@code out} keeps its other contents.
     */
    void scatterAdd(Storage src, Storage index, Shape indexShape, int axis, Storage out, Shape outShape);
}
