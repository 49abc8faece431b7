package dev.nabla.models.spi;

import dev.nabla.api.flow.Flow;
import dev.nabla.api.nn.Layer;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.FlowProvider;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.family.Components;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link Components} made from every {@link dev.nabla.api.spi.LayerProvider} and {@link FlowProvider}
 * that {@link ServiceLoader} finds (this module's first), for code that builds family models without
 * the {@code nabla} command: {@code new FlowFamily().build(new ModelRequest(…, ServiceComponents.load()))}.
 */
public final class ServiceComponents implements Components {
    private final Map<String, FlowProvider> flows;

    private ServiceComponents(Map<String, FlowProvider> flows) {
        this.flows = flows;
    }

    /** The providers found now. */
    public static ServiceComponents load() {
        Map<String, FlowProvider> flows = new LinkedHashMap<>();
        for (FlowProvider p : ServiceLoader.load(FlowProvider.class, ServiceComponents.class.getClassLoader())) {
            boolean own = p.getClass().getModule() == ServiceComponents.class.getModule();
            for (String n : p.names()) {
                if (own) {
                    flows.put(n, p);
                } else {
                    flows.putIfAbsent(n, p);
                }
            }
        }
        return new ServiceComponents(flows);
    }

    @Override
    public Set<String> layerNames() {
        return Layers.names();
    }

    @Override
    public Layer layer(Map<String, ?> config, TensorFactory tensors, Generator random) {
        return Layers.build(config, tensors, random);
    }

    @Override
    public Set<String> flowNames() {
        return new TreeSet<>(flows.keySet());
    }

    @Override
    public Flow flow(String name, Map<String, ?> config, TensorFactory tensors, Generator random) {
        FlowProvider p = flows.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown flow '" + name + "'; known: " + flowNames());
        }
        return p.create(name, new BuildContext(tensors, random, new LinkedHashMap<>(config)));
    }

    @Override
    public String flowOrigin(String name) {
        FlowProvider p = flows.get(name);
        Module m = p == null ? null : p.getClass().getModule();
        return m == null ? "unknown" : m.isNamed() ? m.getName() : "unnamed";
    }
}
