package dev.nabla.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code nabla} command in a fresh JVM (this test JVM's {@code java}), for the tests that need a
 * module path of their own (which providers and plugins are present) or a real process (Ctrl-C): how
 * the command line is put together ({@link #command}), where its default paths come from (this JVM's
 * own module and class path, {@link #entries}), and running it with its output captured in files, so a
 * chatty child can never block on a full pipe ({@link #run}).
 */
final class ChildJvm {
    /** A child that has not finished after this long is killed and the test fails. */
    static final long TIMEOUT_SECONDS = 300;

    private ChildJvm() {
    }

    /**
     * What a finished child printed.
     *
     * @param status the exit status
     * @param out    standard output
     * @param err    standard error, without the JDK's one-line notice about incubator modules
     */
    record Result(int status, String out, String err) {
        /** The value of a {@code key=value} line in the output. */
        double value(String key) {
            return Cli.value(out, key, transcript());
        }

        /** Everything the child printed, for failure messages. */
        String transcript() {
            return "--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Every entry of this JVM's module path and class path but its test classes. */
    static List<Path> entries() {
        List<Path> all = new ArrayList<>();
        for (String prop : List.of("jdk.module.path", "java.class.path")) {
            Arrays.stream(System.getProperty(prop, "").split(File.pathSeparator))
                    .filter(s -> !s.isBlank() && !s.contains("test-classes")).map(Path::of).forEach(all::add);
        }
        return all;
    }

    /** True for the OpenBLAS jar, which is only a source of {@code .so} files and goes on the class path. */
    static boolean isOpenBlasJar(Path p) {
        return p.getFileName().toString().startsWith("openblas-");
    }

    /**
     * The command line {@code java OPTIONS -p MODULES [-cp CLASSPATH] -m dev.nabla.launcher/…Main ARGS}.
     * Headless AWT and the OpenBLAS cache under {@code target/} are always set; {@code options} adds a
     * provider's own (native access).
     */
    static List<String> command(List<Path> modulePath, List<Path> classPath, List<String> options, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--sun-misc-unsafe-memory-access=allow", "-Djava.awt.headless=true",
                "-Dnabla.cache.dir=" + Path.of("target", "nabla-cache").toAbsolutePath()));
        cmd.addAll(options);
        cmd.addAll(List.of("-p", join(modulePath)));
        if (!classPath.isEmpty()) {
            cmd.addAll(List.of("-cp", join(classPath)));
        }
        cmd.addAll(List.of("-m", "dev.nabla.launcher/dev.nabla.launcher.Main"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * The command line on this JVM's own paths (both shipped providers), with {@code extraModules}
     * (plugin jars, as {@code ./plugins} adds them) at the end of the module path.
     */
    static List<String> command(List<Path> extraModules, String... args) {
        List<Path> modules = new ArrayList<>();
        List<Path> classPath = new ArrayList<>();
        for (Path e : entries()) {
            (isOpenBlasJar(e) ? classPath : modules).add(e);
        }
        modules.addAll(extraModules);
        return command(modules, classPath, List.of("--enable-native-access=dev.nabla.provider.nativeblas"), args);
    }

    /**
     * A started child, its environment without the variables that choose a backend or add JVM options;
     * {@code err} null merges standard error into standard output.
     */
    static Process start(List<String> cmd, Path workDir, ProcessBuilder.Redirect out, ProcessBuilder.Redirect err)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(out);
        if (err == null) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(err);
        }
        for (String v : List.of("NABLA_BACKEND", "NABLA_DEBUG", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            pb.environment().remove(v);
        }
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");   // TensorFlow's C++ INFO lines add nothing here
        return pb.start();
    }

    /** Runs {@code cmd} to its end in a fresh folder under {@code logs} and returns what it printed. */
    static Result run(List<String> cmd, Path logs) {
        try {
            Files.createDirectories(logs);
            Path dir = Files.createTempDirectory(logs, "jvm");
            Path out = dir.resolve("stdout");
            Path err = dir.resolve("stderr");
            Process p = start(cmd, dir, ProcessBuilder.Redirect.to(out.toFile()), ProcessBuilder.Redirect.to(err.toFile()));
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS
                        + " s; output so far in " + dir);
            }
            String stderr = String.join("\n", Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList());
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    stderr.isEmpty() ? "" : stderr + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + cmd, e);
        }
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does. */
    static void interrupt(Process p) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -INT " + p.pid() + " failed");
        }
    }

    private static String join(List<Path> paths) {
        return String.join(File.pathSeparator, paths.stream().map(Path::toString).toList());
    }
}
