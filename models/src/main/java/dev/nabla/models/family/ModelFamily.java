package dev.nabla.models.family;

import dev.nabla.models.data.DataSplits;

import java.util.List;
import java.util.Map;

/**
 * A family of models offered to the {@code nabla} command (and to any other host): its models, the
 * data sets they fit, how to build one from {@code --set} keys, and — through the {@link FamilyModel}
 * it builds — how it trains, what {@code sample} shows and what {@code eval} reports. The command
 * finds families with {@link java.util.ServiceLoader} ({@code provides dev.nabla.models.family.ModelFamily
 * with …} in a {@code module-info}), so a plugin adds one by dropping its jar on the module path. The
 * normalizing flows are the first family ({@code dev.nabla.models.flows.FlowFamily}).
 *
 * <p>A family is handed what it needs ({@link Components}: the layers and flows the host found); it
 * does not look services up itself. A provider class needs a public no-argument constructor.
 */
public interface ModelFamily {
    /** The family's name ({@code "flows"}), unique on the module path. */
    String name();

    /** One line on what the family is, for {@code nabla list}. */
    String description();

    /**
     * The models the family offers with these components (a flow family offers a stack of every
     * trainable flow it is handed), each with the data sets it fits.
     */
    List<ModelInfo> models(Components components);

    /**
     * The training, validation and test sets of data set {@code dataset}, drawn from {@code seed}
     * (from the shared {@link dev.nabla.models.data.DataCatalog} or the family's own).
     *
     * @throws IllegalArgumentException naming the valid data sets for one the family does not know
     */
    DataSplits data(String dataset, long seed);

    /**
     * As {@link #data(String, long)} for a model built with {@code keys} (its {@code --set} keys), which
     * may include keys of the data rather than the model (the flows' {@code limit}, a subset of an image
     * set). By default the keys are not looked at.
     */
    default DataSplits data(String dataset, long seed, Map<String, Object> keys) {
        return data(dataset, seed);
    }

    /**
     * What a model must know about the data to be built (the dimension of a point, a vocabulary), as
     * JSON values: recorded in the run's checkpoint and handed back in {@link ModelRequest#data()} when
     * the model is rebuilt for {@code sample}, {@code eval} or {@code --resume}, without the data.
     */
    Map<String, Object> describe(String dataset, DataSplits data);

    /**
     * Builds {@code request.model()} from its keys, with freshly initialised parameters.
     *
     * @throws IllegalArgumentException naming an unknown model, an unknown key (and the valid keys) or a bad value
     */
    FamilyModel build(ModelRequest request);

    /**
     * The bytes {@link FamilyModel#state()} of the model {@link #build} would make from {@code request}
     * take (parameters and buffers), computed from the keys alone, without allocating anything: what a
     * host checks against the memory there is before it builds a model ({@code --set hidden=40000}), and
     * against the tensors of a checkpoint before it rebuilds the model its {@code model_config} describes.
     * Empty when the family cannot tell (the default); then the host relies on the family's own bounds.
     *
     * @throws IllegalArgumentException as {@link #build} would for an unknown model, key or a bad value
     */
    default java.util.OptionalLong stateBytes(ModelRequest request) {
        return java.util.OptionalLong.empty();
    }
}
