package dev.nabla.launcher.command;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.Availability;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.api.spi.Backends;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.BackendRegistry;
import dev.nabla.launcher.wiring.LauncherConfig;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/**
 * {@code nabla backends}: every backend provider found on the module path, its priority, whether it is
 * available and why (for {@code native}: the BLAS library loaded and the threads used), the device of
 * each available one, and which one would be selected and why.
 */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the backends found, their availability and device, and which one is selected.")
public final class BackendsCommand implements Callable<Integer> {
    private final BackendRegistry registry;
    private final LauncherConfig config;

    @Option(names = "--backend", paramLabel = "NAME", description = "Show the selection as if this backend were requested.")
    String backend;

    /** Created by Guice. */
    @Inject
    BackendsCommand(BackendRegistry registry, LauncherConfig config) {
        this.registry = registry;
        this.config = config;
    }

    @Override
    public Integer call() {
        PrintStream out = config.out();
        if (registry.providers().isEmpty()) {
            throw new UsageException("no backend found on the module path; add a provider jar (nabla-provider-reference)");
        }
        String selected = null;
        String why;
        try {
            Backends.Selection s = registry.select(backend);
            selected = s.provider().name();
            why = s.reason();
        } catch (UsageException e) {
            why = e.getMessage();
        }
        out.printf("%-12s %8s  %-11s  %-8s  %s%n", "backend", "priority", "status", "device", "details");
        for (BackendProvider p : registry.providers()) {
            Availability a = p.availability();
            String device = "-";
            if (a.available()) {
                try {
                    Backend b = Backends.get(p.name());
                    device = b.device().toString();
                } catch (RuntimeException e) {
                    device = "error: " + e.getMessage();
                }
            }
            out.printf("%-12s %8d  %-11s  %-8s  %s%n", (p.name().equals(selected) ? "* " : "  ") + p.name(), p.priority(),
                    a.available() ? "available" : "unavailable", device, a.reason());
        }
        out.println();
        if (selected != null) {
            out.println("selected: " + selected + " (" + why + ")");
            return 0;
        }
        out.println("selected: none (" + why + ")");
        return UsageException.EXIT_STATUS;
    }
}
