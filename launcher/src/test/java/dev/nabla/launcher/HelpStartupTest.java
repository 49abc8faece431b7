package dev.nabla.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Usage and version help start nothing heavy: in a fresh JVM, {@code nabla --help}, {@code nabla train
 * --help} and {@code nabla --version} print their text without loading Guice, the providers' service
 * registries or any backend class (it once built the whole injector, every registry and plugin first).
 */
class HelpStartupTest {
    private static final Path LOGS = Path.of("target", "help-startup");

    @ParameterizedTest
    @ValueSource(strings = {"--help", "train --help", "list -h", "--version"})
    void helpLoadsNeitherGuiceNorABackend(String line) {
        List<String> args = new ArrayList<>(List.of("-verbose:class"));
        List<String> cmd = new ArrayList<>(ChildJvm.command(List.of(), line.split(" ")));
        cmd.addAll(1, args);
        ChildJvm.Result r = ChildJvm.run(cmd, LOGS);
        assertEquals(0, r.status(), r.transcript());
        List<String> loaded = r.out().lines().filter(l -> l.startsWith("[")).toList();
        String text = String.join("\n", r.out().lines().filter(l -> !l.startsWith("[")).toList());
        assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.nabla.launcher.Main ")), "no class log:\n" + r.transcript());
        assertTrue(loaded.stream().noneMatch(l -> l.contains("com.google.inject.")),
                "'nabla " + line + "' loaded Guice: " + loaded.stream().filter(l -> l.contains("com.google.inject.")).findFirst());
        assertTrue(loaded.stream().noneMatch(l -> l.contains("dev.nabla.provider.")),
                "'nabla " + line + "' loaded a backend class: "
                        + loaded.stream().filter(l -> l.contains("dev.nabla.provider.")).findFirst());
        assertTrue(line.contains("version") ? text.contains("nabla") || text.contains("Nabla") : text.contains("Usage:"), text);
    }

    @Test
    void listCreatesNoBackend() {
        List<String> cmd = new ArrayList<>(ChildJvm.command(List.of(), "list"));
        cmd.add(1, "-verbose:class");
        ChildJvm.Result r = ChildJvm.run(cmd, LOGS);
        assertEquals(0, r.status(), r.transcript());
        List<String> loaded = r.out().lines().filter(l -> l.startsWith("[")).toList();
        assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.nabla.launcher.command.ListCommand ")), r.transcript());
        for (String backend : List.of("dev.nabla.provider.nativeblas.NativeBackend ", "dev.nabla.provider.nativeblas.Warmup ",
                "dev.nabla.provider.reference.ReferenceBackend ")) {
            assertTrue(loaded.stream().noneMatch(l -> l.contains(backend)), "'nabla list' created a backend: " + backend);
        }
        assertTrue(r.out().contains("realnvp"), r.out());
    }

    @Test
    void aLineThatDoesNotAskForHelpIsLeftToTheFullCommandLine() {
        var config = new dev.nabla.launcher.wiring.LauncherConfig(System.out, System.err, java.util.Map.of());
        assertEquals(null, Main.helpOnly(config, "list"));
        assertEquals(0, Main.helpOnly(config, "train", "--help"));
    }
}
