package dev.nabla.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Starts the {@code nabla} command in a fresh JVM (this test JVM's {@code java}) on a module path
 * derived from this JVM's own: every entry of {@code jdk.module.path} and {@code java.class.path} that
 * {@code keep} accepts, with the OpenBLAS jar moved to the class path (it is only a source of
 * {@code .so} files and cannot be resolved as a module).
 */
final class ChildJvm {
    private ChildJvm() {
    }

    /** Every entry of this JVM's module path and class path. */
    static List<String> entries() {
        List<String> all = new ArrayList<>();
        for (String prop : List.of("jdk.module.path", "java.class.path")) {
            String v = System.getProperty(prop, "");
            Arrays.stream(v.split(File.pathSeparator)).filter(s -> !s.isBlank()).forEach(all::add);
        }
        return all;
    }

    /** A process builder running {@code nabla args…} with the entries {@code keep} accepts. */
    static ProcessBuilder nabla(Predicate<String> keep, Path workDir, String... args) {
        return nabla(keep, List.of(), workDir, args);
    }

    /**
     * A process builder running {@code nabla args…} with the entries {@code keep} accepts and
     * {@code extraModules} (plugin jars, as {@code ./plugins} adds them) at the end of the module path.
     */
    static ProcessBuilder nabla(Predicate<String> keep, List<Path> extraModules, Path workDir, String... args) {
        List<String> modules = new ArrayList<>();
        List<String> classPath = new ArrayList<>();
        for (String e : entries()) {
            if (e.contains("test-classes") || !keep.test(e)) {
                continue;
            }
            (Path.of(e).getFileName().toString().startsWith("openblas-") ? classPath : modules).add(e);
        }
        extraModules.forEach(m -> modules.add(m.toString()));
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=dev.nabla.provider.nativeblas",
                "--sun-misc-unsafe-memory-access=allow", "-Djava.awt.headless=true",
                "-Dnabla.cache.dir=" + Path.of("target", "nabla-cache").toAbsolutePath(),
                "-p", String.join(File.pathSeparator, modules)));
        if (!classPath.isEmpty()) {
            cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classPath)));
        }
        cmd.addAll(List.of("-m", "dev.nabla.launcher/dev.nabla.launcher.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(workDir.toFile());
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does. */
    static void interrupt(Process p) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -INT " + p.pid() + " failed");
        }
    }
}
