package dev.nabla.launcher.bench;

/**
 * One workload prepared on one backend: its inputs (and, for a training step, its model and
 * optimizer) already allocated, so that {@link #run(int)} does only the work being timed. Closing it
 * frees what {@link Workload#prepare} allocated outside any scope (parameters, optimizer state);
 * tensors it allocated inside the caller's scope are freed with that scope.
 */
public interface Trial extends AutoCloseable {
    /**
     * Does the workload's unit of work {@code calls} times. The caller times the whole call and opens
     * a scope around it, so every tensor created here is freed when the round ends (a trial may also
     * free them sooner, in nested scopes).
     *
     * @param calls how many times, at least 1
     */
    void run(int calls);

    /** Frees what the trial holds outside scopes; nothing by default. */
    @Override
    default void close() {
    }
}
