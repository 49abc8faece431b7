package dev.nabla.api.spi;

import dev.nabla.api.backend.Backend;

/**
 * Service interface of a compute backend, found with {@link java.util.ServiceLoader}
 * ({@code provides dev.nabla.api.spi.BackendProvider with …} in the provider's {@code module-info}).
 *
 * <p>The selected backend is the one named by {@code -Dnabla.backend}, else by the environment
 * variable {@code NABLA_BACKEND}, else the available one with the highest {@link #priority()}; see
 * {@link Backends}. A provider must be cheap to instantiate: heavy work (loading native libraries)
 * belongs in {@link #availability()} (cached) or {@link #create()}.
 */
public interface BackendProvider {
    /** The backend's name, lower case, as used with {@code -Dnabla.backend}. */
    String name();

    /** Higher wins when no backend is named. The reference provider has the lowest, 0. */
    int priority();

    /** Whether this backend can run here, and why not. Must never throw or crash the JVM. */
    Availability availability();

    /**
     * Creates the backend.
     *
     * @throws IllegalStateException if the backend is not available; the message gives the reason
     */
    Backend create();
}
