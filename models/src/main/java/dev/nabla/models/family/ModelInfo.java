package dev.nabla.models.family;

import java.util.List;

/**
 * One model a {@link ModelFamily} offers.
 *
 * @param name        the name {@code nabla train NAME} takes
 * @param description one line for {@code nabla list} ({@code "built-in stack (dev.nabla.models)"})
 * @param datasets    the data sets it fits, in the order to list them
 */
public record ModelInfo(String name, String description, List<String> datasets) {
    /** Copies the list. */
    public ModelInfo {
        datasets = List.copyOf(datasets);
    }
}
