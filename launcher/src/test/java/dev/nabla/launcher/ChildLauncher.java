package dev.nabla.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code nabla} in a child JVM with one {@link SwapProvider} and captures its exit status and
 * output (through files, so a chatty child can never block on a full pipe). The child inherits this
 * process's environment except the variables that choose a backend or turn on debugging, so the jar on
 * the module path alone decides.
 *
 * @param status the exit status
 * @param out    standard output
 * @param err    standard error
 */
record ChildLauncher(int status, String out, String err) {
    /** A child that has not finished after this long is killed and the test fails. */
    static final long TIMEOUT_SECONDS = 300;

    static ChildLauncher run(SwapProvider provider, Path logs, String... args) {
        List<String> cmd = new ArrayList<>(provider.command());
        cmd.addAll(List.of(args));
        try {
            Files.createDirectories(logs);
            Path out = Files.createTempFile(logs, provider.backend() + "-" + args[0] + "-", ".out");
            Path err = Files.createTempFile(logs, provider.backend() + "-" + args[0] + "-", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("NABLA_BACKEND");
            pb.environment().remove("NABLA_DEBUG");
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("JDK_JAVA_OPTIONS");
            pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "1");   // TensorFlow's C++ INFO lines add nothing here
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("nabla " + String.join(" ", args) + " with " + provider + " did not finish in "
                        + TIMEOUT_SECONDS + " s; output so far in " + out + " and " + err);
            }
            return new ChildLauncher(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + cmd, e);
        }
    }

    /** The value of a {@code key=value} line in the output. */
    double value(String key) {
        for (String line : out.split("\\R")) {
            if (line.startsWith(key + "=")) {
                return Double.parseDouble(line.substring(key.length() + 1));
            }
        }
        throw new AssertionError("no " + key + "= line in: " + out + err);
    }

    /** Everything the child printed, for failure messages. */
    String transcript() {
        return "--- stdout\n" + out + "--- stderr\n" + err;
    }
}
