package dev.nabla.models.loss;

/** How a loss combines its per-element values, as PyTorch's {@code reduction=} argument. */
public enum Reduction {
    /** The mean over the elements (over the non-ignored targets for cross-entropy). */
    MEAN,
    /** The sum over the elements. */
    SUM,
    /** No reduction: one value per element (per sample for cross-entropy). */
    NONE
}
