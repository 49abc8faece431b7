package dev.nabla.models.family;

import dev.nabla.api.tensor.Generator;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code nabla sample} asks a model for: how many samples, the generator to draw them with, and the
 * sampling options the user gave by name — {@code prompt}, {@code length}, {@code temperature} for a
 * language model, {@code input} and {@code beam} for a translating one, and whatever a family documents.
 * An option the model does not use is refused by name ({@link #requireOnly}), never ignored.
 *
 * <pre>{@code
 * // given: Generator random
 * SampleRequest r = new SampleRequest(1, random, Map.of("prompt", "ROMEO:", "length", "200"));
 * r.requireOnly("char-lstm", Set.of("prompt", "length", "temperature"));
 * int length = r.intOption("length", 500, 1, 100_000);          // 200
 * double t = r.doubleOption("temperature", 1.0, 1e-3, 100.0);   // 1.0, not given
 * }</pre>
 *
 * @param count   the number of samples ({@code --count})
 * @param random  the generator to draw with
 * @param options the options given, by name without dashes
 */
public record SampleRequest(int count, Generator random, Map<String, String> options) {
    /** Checks and copies. */
    public SampleRequest {
        Objects.requireNonNull(random, "random");
        if (count < 1) {
            throw new IllegalArgumentException("sample: count must be at least 1, got " + count);
        }
        options = Collections.unmodifiableMap(new TreeMap<>(options));
    }

    /** A request with no options. */
    public SampleRequest(int count, Generator random) {
        this(count, random, Map.of());
    }

    /**
     * Refuses every option outside {@code used}, naming it and what {@code model} takes.
     *
     * @param model the model's name, for the message
     * @param used  the options the model reads
     * @throws IllegalArgumentException naming the first option it does not use
     */
    public void requireOnly(String model, Set<String> used) {
        for (String name : options.keySet()) {
            if (!used.contains(name)) {
                throw new IllegalArgumentException("sample: model '" + model + "' does not take --" + name
                        + (used.isEmpty() ? " (it takes no sampling options)"
                                : " (it takes " + String.join(", ", new TreeSet<>(used).stream().map(s -> "--" + s).toList()) + ")"));
            }
        }
    }

    /** The option's value, if given. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    /**
     * A non-empty text option.
     *
     * @throws IllegalArgumentException if it is given empty
     */
    public Optional<String> textOption(String name) {
        Optional<String> v = option(name);
        if (v.isPresent() && v.get().isEmpty()) {
            throw new IllegalArgumentException("sample: --" + name + " must not be empty");
        }
        return v;
    }

    /**
     * An integer option within {@code [min, max]}, or {@code fallback} when not given.
     *
     * @throws IllegalArgumentException naming the value if it is not an integer in range
     */
    public int intOption(String name, int fallback, int min, int max) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int x = Integer.parseInt(v.strip());
            if (x < min || x > max) {
                throw new IllegalArgumentException("sample: --" + name + " must be from " + min + " to " + max
                        + ", got " + x);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sample: --" + name + " must be an integer, got '" + v + "'");
        }
    }

    /**
     * A finite number within {@code [min, max]}, or {@code fallback} when not given.
     *
     * @throws IllegalArgumentException naming the value if it is not a number in range
     */
    public double doubleOption(String name, double fallback, double min, double max) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double x = Double.parseDouble(v.strip());
            if (!(x >= min && x <= max)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "sample: --%s must be from %s to %s, got %s", name, min, max, v));
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sample: --" + name + " must be a number, got '" + v + "'");
        }
    }
}
