package dev.nabla.launcher.command;

import dev.nabla.api.spi.FlowProvider;
import dev.nabla.api.spi.LayerProvider;
import dev.nabla.api.spi.TrainerProvider;
import dev.nabla.launcher.registry.FamilyRegistry;
import dev.nabla.launcher.registry.ProviderRegistry;
import dev.nabla.launcher.wiring.LauncherConfig;
import dev.nabla.models.family.ModelFamily;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code nabla list}: the model families with their models and the data sets those fit, the models
 * {@code nabla train} accepts, and the layers, flows and trainers offered by every provider on the module
 * path, each with the module that provides it (plugins included) and any other module whose offer of the
 * same name it shadows.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the model families, models, data sets, layers, flows and trainers found (plugins included).")
public final class ListCommand implements Callable<Integer> {
    private final FamilyRegistry families;
    private final ProviderRegistry<LayerProvider> layers;
    private final ProviderRegistry<FlowProvider> flows;
    private final ProviderRegistry<TrainerProvider> trainers;
    private final LauncherConfig config;

    /** Created by Guice. */
    @Inject
    ListCommand(FamilyRegistry families, ProviderRegistry<LayerProvider> layers, ProviderRegistry<FlowProvider> flows,
            ProviderRegistry<TrainerProvider> trainers, LauncherConfig config) {
        this.families = families;
        this.layers = layers;
        this.flows = flows;
        this.trainers = trainers;
        this.config = config;
    }

    @Override
    public Integer call() {
        PrintStream out = config.out();
        out.println("model families:");
        Map<String, Map<List<String>, List<String>>> byFamily = new LinkedHashMap<>();
        for (FamilyRegistry.Model m : families.models()) {
            byFamily.computeIfAbsent(m.family().name(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(m.info().datasets(), k -> new ArrayList<>()).add(m.info().name());
        }
        for (ProviderRegistry.Entry<ModelFamily> e : families.families()) {
            out.printf("  %s (%s): %s%n", e.name(), e.module(), e.provider().description());
            byFamily.getOrDefault(e.name(), Map.of()).forEach((datasets, models) ->
                    out.printf("    %s  on  %s%n", String.join(", ", models), String.join(", ", datasets)));
        }
        out.println("models (nabla train MODEL):");
        for (FamilyRegistry.Model m : families.models()) {
            out.printf("  %-18s %s [%s]%s%n", m.info().name(), m.info().description(), m.family().name(),
                    m.shadows().isEmpty() ? "" : " (also in " + String.join(", ", m.shadows()) + ", unused)");
        }
        out.println("data sets (--dataset):");
        Map<List<String>, List<String>> datasets = new LinkedHashMap<>();
        for (FamilyRegistry.Model m : families.models()) {
            List<String> fam = datasets.computeIfAbsent(m.info().datasets(), k -> new ArrayList<>());
            if (!fam.contains(m.family().name())) {
                fam.add(m.family().name());
            }
        }
        datasets.forEach((names, fams) -> out.printf("  %s (%s)%n", String.join(", ", names), String.join(", ", fams)));
        section(out, "layers", layers);
        section(out, "flows", flows);
        section(out, "trainers (--trainer)", trainers);
        for (ProviderRegistry.Entry<TrainerProvider> e : trainers.entries()) {   // e.g. spark without Spark's jars
            dev.nabla.api.spi.Availability a = e.provider().availability();
            if (!a.available()) {
                out.printf("  %-28s %s%n", "unavailable: " + e.name(), a.reason());
            }
        }
        List<String> errors = new ArrayList<>();
        errors.addAll(families.loadErrors());
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
