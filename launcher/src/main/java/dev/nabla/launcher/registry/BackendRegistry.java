package dev.nabla.launcher.registry;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.Availability;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.types.NablaException;
import dev.nabla.launcher.UsageException;

import java.util.List;

/**
 * The backend providers on the module path ({@link Backends#providers()}) and the choice among them:
 * {@code --backend NAME}, else {@code -Dnabla.backend}, else {@code NABLA_BACKEND}, else the available one
 * with the highest priority. Naming an unknown or unavailable backend is a {@link UsageException} that
 * lists every backend found with its availability.
 */
public final class BackendRegistry {
    private final List<BackendProvider> providers;
    private final String property;
    private final String env;

    /** A registry over {@code providers}, with the property and environment values to honour (either may be null). */
    public BackendRegistry(List<BackendProvider> providers, String property, String env) {
        this.providers = List.copyOf(providers);
        this.property = property;
        this.env = env;
    }

    /** Every backend provider found, highest priority first. */
    public List<BackendProvider> providers() {
        return providers;
    }

    /**
     * The selection for an optional {@code --backend} value (null or blank: property, environment,
     * priority).
     *
     * @throws UsageException if the named backend is unknown or unavailable, or none is available
     */
    public Backends.Selection select(String requested) {
        try {
            if (requested != null && !requested.isBlank()) {
                for (BackendProvider p : providers) {
                    if (p.name().equalsIgnoreCase(requested.trim())) {
                        Availability a = p.availability();
                        if (!a.available()) {
                            throw new UsageException("backend '" + requested + "' is unavailable: " + a.reason()
                                    + "; available: " + String.join(", ", availableNames()));
                        }
                        return new Backends.Selection(p, "named by --backend");
                    }
                }
                throw UsageException.unknown("backend", requested,
                        providers.stream().map(BackendProvider::name).toList());
            }
            return Backends.select(property, env, providers);
        } catch (NablaException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The backend for an optional {@code --backend} value, created once per JVM. */
    public Backend backend(String requested) {
        return Backends.get(select(requested).provider().name());
    }

    /** The names of the available backends, highest priority first. */
    public List<String> availableNames() {
        return providers.stream().filter(p -> p.availability().available()).map(BackendProvider::name).toList();
    }
}
