package dev.nabla.api.backend;

/**
 * The reductions a backend implements over a set of axes (see {@link Kernels#reduce}).
 * They apply to float32, float64, int32 and int64 and keep the dtype.
 */
public enum ReduceOp {
    /** Sum; the sum over an empty set is 0. */
    SUM,
    /** Maximum; NaN if any element is NaN. Reducing an empty axis is rejected by the tensor layer. */
    MAX,
    /** Minimum; NaN if any element is NaN. Reducing an empty axis is rejected by the tensor layer. */
    MIN
}
