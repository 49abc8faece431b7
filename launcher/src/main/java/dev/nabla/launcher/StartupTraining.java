package dev.nabla.launcher;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The run that records the start-up cache ({@code -XX:AOTCacheOutput}, by {@code ./nabla} once per build
 * and by the image's build): what a JDK 25 ahead-of-time cache holds is what this run loads and links, so it
 * first prints — into nothing — the usage help of {@code nabla} and of every command and runs
 * {@code nabla list}, then runs the command it is given (a short training) with its output shown. Without
 * the first part the cache would lack the classes that format help, and {@code nabla --help} would load
 * them from the jars on every call.
 */
final class StartupTraining {
    /** The commands whose help is printed while recording. */
    static final List<String> COMMANDS = List.of("train", "sample", "eval", "list", "backends", "serve", "bench");

    private StartupTraining() {
    }

    /**
     * Prints every command's help into nothing, runs {@code nabla list}, then {@code args} as
     * {@link Main#main} would.
     *
     * @param args a {@code nabla} command line (the training to record)
     */
    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        Main.run(sink, sink, env, "--help");
        for (String command : COMMANDS) {
            Main.run(sink, sink, env, command, "--help");
        }
        Main.run(sink, sink, env, "list");
        System.exit(Main.run(System.out, System.err, env, args));
    }
}
