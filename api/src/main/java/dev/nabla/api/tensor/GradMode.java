package dev.nabla.api.tensor;

/**
 * Whether operations on this thread are recorded for autodiff. Opened by {@link Autograd#noGrad()}
 * or {@link Autograd#enableGrad()} in a try-with-resources block, it restores the previous mode when
 * closed. Thread-confined: each thread has its own mode, on by default.
 */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private final boolean previous;
    private boolean closed;

    GradMode(boolean enabled) {
        boolean[] cell = ENABLED.get();
        this.previous = cell[0];
        cell[0] = enabled;
    }

    /** True if operations on this thread are currently recorded. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Restores the mode that was in force when this one was opened. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ENABLED.get()[0] = previous;
        }
    }
}
