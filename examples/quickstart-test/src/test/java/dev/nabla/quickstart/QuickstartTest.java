package dev.nabla.quickstart;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * "Using Nabla from your own project", as the README tells it, end to end:
 * <ol>
 *   <li>{@code ./mvnw install} of this checkout (the modules the quickstart needs and their parent, tests
 *       skipped) into a <em>fresh</em> local repository, chained to this build's own one as its read-only tail
 *       ({@code -Dmaven.repo.local=HEAD -Dmaven.repo.local.tail=…}): Maven reads plugins and third-party jars from
 *       the tail and installs into the head, so every {@code dev.nabla} artifact the quickstart resolves is one
 *       this checkout just built, never a stale one from the shared repository (checked below, byte for byte);</li>
 *   <li>a copy of {@code examples/quickstart} — a separate project whose parent is not Nabla's — built against
 *       those coordinates and run with {@code mvn compile dependency:copy-dependencies exec:exec};</li>
 *   <li>the same program run by the README's plain {@code java} command on the module path.</li>
 * </ol>
 * Both runs must train (the loss falls, the test log-likelihood rises), write a checkpoint that a model built
 * from another seed reloads to the same test log-likelihood, and draw samples. The child builds run offline
 * when this build does, and online otherwise (a new machine may lack the exec plugin in its local repository).
 */
class QuickstartTest {
    private static final String NABLA_VERSION = "0.1.0-SNAPSHOT";
    /** What the quickstart needs installed: the model library and the native backend (and, with -am, their parent and upstream). */
    private static final String INSTALLED_MODULES = "api,provider-native,models";
    private static final List<String> QUICKSTART_JARS = List.of("nabla-api", "nabla-models", "nabla-provider-native");

    private final Path root = Path.of(System.getProperty("nabla.quickstart.root", "../..")).toAbsolutePath().normalize();
    private final Path work = Path.of("target", "quickstart").toAbsolutePath();

    @Test
    void theQuickstartBuildsAgainstTheInstalledArtifactsAndTrains() throws IOException, InterruptedException {
        deleteTree(work);
        Path head = work.resolve("repository");
        Files.createDirectories(head);
        List<String> repo = repositoryOptions(head);

        // 1. ./mvnw install, into the fresh head only
        Run install = run(root, work.resolve("install.log"), concat(List.of(mvnw(), "-B", "-q"), repo,
                List.of("install", "-Dmaven.test.skip=true", "-pl", INSTALLED_MODULES, "-am")));
        assertEquals(0, install.exit(), install.describe());
        for (String artifact : List.of("nabla-parent", "nabla-api", "nabla-models", "nabla-provider-native")) {
            assertTrue(Files.isDirectory(head.resolve("dev/nabla").resolve(artifact).resolve(NABLA_VERSION)),
                    artifact + " was not installed into " + head);
        }

        // 2. the separate project, copied so that nothing built earlier in examples/quickstart/target is used
        Path project = work.resolve("project");
        copyProject(root.resolve("examples/quickstart"), project);
        Path mavenRun = project.resolve("run-maven");
        Run maven = run(project, work.resolve("quickstart-maven.log"), concat(List.of(mvnw(), "-B", "-q"), repo,
                List.of("compile", "dependency:copy-dependencies", "exec:exec",
                        "-Dquickstart.args=--steps 200 --out " + mavenRun)));
        assertEquals(0, maven.exit(), maven.describe());
        assertTrained(maven, mavenRun);

        // the jars the quickstart was built and run with are the ones this checkout just built and installed
        Path dependencies = project.resolve("target/dependency");
        for (String artifact : QUICKSTART_JARS) {
            String jar = artifact + "-" + NABLA_VERSION + ".jar";
            Path used = dependencies.resolve(jar);
            assertTrue(Files.isRegularFile(used), jar + " is not among the quickstart's dependencies: "
                    + Arrays.toString(dependencies.toFile().list()));
            Path installed = head.resolve("dev/nabla").resolve(artifact).resolve(NABLA_VERSION).resolve(jar);
            assertEquals(-1, Files.mismatch(used, installed), jar + " differs from the one installed into " + head);
            Path built = root.resolve(artifact.substring("nabla-".length())).resolve("target").resolve(jar);
            assertEquals(-1, Files.mismatch(used, built), jar + " differs from this checkout's " + built);
        }

        // 3. the README's plain java command on the module path
        Path javaRun = project.resolve("run-java");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Run plain = run(project, work.resolve("quickstart-java.log"), List.of(java.toString(),
                "--enable-native-access=dev.nabla.provider.nativeblas",
                "-p", "target/classes" + File.pathSeparator + "target/dependency",
                "-m", "org.example.quickstart/org.example.quickstart.Quickstart", "--steps", "120", "--out", javaRun.toString()));
        assertEquals(0, plain.exit(), plain.describe());
        assertTrained(plain, javaRun);
    }

