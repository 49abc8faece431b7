package dev.nabla.launcher;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./nabla} script as a new user meets it: in a copy of this checkout's sources (the files git
 * tracks, plus new ones it does not ignore — what a fresh clone of this commit holds) with nothing built
 * and nothing of Nabla's in the local Maven repository, {@code NABLA_TENSORFLOW=1 ./nabla backends} builds
 * the launcher and the TensorFlow backend and lists tensorflow as available. (It once failed here: the
 * script's second Maven call resolved the api from the local repository, where nothing is installed.)
 */
class FreshCloneTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void tensorflowBackendFromAFreshCloneThroughTheScript() throws IOException, InterruptedException {
        Path clone = Path.of("target", "fresh-clone").toAbsolutePath();
        deleteTree(clone);
        for (String file : sourceFiles()) {
            Path from = ROOT.resolve(file);
            if (Files.isRegularFile(from)) {
                Path to = clone.resolve(file);
                Files.createDirectories(to.getParent());
                Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        assertTrue(Files.isExecutable(clone.resolve("nabla")), "the copy's ./nabla is not executable");
        Path log = clone.resolve("nabla-backends.log");
        ProcessBuilder pb = new ProcessBuilder("./nabla", "backends").directory(clone.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NABLA_TENSORFLOW", "1");
        pb.environment().remove("NABLA_BACKEND");
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");
        // TensorFlow's native libraries: the folder provider-tensorflow's own tests unpacked them into, not ~/.cache
        pb.environment().put("NABLA_JAVA_OPTS", "-Dorg.bytedeco.javacpp.cachedir="
                + ROOT.resolve("provider-tensorflow/target/javacpp-cache"));
        Process p = pb.start();
        boolean done = p.waitFor(20, TimeUnit.MINUTES);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done, "./nabla backends did not finish in 20 minutes:\n" + out);
        assertEquals(0, p.exitValue(), "NABLA_TENSORFLOW=1 ./nabla backends in a fresh copy failed:\n" + out);
        assertTrue(out.lines().noneMatch(l -> l.contains("[ERROR]")), out);
        assertTrue(out.lines().anyMatch(l -> l.trim().startsWith("tensorflow") && l.contains(" available")),
                "tensorflow is not listed as available:\n" + out);
        theScriptResolvesTheVectorApiForLongRunsOnly(clone);
        deleteTree(clone);
    }

    /**
     * In the copy just built: which command lines {@code ./nabla} runs with {@code --add-modules
     * jdk.incubator.vector} (the native backend's vector loops) and with which start-up cache, read from
     * {@code NABLA_DRY_RUN=1}, which prints the java command line and runs nothing.
     */
    private static void theScriptResolvesTheVectorApiForLongRunsOnly(Path clone) throws IOException, InterruptedException {
        Map<String, Boolean> expected = new LinkedHashMap<>();
        expected.put("train realnvp --dataset moons --steps 1", false);
        expected.put("train realnvp --dataset moons --steps=100", false);
        expected.put("train realnvp --dataset moons --steps 101", true);
        expected.put("train realnvp --dataset moons", true);   // its default steps: a long run
        expected.put("bench", true);
        expected.put("serve runs/x", true);
        expected.put("sample runs/x", false);
        expected.put("eval runs/x", false);
        expected.put("backends", false);
        for (var e : expected.entrySet()) {
            for (String force : List.of("", "1", "0")) {
                List<String> cmd = new ArrayList<>(List.of("./nabla"));
                cmd.addAll(List.of(e.getKey().split(" ")));
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(clone.toFile()).redirectErrorStream(true);
                pb.environment().put("NABLA_DRY_RUN", "1");
                pb.environment().remove("NABLA_TENSORFLOW");
                pb.environment().remove("NABLA_JAVA_OPTS");
                pb.environment().remove("NABLA_AOT");
                pb.environment().put("NABLA_VECTOR", force);
                Process p = pb.start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, e.getKey() + ":\n" + out);
                boolean want = force.isEmpty() ? e.getValue() : force.equals("1");
                List<String> lines = out.lines().toList();
                int at = lines.indexOf("--add-modules");
                boolean resolved = at >= 0 && lines.get(at + 1).equals("jdk.incubator.vector");
                assertEquals(want, resolved, "NABLA_VECTOR=" + force + " ./nabla " + e.getKey() + ":\n" + out);
                // the start-up cache recorded with the same modules
                String cache = want ? "nabla-vector.aot" : "nabla-lean.aot";
                assertTrue(lines.stream().anyMatch(l -> l.startsWith("-XX:AOTCache=") && l.endsWith(cache)),
                        "NABLA_VECTOR=" + force + " ./nabla " + e.getKey() + " does not use " + cache + ":\n" + out);
            }
        }
    }

    /** The files of this checkout a fresh clone has: git's tracked and unignored files, relative to the root. */
    private static List<String> sourceFiles() throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(ROOT.toFile()).redirectErrorStream(false).start();
        byte[] listing = git.getInputStream().readAllBytes();
        if (git.waitFor() != 0) {
            throw new AssertionError("git ls-files failed in " + ROOT + ": "
                    + new String(git.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        List<String> files = new ArrayList<>();
        for (String f : new String(listing, StandardCharsets.UTF_8).split("\0")) {
            if (!f.isEmpty()) {
                files.add(f);
            }
        }
        assertTrue(files.contains("nabla") && files.contains("mvnw"), "git lists no ./nabla or ./mvnw in " + ROOT);
        return files;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
