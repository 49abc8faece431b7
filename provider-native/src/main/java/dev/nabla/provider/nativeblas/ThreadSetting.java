package dev.nabla.provider.nativeblas;

import java.util.function.Function;

/**
 * How many threads the native backend uses, for OpenBLAS and for its own kernels: the system property
 * {@value #PROPERTY}, else the environment variable {@value #ENV}, else every core
 * ({@link Runtime#availableProcessors()}). A value that is not a positive integer is ignored, and
 * {@link #note()} says so.
 *
 * @param threads the thread count, at least 1
 * @param note    where the count came from, for the availability message
 */
public record ThreadSetting(int threads, String note) {
    /** The system property naming the thread count. */
    public static final String PROPERTY = "nabla.threads";
    /** The environment variable naming the thread count. */
    public static final String ENV = "NABLA_NUM_THREADS";

    /** Validates the count. */
    public ThreadSetting {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** The setting of this process. */
    public static ThreadSetting current() {
        return resolve(System::getenv, System::getProperty, Runtime.getRuntime().availableProcessors());
    }

    /** The setting from the given environment and properties, with {@code cores} as the default. */
    public static ThreadSetting resolve(Function<String, String> env, Function<String, String> properties, int cores) {
        String ignored = "";
        for (String[] source : new String[][] {{"-D" + PROPERTY, properties.apply(PROPERTY)}, {ENV, env.apply(ENV)}}) {
            String value = source[1];
            if (value == null || value.isBlank()) {
                continue;
            }
            try {
                int n = Integer.parseInt(value.trim());
                if (n >= 1) {
                    return new ThreadSetting(n, n + " threads (" + source[0] + ")" + ignored);
                }
            } catch (NumberFormatException e) {
                // not a number: ignored below
            }
            ignored += "; ignored " + source[0] + "=" + value + " (not a positive integer)";
        }
        return new ThreadSetting(cores, cores + " threads (all cores)" + ignored);
    }
}
