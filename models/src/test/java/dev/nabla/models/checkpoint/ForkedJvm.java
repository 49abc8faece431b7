package dev.nabla.models.checkpoint;

import dev.nabla.api.tensor.Tensor;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A main class of these tests in a fresh JVM with options of its own (a small heap), on a class path
 * of the api, the reference backend, models and these tests: for the checks that must hold at a
 * heap size, or that need a second process (locks, {@code kill -9}).
 */
final class ForkedJvm {
    private ForkedJvm() {
    }

    /**
     * What a child printed.
     *
     * @param status   its exit status (-1 if it was killed at the timeout)
     * @param out      standard output and error, merged
     * @param timedOut whether it was killed at the timeout
     */
    record Result(int status, String out, boolean timedOut) {
    }

    private static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The class path: api, the reference backend (from this JVM's paths), models and its test classes. */
    static String classPath() {
        Path models = location(Checkpoint.class);
        List<String> entries = new ArrayList<>(List.of(location(Tensor.class).toString(), models.toString(),
                // test-classes is patched into the module: its code source may be the main classes' folder
                models.resolveSibling("test-classes").toString()));
        Stream.of(System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", ""))
                .flatMap(p -> Arrays.stream(p.split(File.pathSeparator)))
                .filter(e -> e.contains("provider-reference")).findFirst().ifPresent(entries::add);
        return String.join(File.pathSeparator, entries);
    }

    /** Starts {@code main} with {@code jvmOptions} and {@code args}; output goes to {@code log}. */
    static Process start(Class<?> main, List<String> jvmOptions, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath(), main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        for (String v : List.of("NABLA_BACKEND", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            pb.environment().remove(v);
        }
        return pb.start();
    }

    /** Runs {@code main} to its end, or kills it after {@code timeout}. */
    static Result run(Class<?> main, List<String> jvmOptions, Duration timeout, String... args)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("nabla-forked", ".log");
        try {
            Process p = start(main, jvmOptions, log, args);
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly().waitFor();
            }
            return new Result(done ? p.exitValue() : -1, Files.readString(log, StandardCharsets.UTF_8), !done);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
