package dev.nabla.launcher.registry;

import dev.nabla.launcher.UsageException;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.ToyDatasets;

import java.util.List;
import java.util.Locale;

/**
 * The data sets {@code nabla train --dataset} knows. All are generated from the seed in memory (no
 * download): the two-dimensional toy densities of {@link ToyDatasets} ({@code moons}, {@code circles},
 * {@code 8gaussians}, {@code pinwheel}, {@code 2spirals}, {@code checkerboard}), each as 10,000
 * training, 2,000 validation and 2,000 test points.
 */
public final class DatasetCatalog {
    /** The known names. */
    public List<String> names() {
        return ToyDatasets.NAMES;
    }

    /**
     * Checks that {@code name} is known.
     *
     * @throws UsageException naming the valid data sets for an unknown name
     */
    public void require(String name) {
        if (name == null || !ToyDatasets.NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            throw UsageException.unknown("data set", name, names());
        }
    }

    /**
     * The splits of {@code name} drawn from {@code seed}.
     *
     * @throws UsageException naming the valid data sets for an unknown name
     */
    public DataSplits load(String name, long seed) {
        require(name);
        return ToyDatasets.splits(name.toLowerCase(Locale.ROOT), seed);
    }
}