    /** The program's report: it trained on the native backend, the loss fell, the checkpoint reloads to the same numbers. */
    private static void assertTrained(Run run, Path out) {
        String s = run.output();
        assertTrue(s.contains("backend: native"), "not on the native backend:\n" + run.describe());
        assertFalse(s.contains("[ERROR]") || s.contains("Exception"), run.describe());
        double[] loss = numbers(s, "training loss: first step (\\S+), last epoch (\\S+)", run);
        assertTrue(loss[1] < loss[0] - 0.2, "the training loss did not fall: " + Arrays.toString(loss) + "\n" + run.describe());
        double[] ll = numbers(s, "test log-likelihood: (\\S+) nats before training, (\\S+) after", run);
        assertTrue(ll[1] > ll[0] + 0.2, "the test log-likelihood did not rise: " + Arrays.toString(ll) + "\n" + run.describe());
        Matcher reload = Pattern.compile("checkpoint (\\S+) \\(step (\\d+)\\) reloaded: test log-likelihood (\\S+) nats")
                .matcher(s);
        assertTrue(reload.find(), "no checkpoint reloaded:\n" + run.describe());
        assertEquals(ll[1], Double.parseDouble(reload.group(3)),
                "the reloaded checkpoint gives another test log-likelihood:\n" + run.describe());
        assertTrue(Files.isRegularFile(out.resolve("flow.safetensors")), "no checkpoint at " + out);
        assertTrue(s.contains("samples: 2000 drawn"), "no samples:\n" + run.describe());
    }

    private static double[] numbers(String s, String regex, Run run) {
        Matcher m = Pattern.compile(regex).matcher(s);
        if (!m.find()) {
            fail("no line matching '" + regex + "':\n" + run.describe());
        }
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    /**
     * {@code -Dmaven.repo.local=HEAD -Dmaven.repo.local.tail=THIS_BUILD'S_REPOSITORY[,ITS_TAIL]}, plus {@code -o}
     * when this build is offline.
     */
    private static List<String> repositoryOptions(Path head) {
        List<String> tails = new ArrayList<>();
        tails.add(Path.of(System.getProperty("nabla.quickstart.localRepository",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString())).toAbsolutePath().toString());
        String tail = System.getProperty("nabla.quickstart.tail", "");
        if (!tail.isBlank() && !tail.startsWith("${")) {
            tails.add(tail);
        }
        List<String> options = new ArrayList<>(List.of("-Dmaven.repo.local=" + head,
                "-Dmaven.repo.local.tail=" + String.join(",", tails)));
        if (System.getProperty("nabla.quickstart.offline", "").equals("offline=true")) {   // "offline=" + ${settings.offline}
            options.add("-o");
        }
        return options;
    }

    private String mvnw() {
        return root.resolve("mvnw").toString();
    }

    record Run(List<String> command, int exit, String output) {
        String describe() {
            return String.join(" ", command) + ": exit " + exit + "\n" + output;
        }
    }

    /** Runs a child process in {@code dir}, its standard output and error into {@code log} (kept for a look after a failure). */
    private static Run run(Path dir, Path log, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().remove("NABLA_BACKEND");   // the quickstart's own choice: the native backend
        pb.environment().remove("MAVEN_ARGS");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            fail(String.join(" ", command) + " did not finish in 10 minutes:\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Run(command, p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    /** The project's pom and sources, without whatever a run left in its target folder. */
    private static void copyProject(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = from.relativize(f);
                if (rel.startsWith("target")) {
                    continue;
                }
                Path dest = to.resolve(rel);
                Files.createDirectories(dest.getParent());
                Files.copy(f, dest, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
