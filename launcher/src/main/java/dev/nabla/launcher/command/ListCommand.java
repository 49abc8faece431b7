package dev.nabla.launcher.command;

import dev.nabla.api.spi.FlowProvider;
import dev.nabla.api.spi.LayerProvider;
import dev.nabla.api.spi.TrainerProvider;
import dev.nabla.launcher.registry.DatasetCatalog;
import dev.nabla.launcher.registry.ModelCatalog;
import dev.nabla.launcher.registry.ProviderRegistry;
import dev.nabla.launcher.wiring.LauncherConfig;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code nabla list}: the models {@code nabla train} accepts, the data sets, and the layers, flows and
 * trainers offered by every provider on the module path, each with the module that provides it
 * (plugins included) and any other module whose offer of the same name it shadows.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the models, data sets, layers, flows and trainers found (plugins included).")
public final class ListCommand implements Callable<Integer> {
    private final ModelCatalog models;
    private final DatasetCatalog datasets;
    private final ProviderRegistry<LayerProvider> layers;
    private final ProviderRegistry<FlowProvider> flows;
    private final ProviderRegistry<TrainerProvider> trainers;
    private final LauncherConfig config;

    /** Created by Guice. */
    @Inject
    ListCommand(ModelCatalog models, DatasetCatalog datasets, ProviderRegistry<LayerProvider> layers,
            ProviderRegistry<FlowProvider> flows, ProviderRegistry<TrainerProvider> trainers, LauncherConfig config) {
        this.models = models;
        this.datasets = datasets;
        this.layers = layers;
        this.flows = flows;
        this.trainers = trainers;
        this.config = config;
    }

    @Override
    public Integer call() {
        PrintStream out = config.out();
        out.println("models (nabla train MODEL):");
        for (String m : models.builtIn()) {
            out.printf("  %-18s built-in stack (dev.nabla.models)%n", m);
        }
        java.util.Set<String> stackable = models.stackable();
        for (ProviderRegistry.Entry<FlowProvider> e : flows.entries()) {
            if (stackable.contains(e.name())) {
                out.printf("  %-18s a stack of '%s' flows (%s)%n", e.name(), e.name(), e.module());
            }
        }
        out.println("data sets (--dataset):");
        out.println("  " + String.join(", ", datasets.names()));
        section(out, "layers", layers);
        section(out, "flows", flows);
        section(out, "trainers (--trainer)", trainers);
        List<String> errors = new ArrayList<>();
        errors.addAll(layers.loadErrors());
        errors.addAll(flows.loadErrors());
        errors.addAll(trainers.loadErrors());
        for (String e : errors) {
            config.err().println("warning: " + e);
        }
        return 0;
    }

    private static <P> void section(PrintStream out, String title, ProviderRegistry<P> registry) {
        out.println(title + ":");
        Map<String, List<String>> byModule = new TreeMap<>();
        for (ProviderRegistry.Entry<P> e : registry.entries()) {
            String name = e.name() + (e.shadows().isEmpty() ? "" : " (also in " + String.join(", ", e.shadows()) + ", unused)");
            byModule.computeIfAbsent(e.module(), k -> new ArrayList<>()).add(name);
        }
        if (byModule.isEmpty()) {
            out.println("  (none)");
        }
        byModule.forEach((module, names) -> out.printf("  %-28s %s%n", module + ":", String.join(", ", names)));
    }
}
