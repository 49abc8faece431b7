package dev.nabla.api.spi;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.types.NablaException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds backend providers with {@link ServiceLoader} and chooses one.
 *
 * <p>Selection order: the system property {@value #PROPERTY}, else the environment variable
 * {@value #ENV}, else the available provider with the highest priority. Naming an unknown or
 * unavailable backend fails with a message that lists every backend found and why each unavailable
 * one is unavailable. Each backend is created once per JVM and shared.
 */
public final class Backends {
    /** System property naming the backend to use. */
    public static final String PROPERTY = "nabla.backend";
    /** Environment variable naming the backend to use when the property is not set. */
    public static final String ENV = "NABLA_BACKEND";

    private static final Map<String, Backend> CREATED = new ConcurrentHashMap<>();

    private Backends() {
    }

    /** What was chosen and why. */
    public record Selection(BackendProvider provider, String reason) {
    }

    /** Every provider on the module path (and class path), highest priority first. */
    public static List<BackendProvider> providers() {
        List<BackendProvider> found = new ArrayList<>();
        ServiceLoader<BackendProvider> loader = ServiceLoader.load(BackendProvider.class);
        var it = loader.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                // a broken provider must not hide the others; it simply is not listed
                System.err.println("nabla: ignoring a backend provider that failed to load: " + e.getMessage());
            }
        }
        found.sort(Comparator.comparingInt(BackendProvider::priority).reversed()
                .thenComparing(BackendProvider::name));
        return found;
    }

    /** The backend chosen by property, environment or priority; created once and cached. */
    public static Backend selected() {
        return create(select(System.getProperty(PROPERTY), System.getenv(ENV), providers()).provider());
    }

    /**
     * The backend with the given name, created once and cached.
     *
     * @throws NablaException listing what was found if it is unknown or unavailable
     */
    public static Backend get(String name) {
        return create(select(name, null, providers()).provider());
    }

    /**
     * The choice among {@code found} given a requested name from the property and one from the
     * environment (either may be null or blank).
     *
     * @throws NablaException listing what was found if the requested one is unknown or unavailable,
     *                        or if nothing is available
     */
    public static Selection select(String property, String env, List<BackendProvider> found) {
        String requested = null;
        String source = null;
        if (property != null && !property.isBlank()) {
            requested = property.trim();
            source = "-D" + PROPERTY;
        } else if (env != null && !env.isBlank()) {
            requested = env.trim();
            source = ENV;
        }
        if (requested != null) {
            for (BackendProvider p : found) {
                if (p.name().equalsIgnoreCase(requested)) {
                    Availability a = p.availability();
                    if (!a.available()) {
                        throw new NablaException("backend '" + requested + "' (from " + source + ") is unavailable: "
                                + a.reason() + ". Found: " + describe(found));
                    }
                    return new Selection(p, "named by " + source);
                }
            }
            throw new NablaException("backend '" + requested + "' (from " + source + ") is unknown. Found: "
                    + describe(found));
        }
        for (BackendProvider p : found) {
            if (p.availability().available()) {
                return new Selection(p, "highest priority available (" + p.priority() + ")");
            }
        }
        throw new NablaException("no backend is available. Found: " + describe(found)
                + ". Put a provider jar (e.g. nabla-provider-reference) on the module path");
    }

    /** One line per provider: name, priority, availability and reason. */
    public static String describe(List<BackendProvider> found) {
        if (found.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (BackendProvider p : found) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            Availability a = p.availability();
            sb.append(p.name()).append(" (priority ").append(p.priority()).append(", ")
                    .append(a.available() ? "available: " : "unavailable: ").append(a.reason()).append(')');
        }
        return sb.toString();
    }

    private static Backend create(BackendProvider p) {
        return CREATED.computeIfAbsent(p.name(), n -> p.create());
    }
}
