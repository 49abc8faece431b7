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
 *       {@code batchnorm}, {@code net} — RealNVP's conditioner, any layer of the handed {@link Components});</li>
 *   <li>a stack of any other flow the handed components offer (a plugin's too): {@code blocks} (default 4)
 *       of that flow, with a {@code reverse} between consecutive blocks; the flow is built with {@code dim}
 *       and the remaining keys, and {@code dtype} (float32) also sets the base's. Flows without parameters
 *       ({@code permute}, {@code reverse}) are not offered, and a stack that turns out to have no
 *       parameters is refused.</li>
 * </ul>
 * Data sets: the 2-D toy sets of the {@link DataCatalog}.
 */
public final class FlowFamily implements ModelFamily {
    /** The family's name. */
    public static final String NAME = "flows";
    /** The models' own flows that have no parameters, so a stack of them trains nothing. */
    static final Set<String> PARAMETER_FREE = Set.of("permute", "reverse");

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
            out.add(new ModelInfo(m, "built-in stack (dev.nabla.models)", ToyDatasets.NAMES));
        }
        for (String f : stackable(components)) {
            out.add(new ModelInfo(f, "a stack of '" + f + "' flows (" + components.flowOrigin(f) + ")", ToyDatasets.NAMES));
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
        if (!DataCatalog.isToy(dataset)) {
            throw new IllegalArgumentException("unknown data set '" + dataset + "'; valid: " + String.join(", ", ToyDatasets.NAMES));
        }
        return DataCatalog.splits(dataset, seed);
    }

    /** {@code {"dim": D}}, the size of one example. */
    @Override
    public Map<String, Object> describe(String dataset, DataSplits data) {
        return Map.of("dim", (long) data.train().exampleShape(Dataset.X).size());
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
            c.put("dim", dim);
            return Flows.stateBytes(r.model(), c);
        }
        return java.util.OptionalLong.empty();
    }

    @Override
    public FamilyModel build(ModelRequest r) {
        int dim = dim(r);
        TransformedDistribution model;
        if (Flows.MODELS.contains(r.model())) {
            Map<String, Object> c = new LinkedHashMap<>(r.keys());
            c.put("dim", dim);
            model = Flows.model(r.model(), r.tensors(), r.random(), c, r.components().layers());
        } else if (stackable(r.components()).contains(r.model())) {
            model = stack(r, dim);
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
        return new FlowModel(r.model(), model);
    }

    private static TransformedDistribution stack(ModelRequest r, int dim) {
        Components parts = r.components();
        Config keys = Config.keys(r.model(), r.keys(), r.keys().keySet());   // the flow itself checks which keys it takes
        int blocks = keys.intIn("blocks", 1, Flows.MAX_BLOCKS, 4);
        DType dtype = keys.dtypeOr("dtype", "float32");
        Map<String, Object> c = new LinkedHashMap<>(r.keys());
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
