package dev.nabla.models.family;

import dev.nabla.models.data.DataSplits;

import java.util.Map;
import java.util.Set;

/**
 * One data set of a {@link TableFamily}: how to load its splits and what a model must know about
 * it to be built (a vocabulary). Adding a data set is adding one of
 * these to the family's list of data sets ({@link SequenceDataSets} holds the shared ones).
 *
 * @param name      the name {@code --dataset} takes
 * @param dataKeys  {@code --set} keys that belong to the data, not to the model (the family takes them out
 *                  before it checks the model's keys); may be empty
 * @param loader    loads the splits
 * @param describer describes them for {@link dev.nabla.models.family.ModelFamily#describe}
 */
public record DataSpec(String name, Set<String> dataKeys, Loader loader, Describer describer) {
    /** Loads the training, validation and test splits. */
    @FunctionalInterface
    public interface Loader {
        /**
         * The splits.
         *
         * @param seed the run's seed (for generated data sets)
         * @param keys every {@code --set} key of the run (the model's too: a data set may read one it shares
         *             with the model, such as {@code bptt}, or its own {@code dataKeys})
         * @return the splits
         * @throws IllegalArgumentException naming a bad key value
         */
        DataSplits load(long seed, Map<String, Object> keys);
    }

    /** What a model must know about the data to be built, as JSON values. */
    @FunctionalInterface
    public interface Describer {
        /**
         * The description.
         *
         * @param data the splits {@link Loader#load} gave
         * @return JSON values (numbers, strings, lists, maps)
         */
        Map<String, Object> describe(DataSplits data);
    }

    /** Copies the key set. */
    public DataSpec {
        dataKeys = Set.copyOf(dataKeys);
    }
}
