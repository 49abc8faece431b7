package dev.nabla.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the {@code nabla} command in this JVM and captures what it prints. */
record Cli(int status, String out, String err) {
    static Cli run(String... args) {
        return run(Map.of(), args);
    }

    static Cli run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(o, e, env, args);
        }
        return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The value of a {@code key=value} line in the output. */
    double value(String key) {
        return value(out, key, out);
    }

    /** The value of a {@code key=value} line in {@code text}; {@code context} goes into the failure message. */
    static double value(String text, String key, String context) {
        for (String line : text.split("\\R")) {
            if (line.startsWith(key + "=")) {
                return Double.parseDouble(line.substring(key.length() + 1));
            }
        }
        throw new AssertionError("no " + key + "= line in: " + context);
    }
}
