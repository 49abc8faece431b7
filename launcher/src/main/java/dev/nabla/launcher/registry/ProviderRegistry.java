package dev.nabla.launcher.registry;

import dev.nabla.launcher.UsageException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The names offered by every provider of one SPI ({@link dev.nabla.api.spi.LayerProvider},
 * {@link dev.nabla.api.spi.FlowProvider} or {@link dev.nabla.api.spi.TrainerProvider}) and which
 * provider builds each. Providers from Nabla's own modules ({@code dev.nabla.*}) come first, then the
 * others by module name; when two offer the same name the first wins and the other is recorded as
 * shadowed, so {@code nabla list} can show the conflict instead of hiding it.
 *
 * @param <P> the provider type
 */
public final class ProviderRegistry<P> {
    /**
     * One name and who provides it.
     *
     * @param name     the name, as given to {@code create}
     * @param provider the provider that builds it
     * @param module   the provider's module name ({@code "unnamed"} on the class path)
     * @param shadows  modules that also offer this name but lose to {@code module}
     */
    public record Entry<P>(String name, P provider, String module, List<String> shadows) {
    }

    private final String kind;
    private final Map<String, Entry<P>> entries;
    private final List<String> loadErrors;

    private ProviderRegistry(String kind, Map<String, Entry<P>> entries, List<String> loadErrors) {
        this.kind = kind;
        this.entries = entries;
        this.loadErrors = loadErrors;
    }

    /**
     * A registry of {@code providers} (typically {@code ServiceLoader.load(P.class)}), each offering
     * {@code names.apply(p)}. A provider that fails to load is skipped and its error kept for
     * {@link #loadErrors()}.
     *
     * @param kind what the names are, for messages ({@code "layer"}, {@code "flow"}, {@code "trainer"})
     */
    public static <P> ProviderRegistry<P> of(String kind, Iterable<P> providers, Function<P, Set<String>> names) {
        List<P> found = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        var it = providers.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                errors.add(kind + " provider failed to load: " + e.getMessage());
            }
        }
        found.sort(Comparator.comparing((P p) -> !moduleOf(p).startsWith("dev.nabla."))
                .thenComparing(ProviderRegistry::moduleOf)
                .thenComparing(p -> p.getClass().getName()));
        Map<String, Entry<P>> entries = new LinkedHashMap<>();
        for (P p : found) {
            Set<String> offered;
            try {
                offered = new TreeSet<>(names.apply(p));
            } catch (RuntimeException e) {
                errors.add(kind + " provider " + p.getClass().getName() + " failed to list its names: " + e);
                continue;
            }
            for (String n : offered) {
                Entry<P> old = entries.get(n);
                if (old == null) {
                    entries.put(n, new Entry<>(n, p, moduleOf(p), new ArrayList<>()));
                } else {
                    old.shadows().add(moduleOf(p));
                }
            }
        }
        return new ProviderRegistry<>(kind, entries, errors);
    }

    /** The module a provider comes from, or {@code "unnamed"} for the class path. */
    public static String moduleOf(Object provider) {
        Module m = provider.getClass().getModule();
        return m.isNamed() ? m.getName() : "unnamed";
    }

    /** What the names are ({@code "layer"}, …). */
    public String kind() {
        return kind;
    }

    /** Every name, sorted. */
    public Set<String> names() {
        return new TreeSet<>(entries.keySet());
    }

    /** True if some provider offers {@code name}. */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** Every entry, sorted by name. */
    public List<Entry<P>> entries() {
        List<Entry<P>> l = new ArrayList<>(entries.values());
        l.sort(Comparator.comparing(Entry::name));
        return Collections.unmodifiableList(l);
    }

    /**
     * The provider of {@code name}.
     *
     * @throws UsageException naming the valid names when none offers it
     */
    public P provider(String name) {
        Entry<P> e = entries.get(name);
        if (e == null) {
            throw UsageException.unknown(kind, name, names());
        }
        return e.provider();
    }

    /** Providers that could not be loaded or listed, as messages. */
    public List<String> loadErrors() {
        return List.copyOf(loadErrors);
    }
}
