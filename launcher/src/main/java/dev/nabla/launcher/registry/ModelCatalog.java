package dev.nabla.launcher.registry;

import dev.nabla.api.flow.Flow;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.FlowProvider;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.launcher.UsageException;
import dev.nabla.api.spi.Config;
import dev.nabla.models.distributions.StandardNormal;
import dev.nabla.models.flows.Flows;
import dev.nabla.models.flows.TransformedDistribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The models {@code nabla train MODEL} builds, all density models over a standard-normal base:
 * <ul>
 *   <li>the built-in stacks {@code realnvp}, {@code maf} and {@code iaf} ({@link Flows#model}; keys
 *       {@code blocks}, {@code hidden}, {@code layers}, {@code activation}, {@code dtype}, {@code actnorm},
 *       {@code batchnorm}, {@code net});</li>
 *   <li>any other flow name offered by a {@link FlowProvider} on the module path (a plugin's too): a stack of
 *       {@code blocks} (default 4) of that flow, with a {@code reverse} between consecutive blocks. The
 *       flow is built with {@code dim} and the remaining keys; {@code dtype} (float32) also sets the base's.</li>
 * </ul>
 */
public final class ModelCatalog {
    private final ProviderRegistry<FlowProvider> flows;

    /** A catalog whose flow stacks come from {@code flows}. */
    public ModelCatalog(ProviderRegistry<FlowProvider> flows) {
        this.flows = flows;
    }

    /** The built-in whole-model names. */
    public Set<String> builtIn() {
        return new TreeSet<>(Flows.MODELS);
    }

    /** Every flow name that can be stacked into a model (the built-in model names excluded). */
    public Set<String> stackable() {
        Set<String> s = new TreeSet<>(flows.names());
        s.removeAll(Flows.MODELS);
        return s;
    }

    /** Every model name {@link #build} accepts. */
    public Set<String> names() {
        Set<String> s = new TreeSet<>(builtIn());
        s.addAll(stackable());
        return s;
    }

    /**
     * Builds model {@code name} for {@code dim}-dimensional data.
     *
     * @param config the model's keys (without {@code dim}); values may be strings as typed on a command line
     * @throws UsageException           for an unknown model name (listing the valid ones)
     * @throws IllegalArgumentException for a bad key or value (naming it)
     */
    public TransformedDistribution build(String name, int dim, Map<String, Object> config, TensorFactory f,
            Generator g) {
        if (Flows.MODELS.contains(name)) {
            Map<String, Object> c = new LinkedHashMap<>(config);
            c.put("dim", dim);
            return Flows.model(name, f, g, c);
        }
        if (!flows.contains(name)) {
            throw UsageException.unknown("model", name, names());
        }
        Config keys = Config.keys(name, config, config.keySet());   // the flow itself checks which keys it takes
        int blocks = keys.positiveIntOr("blocks", 4);
        DType dtype = keys.dtypeOr("dtype", "float32");
        Map<String, Object> c = new LinkedHashMap<>(config);
        c.remove("blocks");
        c.put("dim", dim);
        FlowProvider p = flows.provider(name);
        List<Flow> layers = new ArrayList<>();
        FlowProvider reverse = flows.contains("reverse") ? flows.provider("reverse") : null;
        try {
            for (int k = 0; k < blocks; k++) {
                layers.add(p.create(name, new BuildContext(f, g, c)));
                if (k + 1 < blocks && reverse != null) {
                    layers.add(reverse.create("reverse", new BuildContext(f, g, Map.of("dim", dim))));
                }
            }
        } catch (RuntimeException e) {
            layers.forEach(Flow::close);
            throw e;
        }
        return new TransformedDistribution(new StandardNormal(f, dim, dtype), layers);
    }
}
