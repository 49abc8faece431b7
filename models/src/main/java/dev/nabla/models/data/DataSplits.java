package dev.nabla.models.data;

import java.util.Objects;

/**
 * A data set divided into disjoint training, validation and test parts.
 *
 * @param train      what the optimizer sees
 * @param validation what early stopping and model selection see
 * @param test       what the final numbers are reported on
 */
public record DataSplits(Dataset train, Dataset validation, Dataset test) {
    /** Checks that no part is missing. */
    public DataSplits {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
    }
}
