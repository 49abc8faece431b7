package dev.nabla.models.flows;

import dev.nabla.api.flow.Flow;
import dev.nabla.api.spi.Config;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.data.ToyDatasets;
import dev.nabla.models.family.Components;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.ModelFamily;
import dev.nabla.models.family.ModelInfo;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.flows.density.StandardNormal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The normalizing flows as a model family ({@code "flows"}): density models over a standard-normal base,
 * trained by maximum likelihood ({@code mle}, the default) or distilled from a teacher run
 * ({@code distill}), sampled as points with their log-probabilities, evaluated in nats and nats/dim.
 * Models:
 * <ul>
 *   <li>the built-in stacks {@code realnvp}, {@code maf} and {@code iaf} ({@link Flows#model}; keys
 *       {@code blocks}, {@code hidden}, {@code layers}, {@code activation}, {@code dtype}, {@code actnorm},
 *       {@code batchnorm}, {@code net} — RealNVP's conditioner, any layer of the handed {@link Components});
 *       every other key is refused by name, and {@code dim}, which comes from the data set, with that reason;</li>
 *   <li>a stack of any other flow the handed components offer (a plugin's too): {@code blocks} (default 4)
 *       of that flow, with a {@code reverse} between consecutive blocks; the flow is built with {@code dim}
 *       and the remaining keys, and {@code dtype} (float32) also sets the base's. Flows without parameters
 *       ({@code permute}, {@code reverse}) are not offered, and a stack that turns out to have no
 *       parameters is refused.</li>
 * </ul>
 * Data sets: the 2-D toy sets of the {@link DataCatalog} and Fashion-MNIST (784 values in logit space;
 * the key {@code limit} keeps the first N images, for quick runs), whose samples are 28×28 images.
 */
public final class FlowFamily implements ModelFamily {
    /** The family's name. */
    public static final String NAME = "flows";
    /** The models' own flows that have no parameters, so a stack of them trains nothing. */
    static final Set<String> PARAMETER_FREE = Set.of("permute", "reverse");
    /** The data sets: the 2-D toy sets and Fashion-MNIST. */
    static final List<String> DATASETS = datasets();
    /** The key of the data, not the model: how many Fashion-MNIST images to use. */
    static final String LIMIT = "limit";

    private static List<String> datasets() {
        List<String> d = new ArrayList<>(ToyDatasets.NAMES);
        d.add(DataCatalog.FASHION_MNIST);
        return List.copyOf(d);
    }

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public FlowFamily() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "normalizing flows: density models over a standard-normal base (trainers mle, distill)";
    }

    @Override
    public List<ModelInfo> models(Components components) {
        List<ModelInfo> out = new ArrayList<>();
        for (String m : new TreeSet<>(Flows.MODELS)) {
            out.add(new ModelInfo(m, "built-in stack (dev.nabla.models)", DATASETS));
        }
        for (String f : stackable(components)) {
            out.add(new ModelInfo(f, "a stack of '" + f + "' flows (" + components.flowOrigin(f) + ")", DATASETS));
        }
        return out;
    }

    /** Every flow name that can be stacked into a model: not a built-in model, not known to be parameter-free. */
    private static Set<String> stackable(Components components) {
        Set<String> s = new TreeSet<>(components.flowNames());
        s.removeAll(Flows.MODELS);
        s.removeAll(PARAMETER_FREE);
        return s;
    }

    @Override
    public DataSplits data(String dataset, long seed) {
        return data(dataset, seed, Map.of());
    }

    /** The data set; for Fashion-MNIST only the first {@code limit} images when that key is set. */
    @Override
    public DataSplits data(String dataset, long seed, Map<String, Object> keys) {
        if (!DATASETS.contains(dataset)) {
            throw new IllegalArgumentException("unknown data set '" + dataset + "'; valid: " + String.join(", ", DATASETS));
        }
        return DataCatalog.splits(dataset, seed, limit(dataset, keys));
    }

    /** The {@code limit} key (0 if unset); refused for any data set but Fashion-MNIST. */
    private static int limit(String dataset, Map<String, ?> keys) {
        if (!keys.containsKey(LIMIT)) {
            return 0;
        }
        if (!DataCatalog.FASHION_MNIST.equals(dataset)) {
            throw new IllegalArgumentException("key 'limit' applies to " + DataCatalog.FASHION_MNIST + " only, not " + dataset);
        }
        return Config.keys("flows", Map.of(LIMIT, keys.get(LIMIT)), Set.of(LIMIT)).positiveIntOr(LIMIT, 0);
    }

    /**
     * {@code {"dim": D}}, the size of one example, and for Fashion-MNIST {@code "height"} and
     * {@code "width"} (28), so its samples are drawn as images.
     */
    @Override
    public Map<String, Object> describe(String dataset, DataSplits data) {
        long dim = data.train().exampleShape(Dataset.X).size();
        if (DataCatalog.FASHION_MNIST.equals(dataset)) {
            return Map.of("dim", dim, "height", 28L, "width", 28L);
        }
        return Map.of("dim", dim);
    }

    /** The data's dimension from the request, checked to be an integer in [1, {@link Flows#MAX_DIM}]. */
    private static int dim(ModelRequest r) {
        Object d = r.data().get("dim");
        if (!(d instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1
                || n.doubleValue() > Flows.MAX_DIM) {
            throw new IllegalArgumentException("flows: the data description needs an integer 'dim' from 1 to "
                    + Flows.MAX_DIM + ", got " + dev.nabla.models.checkpoint.Json.abbreviate(String.valueOf(r.data()), 200));
        }
        return n.intValue();
    }

    /** For the built-in models ({@link Flows#stateBytes}); unknown for stacks of other flows. */
    @Override
    public java.util.OptionalLong stateBytes(ModelRequest r) {
        int dim = dim(r);
        if (Flows.MODELS.contains(r.model())) {
            Map<String, Object> c = new LinkedHashMap<>(r.keys());
            c.remove(LIMIT);   // a key of the data, not of the model
            c.put("dim", dim);
            return Flows.stateBytes(r.model(), c);
        }
        return java.util.OptionalLong.empty();
    }

    @Override
    public FamilyModel build(ModelRequest r) {
        int dim = dim(r);
        if (r.keys().containsKey("dim")) {   // the data decides it; a key that would be ignored is refused
            throw new IllegalArgumentException("key 'dim' cannot be set: it comes from the data set ("
                    + r.dataset() + " has dim " + dim + ")");
        }
        limit(r.dataset(), r.keys());   // a key of the data: checked, then not handed to the flows
        Map<String, Object> keys = new LinkedHashMap<>(r.keys());
        keys.remove(LIMIT);
        TransformedDistribution model;
        if (Flows.MODELS.contains(r.model())) {
            Map<String, Object> c = new LinkedHashMap<>(keys);
            c.put("dim", dim);
            model = Flows.model(r.model(), r.tensors(), r.random(), c, r.components().layers());
        } else if (stackable(r.components()).contains(r.model())) {
            model = stack(r, keys, dim);
        } else {
            Set<String> valid = new TreeSet<>(Flows.MODELS);
            valid.addAll(stackable(r.components()));
            throw new IllegalArgumentException("unknown model '" + r.model() + "'; valid: " + String.join(", ", valid));
        }
        if (model.namedParameters().isEmpty()) {
            model.close();
            throw new IllegalArgumentException("model '" + r.model() + "' has no trainable parameters; valid models with "
                    + "parameters: " + String.join(", ", new TreeSet<>(Flows.MODELS)));
        }
        int[] image = r.data().get("height") instanceof Number h && r.data().get("width") instanceof Number w
                && h.intValue() * w.intValue() == dim ? new int[] {h.intValue(), w.intValue()} : null;
        return new FlowModel(r.model(), model, image);
    }

    private static TransformedDistribution stack(ModelRequest r, Map<String, Object> given, int dim) {
        Components parts = r.components();
        Config keys = Config.keys(r.model(), given, given.keySet());   // the flow itself checks which keys it takes
        int blocks = keys.intIn("blocks", 1, Flows.MAX_BLOCKS, 4);
        DType dtype = keys.dtypeOr("dtype", "float32");
        Map<String, Object> c = new LinkedHashMap<>(given);
        c.remove("blocks");
        c.put("dim", dim);
        boolean reverse = parts.flowNames().contains("reverse");
        List<Flow> layers = new ArrayList<>();
        try {
            for (int k = 0; k < blocks; k++) {
                layers.add(parts.flow(r.model(), c, r.tensors(), r.random()));
                if (k + 1 < blocks && reverse) {
                    layers.add(parts.flow("reverse", Map.of("dim", dim), r.tensors(), r.random()));
                }
            }
        } catch (RuntimeException e) {
            layers.forEach(Flow::close);
            throw e;
        }
        return new TransformedDistribution(new StandardNormal(r.tensors(), dim, dtype), layers);
    }
}
