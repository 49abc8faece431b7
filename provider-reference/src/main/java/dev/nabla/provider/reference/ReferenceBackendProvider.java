package dev.nabla.provider.reference;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.Availability;
import dev.nabla.api.spi.BackendProvider;

/**
 * Service provider of the {@link ReferenceBackend}: name {@code "reference"}, priority 0 (the lowest,
 * so any other available backend wins unless this one is named), and always available.
 */
public final class ReferenceBackendProvider implements BackendProvider {
    private static final Availability AVAILABLE = Availability.available("pure Java, always available");

    /** Creates the provider; called by {@link java.util.ServiceLoader}. */
    public ReferenceBackendProvider() {
    }

    @Override
    public String name() {
        return ReferenceBackend.NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Availability availability() {
        return AVAILABLE;
    }

    @Override
    public Backend create() {
        return new ReferenceBackend();
    }
}
