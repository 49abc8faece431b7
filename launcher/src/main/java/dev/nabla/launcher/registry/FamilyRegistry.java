package dev.nabla.launcher.registry;

import dev.nabla.api.flow.Flow;
import dev.nabla.api.nn.Layer;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.FlowProvider;
import dev.nabla.api.spi.LayerProvider;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.launcher.UsageException;
import dev.nabla.models.family.Components;
import dev.nabla.models.family.ModelFamily;
import dev.nabla.models.family.ModelInfo;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The model families found on the module path ({@link ModelFamily} through {@link java.util.ServiceLoader}),
 * the models each offers and which family builds each model name, and the {@link Components} handed to
 * them: the layers and flows of the launcher's own provider registries, so a family sees exactly what
 * {@code nabla list} shows (plugins included) and never looks a service up itself. Families of Nabla's
 * own modules come first; a model name offered twice is built by the first family and the other is
 * recorded as shadowed.
 */
public final class FamilyRegistry {
    /**
     * One model and the family that builds it.
     *
     * @param info    the model, as its family describes it
     * @param family  the family
     * @param module  the family's module
     * @param shadows modules whose families also offer this name but lose to {@code module}
     */
    public record Model(ModelInfo info, ModelFamily family, String module, List<String> shadows) {
    }

    private final ProviderRegistry<ModelFamily> families;
    private final Components components;
    private final Map<String, Model> models = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    /** The families of {@code families}, handed components made from {@code layers} and {@code flows}. */
    public FamilyRegistry(ProviderRegistry<ModelFamily> families, ProviderRegistry<LayerProvider> layers,
            ProviderRegistry<FlowProvider> flows) {
        this.families = families;
        this.components = new RegistryComponents(layers, flows);
        errors.addAll(families.loadErrors());
        for (ProviderRegistry.Entry<ModelFamily> e : families.entries()) {
            List<ModelInfo> offered;
            try {
                offered = e.provider().models(components);
            } catch (RuntimeException ex) {
                errors.add("model family " + e.name() + " (" + e.module() + ") failed to list its models: " + ex);
                continue;
            }
            for (ModelInfo m : offered) {
                Model old = models.get(m.name());
                if (old == null) {
                    models.put(m.name(), new Model(m, e.provider(), e.module(), new ArrayList<>()));
                } else {
                    old.shadows().add(e.module());
                }
            }
        }
    }

    /** The families, sorted by name. */
    public List<ProviderRegistry.Entry<ModelFamily>> families() {
        return families.entries();
    }

    /** Every model, in family order, each family's in its own order. */
    public List<Model> models() {
        return Collections.unmodifiableList(new ArrayList<>(models.values()));
    }

    /** Every model name, sorted. */
    public Set<String> names() {
        return new TreeSet<>(models.keySet());
    }

    /**
     * The model {@code name}.
     *
     * @throws UsageException naming the valid models when no family offers it
     */
    public Model model(String name) {
        Model m = models.get(name);
        if (m == null) {
            throw UsageException.unknown("model", name, names());
        }
        return m;
    }

    /**
     * The family named {@code name}.
     *
     * @throws UsageException naming the families found when there is none of that name
     */
    public ModelFamily family(String name) {
        return families.provider(name);
    }

    /** The components every family is handed. */
    public Components components() {
        return components;
    }

    /** Families that failed to load or to list their models, as messages. */
    public List<String> loadErrors() {
        return List.copyOf(errors);
    }

    /** Components over the launcher's registries. */
    private record RegistryComponents(ProviderRegistry<LayerProvider> layerRegistry,
            ProviderRegistry<FlowProvider> flowRegistry)
            implements Components {
        @Override
        public Set<String> layerNames() {
            return layerRegistry.names();
        }

        @Override
        public Layer layer(Map<String, ?> config, TensorFactory tensors, Generator random) {
            if (!(config.get("type") instanceof String type)) {
                throw new IllegalArgumentException("layer config needs a string 'type'; got keys " + config.keySet());
            }
            if (!layerRegistry.contains(type)) {
                throw new IllegalArgumentException("unknown layer type '" + type + "'; known: " + layerRegistry.names());
            }
            Map<String, Object> rest = new LinkedHashMap<>(config);
            rest.remove("type");
            return layerRegistry.provider(type).create(type, new BuildContext(tensors, random, rest));
        }

        @Override
        public Set<String> flowNames() {
            return flowRegistry.names();
        }

        @Override
        public Flow flow(String name, Map<String, ?> config, TensorFactory tensors, Generator random) {
            if (!flowRegistry.contains(name)) {
                throw new IllegalArgumentException("unknown flow '" + name + "'; known: " + flowRegistry.names());
            }
            return flowRegistry.provider(name).create(name, new BuildContext(tensors, random, new LinkedHashMap<>(config)));
        }

        @Override
        public String flowOrigin(String name) {
            for (ProviderRegistry.Entry<FlowProvider> e : flowRegistry.entries()) {
                if (e.name().equals(name)) {
                    return e.module();
                }
            }
            return "unknown";
        }
    }
}
