package dev.nabla.launcher;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The plugin story end to end: the example plugin's jar (examples/nabla-example-plugin, built against the api
 * and the model library, never a provider) dropped on the module path of a {@code nabla} process adds its
 * layer, flow, trainer and model family to {@code nabla list} under the plugin's module, and {@code nabla train}
 * uses each of them (the family's model trains, evaluates and samples through the command like the flows do);
 * without the jar none of them appears, and a misspelt plugin name is a one-line usage error listing the valid names.
 *
 * <p>Each case starts a child JVM ({@link ChildJvm}) on this test JVM's own paths, plus the plugin jar when the
 * case wants it, as {@code ./plugins} would add it. The jar's path comes from Maven
 * ({@code nabla.test.pluginJar}); the jar itself is kept off this JVM's paths, which the in-process case checks.
 */
class PluginTest {
    static final String PLUGIN_MODULE = "org.example.nabla.plugin";
    static final List<String> PLUGIN_NAMES = List.of("residual_mlp", "sinh_arcsinh", "sgd_momentum", "mlp_regressor");
    /** What every training case shares: 30 steps on the reference backend, quietly. */
    static final List<String> SHORT_RUN = List.of("--dataset", "moons", "--steps", "30", "--backend", "reference",
            "--progress", "none", "--samples", "200");

    @TempDir
    Path tmp;

    /** What a child {@code nabla} process did; {@code err} without the JVM's own warnings. */
    record Run(String args, int exit, String out, String err) {
        String describe() {
            return "nabla " + args + ": exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @Test
    void theTestJvmItselfDoesNotSeeThePlugin() {
        assertTrue(ModuleLayer.boot().findModule(PLUGIN_MODULE).isEmpty(),
                "the plugin must stay off the launcher tests' module path (classpathDependencyExcludes)");
        assertFalse(ChildJvm.entries().contains(pluginJar()), "the plugin jar is on this JVM's paths");
        Cli list = Cli.run("list");
        assertEquals(0, list.status(), list.err());
        for (String name : PLUGIN_NAMES) {
            assertFalse(list.out().contains(name), name + " listed in-process: " + list.out());
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
        assertTrue(r.err().isEmpty(), "no provider failed to load: " + r.describe());
    }

    @Test
    void nablaListShowsThePluginsFamilyItsModelAndItsDataSet() throws Exception {
        Run r = nabla(true, "list");
        assertEquals(0, r.exit(), r.describe());
        String families = section(r.out(), "model families");
        assertTrue(families.lines().anyMatch(l -> l.trim().startsWith("flows (dev.nabla.models)")), r.describe());
        assertTrue(families.lines().anyMatch(l -> l.trim().startsWith("regression (" + PLUGIN_MODULE + ")")), r.describe());
        assertTrue(families.lines().anyMatch(l -> l.trim().equals("mlp_regressor  on  sine")), r.describe());
        assertTrue(section(r.out(), "models").lines().anyMatch(l -> l.trim().startsWith("mlp_regressor ")
                && l.contains("[regression]")), r.describe());
        assertTrue(section(r.out(), "data sets").contains("sine (regression)"), r.describe());
    }

    @Test
    void thePluginFamilyTrainsEvaluatesAndSamplesThroughTheCommand() throws Exception {
        Path out = tmp.resolve("regression");
        Run r = nabla(true, "train", "mlp_regressor", "--dataset", "sine", "--epochs", "10", "--lr", "0.01",
                "--batch-size", "64", "--set", "hidden=16", "--backend", "reference", "--progress", "none",
                "--samples", "300", "--out", out.toString());
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.out().contains("trainer objective") && r.out().contains("done: 320 steps"), r.describe());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("test mean squared error ([0-9.]+)").matcher(r.out());
        assertTrue(m.find(), r.describe());
        double mse = Double.parseDouble(m.group(1));
        assertTrue(mse < 0.05, "sin(x) fitted to within the noise (variance 0.01): test MSE " + mse);
        for (String f : List.of("checkpoint.safetensors", "metrics.csv", "loss.png", "samples.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f + ": " + r.describe());
        }
        Set<String> keys;
        try (Checkpoint ck = Checkpoint.load(out.resolve("checkpoint.safetensors"), TensorFactory.on(Nabla.backend("reference")))) {
            assertEquals(320, ck.step());
            assertEquals("regression", ck.modelConfig().get("family"));
            assertEquals("adam", ck.optimizerName());
            keys = new TreeSet<>(ck.model().keySet());
        }
        assertEquals(Set.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"), keys);

        Run eval = nabla(true, "eval", out.toString(), "--backend", "reference");
        assertEquals(0, eval.exit(), eval.describe());
        assertTrue(eval.out().contains("mlp_regressor (step 320) on sine test (500 examples"), eval.describe());
        assertEquals(mse, Cli.value(eval.out(), "mse", eval.describe()), 1e-4, "eval agrees with train");
        assertEquals(Math.sqrt(Cli.value(eval.out(), "mse", eval.describe())), Cli.value(eval.out(), "rmse", eval.describe()),
                1e-5);

        Run sample = nabla(true, "sample", out.toString(), "-n", "5", "--out", "-", "--backend", "reference");
        assertEquals(0, sample.exit(), sample.describe());
        List<String> rows = sample.out().lines().toList();
        assertEquals("x,prediction", rows.getFirst());
        assertEquals(6, rows.size(), sample.describe());
        String[] middle = rows.get(3).split(",");
        assertEquals(0.0, Double.parseDouble(middle[0]), 1e-6);
        assertEquals(0.0, Double.parseDouble(middle[1]), 0.2, "the fit at x = 0 is near sin(0)");

        Run resume = nabla(true, "train", "mlp_regressor", "--dataset", "sine", "--epochs", "11", "--lr", "0.01",
                "--batch-size", "64", "--set", "hidden=16", "--backend", "reference", "--progress", "none",
                "--samples", "0", "--out", out.toString(), "--resume");
        assertEquals(0, resume.exit(), resume.describe());
        assertTrue(resume.out().contains("done: 352 steps"), resume.describe());
    }

    @Test
    void thePluginFlowIsAModel() throws Exception {
        Path out = tmp.resolve("flow");
        Run r = train(out, "sinh_arcsinh", "--set", "blocks=3");
        Set<String> keys = checkpointKeys(out, r);
        assertTrue(keys.containsAll(Set.of("flows.0.epsilon", "flows.0.log_delta", "flows.4.epsilon", "flows.4.log_delta")),
                "three sinh_arcsinh blocks with a reverse between each two: " + keys);
    }

    @Test
    void thePluginLayerIsARealNvpConditioner() throws Exception {
        Path out = tmp.resolve("net");
        Run r = train(out, "realnvp", "--set", "net=residual_mlp", "--set", "blocks=2", "--set", "hidden=16");
        Set<String> keys = checkpointKeys(out, r);
        assertTrue(keys.stream().anyMatch(k -> k.endsWith(".input.weight"))
                        && keys.stream().anyMatch(k -> k.endsWith(".blocks.0.weight"))
                        && keys.stream().anyMatch(k -> k.endsWith(".output.bias")),
                "the couplings' conditioners are residual MLPs: " + keys);
    }

    @Test
    void thePluginTrainerTrainsABuiltInModel() throws Exception {
        Path out = tmp.resolve("trainer");
        Run r = train(out, "realnvp", "--trainer", "sgd_momentum", "--lr", "0.01", "--batch-size", "64",
                "--trainer-set", "momentum=0.8", "--trainer-set", "nesterov=true", "--set", "blocks=2", "--set", "hidden=16",
                "--validate-every", "10");
        checkpointKeys(out, r);
        assertTrue(r.out().contains("trainer sgd_momentum"), r.describe());
        assertFalse(r.out().contains("train loss n/a") || r.out().contains("validation loss n/a"),
                "the plugin trainer reports train_loss and val_loss: " + r.describe());
        List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
        assertTrue(rows.size() > 30, "metrics.csv has a row per step: " + rows.size() + " lines");
        Run eval = nabla(true, "eval", out.toString(), "--backend", "reference");
        assertEquals(0, eval.exit(), "the checkpoint holds the whole model state: " + eval.describe());
        assertTrue(Double.isFinite(Cli.value(eval.out(), "log_likelihood", eval.describe())), eval.describe());
    }

    @Test
    void aMisspeltPluginNameIsOneLineListingTheValidNames() throws Exception {
        assertUsageError(nabla(true, "train", "sinh_arcsin", "--dataset", "moons"), "sinh_arcsin", "sinh_arcsinh");
        assertUsageError(nabla(true, "train", "realnvp", "--dataset", "moons", "--trainer", "sgd_momentun"), "sgd_momentun",
                "sgd_momentum");
        assertUsageError(nabla(true, "train", "realnvp", "--dataset", "moons", "--set", "net=residual_mpl"), "residual_mpl",
                "residual_mlp");
        assertUsageError(nabla(true, "train", "realnvp", "--dataset", "moons", "--trainer", "sgd_momentum",
                "--trainer-set", "momentun=0.9"), "momentun", "momentum");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void assertUsageError(Run r, String given, String valid) {
        assertEquals(2, r.exit(), r.describe());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "one line: " + r.describe());
        assertTrue(lines.getFirst().contains("'" + given + "'") && lines.getFirst().contains(valid), r.describe());
    }

    /** {@code nabla train MODEL} with the plugin, {@link #SHORT_RUN} and {@code extra}, into {@code out}. */
    private Run train(Path out, String model, String... extra) throws IOException, InterruptedException {
        String[] args = new String[3 + SHORT_RUN.size() + extra.length + 2];
        args[0] = "train";
        args[1] = model;
        for (int i = 0; i < SHORT_RUN.size(); i++) {
            args[2 + i] = SHORT_RUN.get(i);
        }
        System.arraycopy(extra, 0, args, 2 + SHORT_RUN.size(), extra.length);
        args[args.length - 3] = "--out";
        args[args.length - 2] = out.toString();
        args[args.length - 1] = "--overwrite";
        Run r = nabla(true, args);
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.out().contains("done: 30 steps"), r.describe());
        return r;
    }

    /** The parameter names in the checkpoint {@code nabla train} left in {@code out}. */
    private static Set<String> checkpointKeys(Path out, Run r) {
        Path file = out.resolve("checkpoint.safetensors");
        assertTrue(Files.isRegularFile(file), "no checkpoint: " + r.describe());
        try (Checkpoint ck = Checkpoint.load(file, TensorFactory.on(Nabla.backend("reference")))) {
            assertEquals(30, ck.step(), r.describe());
            return new TreeSet<>(ck.model().keySet());
        }
    }

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

    /** Runs {@code nabla args…} in a child JVM, with the plugin jar on its module path if {@code withPlugin}. */
    private Run nabla(boolean withPlugin, String... args) {
        ChildJvm.Result r = ChildJvm.run(ChildJvm.command(withPlugin ? List.of(pluginJar()) : List.of(), args),
                tmp.resolve("logs"));
        return new Run(String.join(" ", args), r.status(), r.out(), r.err());
    }
}
