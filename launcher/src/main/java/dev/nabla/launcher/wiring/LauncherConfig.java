package dev.nabla.launcher.wiring;

import java.io.PrintStream;
import java.util.Map;

/**
 * The launcher's configuration for one invocation: where its output goes, the system properties and
 * environment it honours (injected, so tests can run the command in-process with their own), and the
 * backend named on the command line ({@code --backend}, set by the command before it asks for a backend).
 */
public final class LauncherConfig {
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private String requestedBackend;

    /** A configuration writing to {@code out}/{@code err} with the given environment. */
    public LauncherConfig(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
    }

    /** Standard output of the command. */
    public PrintStream out() {
        return out;
    }

    /** Standard error of the command (progress bars and warnings). */
    public PrintStream err() {
        return err;
    }

    /** An environment variable, or null. */
    public String env(String name) {
        return env.get(name);
    }

    /** The backend named by {@code --backend}, or null. */
    public String requestedBackend() {
        return requestedBackend;
    }

    /** Records the backend named by {@code --backend} (null or blank: choose by property, environment, priority). */
    public void requestBackend(String name) {
        this.requestedBackend = name;
    }
}
