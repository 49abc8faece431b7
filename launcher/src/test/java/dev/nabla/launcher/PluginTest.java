package dev.nabla.launcher;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The plugin story end to end: the example plugin's jar (examples/nabla-example-plugin, built against the api
 * alone) dropped on the module path of a {@code nabla} process adds its layer, flow and trainer to
 * {@code nabla list} under the plugin's module; without the jar none of them appears.
 *
 * <p>Each case starts a child JVM — the JDK running this test — on the module path this test JVM was given
 * (the launcher, its dependencies and the backends), with the same flags as {@code ./nabla}. The plugin jar's
 * path comes from Maven ({@code nabla.test.pluginJar}); the jar itself is kept off this JVM's paths, which the
 * in-process case checks.
 */
class PluginTest {
    static final String PLUGIN_MODULE = "org.example.nabla.plugin";
    static final List<String> PLUGIN_NAMES = List.of("residual_mlp", "sinh_arcsinh", "sgd_momentum");

    /** What a child {@code nabla} process did. */
    record Run(List<String> command, int exit, String out, String err) {
        String describe() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err + "--- command\n" + String.join(" ", command);
        }
    }

    @Test
    void theTestJvmItselfDoesNotSeeThePlugin() {
        assertTrue(ModuleLayer.boot().findModule(PLUGIN_MODULE).isEmpty(),
                "the plugin must stay off the launcher tests' module path (classpathDependencyExcludes)");
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            assertFalse(entry.equals(pluginJar().toString()), "the plugin jar is on the test class path");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                Map.of(), "list");
        assertEquals(0, exit);
        String listing = out.toString(StandardCharsets.UTF_8);
        for (String name : PLUGIN_NAMES) {
            assertFalse(listing.contains(name), name + " listed in-process: " + listing);
        }
    }

    @Test
    void withoutTheJarNablaListLacksThePluginNames() throws Exception {
        Run r = nabla(false, "list");
        assertEquals(0, r.exit(), r.describe());
        assertTrue(section(r.out(), "flows").contains("dev.nabla.models"), "a sane listing: " + r.describe());
        for (String name : PLUGIN_NAMES) {
            assertFalse(r.out().contains(name), name + " listed without the plugin: " + r.describe());
        }
        assertFalse(r.out().contains(PLUGIN_MODULE), r.describe());
    }

    @Test
    void withTheJarNablaListShowsTheLayerFlowAndTrainerUnderThePluginModule() throws Exception {
        Run r = nabla(true, "list");
        assertEquals(0, r.exit(), r.describe());
        assertEquals(List.of("residual_mlp"), namesOf(section(r.out(), "layers"), PLUGIN_MODULE), r.describe());
        assertEquals(List.of("sinh_arcsinh"), namesOf(section(r.out(), "flows"), PLUGIN_MODULE), r.describe());
        assertEquals(List.of("sgd_momentum"), namesOf(section(r.out(), "trainers"), PLUGIN_MODULE), r.describe());
        // and the flow is a model nabla train accepts, a stack of it
        String models = section(r.out(), "models");
        assertTrue(models.lines().anyMatch(l -> l.trim().startsWith("sinh_arcsinh ") && l.contains(PLUGIN_MODULE)),
                "sinh_arcsinh among the models: " + r.describe());
        assertFalse(r.err().contains("warning: "), "no provider failed to load: " + r.describe());
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The lines of the section whose header line starts with {@code title}, up to the next header. */
    static String section(String listing, String title) {
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String line : listing.lines().toList()) {
            boolean header = !line.isEmpty() && !Character.isWhitespace(line.charAt(0));
            if (header) {
                in = line.startsWith(title);
            } else if (in) {
                sb.append(line).append('\n');
            }
        }
        if (sb.isEmpty()) {
            fail("no section '" + title + "' in:\n" + listing);
        }
        return sb.toString();
    }

    /** The comma-separated names on the line {@code "  MODULE: a, b"} of a section, or an empty list. */
    static List<String> namesOf(String section, String module) {
        for (String line : section.lines().toList()) {
            String t = line.trim();
            if (t.startsWith(module + ":")) {
                return Arrays.stream(t.substring(module.length() + 1).split(",")).map(String::trim).toList();
            }
        }
        return List.of();
    }

    /** The plugin jar Maven built, from the system property surefire sets. */
    static Path pluginJar() {
        String p = System.getProperty("nabla.test.pluginJar");
        if (p == null || p.isBlank() || p.startsWith("${")) {
            fail("system property nabla.test.pluginJar is not set; run through Maven: ./mvnw -pl launcher -am verify");
        }
        Path jar = Path.of(p);
        assertTrue(Files.isRegularFile(jar), "the plugin jar " + jar + " was not built");
        return jar;
    }

    /**
     * Runs {@code nabla args…} in a child JVM on this JVM's module path (plus the plugin jar if
     * {@code withPlugin}) and class path (where the OpenBLAS jar is), on the reference backend.
     */
    static Run nabla(boolean withPlugin, String... args) throws IOException, InterruptedException {
        Path plugin = pluginJar();
        List<String> modulePath = new ArrayList<>(entries("jdk.module.path"));
        assertFalse(modulePath.isEmpty(), "the launcher tests must run on the module path");
        assertFalse(modulePath.contains(plugin.toString()), "the plugin jar is already on the test module path");
        if (withPlugin) {
            modulePath.add(plugin.toString());
        }
        List<String> classPath = new ArrayList<>();
        for (String e : entries("java.class.path")) {
            // the test classes belong to this JVM only (their package is the launcher's, patched in)
            if (!Path.of(e).endsWith("test-classes")) {
                classPath.add(e);
            }
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=dev.nabla.provider.nativeblas", "--sun-misc-unsafe-memory-access=allow",
                "-Djava.awt.headless=true", "-XX:TieredStopAtLevel=1",
                "-Dnabla.cache.dir=" + System.getProperty("nabla.cache.dir", "target/nabla-cache"),
                "-p", String.join(File.pathSeparator, modulePath),
                "-cp", String.join(File.pathSeparator, classPath),
                "-m", "dev.nabla.launcher/dev.nabla.launcher.Main"));
        command.addAll(List.of(args));
        Path dir = Files.createTempDirectory("nabla-plugin-test");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("NABLA_BACKEND", "reference");
        pb.environment().remove("NABLA_DEBUG");
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("nabla " + String.join(" ", args) + " did not finish within 120 s");
        }
        Run r = new Run(command, p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        Files.delete(dir);
        return r;
    }

    private static List<String> entries(String property) {
        String v = System.getProperty(property, "");
        return v.isBlank() ? List.of() : List.of(v.split(File.pathSeparator));
    }
}
