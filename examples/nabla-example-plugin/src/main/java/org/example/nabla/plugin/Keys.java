package org.example.nabla.plugin;

import dev.nabla.api.types.DType;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checked, typed reading of a configuration or settings map. Construction refuses every key outside the
 * valid set, naming it and the valid keys ({@code "residual_mlp: unknown key 'hiden'; valid keys: [...]"});
 * each reader names the owner and the key when a value is missing or of the wrong kind. Values may be of
 * their own type or a string spelling it, as from a command line.
 */
final class Keys {
    private final String owner;
    private final String noun;
    private final Map<String, ?> values;

    private Keys(String owner, String noun, Map<String, ?> values) {
        this.owner = owner;
        this.noun = noun;
        this.values = values;
    }

    /**
     * Checks that every key of {@code values} is in {@code valid}.
     *
     * @param noun what an entry is called in messages ({@code "key"}, {@code "setting"})
     * @throws IllegalArgumentException naming the first unknown key (in sorted order) and the valid ones
     */
    static Keys check(String owner, String noun, Map<String, ?> values, Set<String> valid) {
        for (String k : new TreeSet<>(values.keySet())) {
            if (!valid.contains(k)) {
                throw new IllegalArgumentException(owner + ": unknown " + noun + " '" + k + "'; valid " + noun + "s: "
                        + new TreeSet<>(valid));
            }
        }
        return new Keys(owner, noun, values);
    }

    private IllegalArgumentException bad(String key, String must) {
        Object v = values.get(key);
        return new IllegalArgumentException(owner + ": " + noun + " '" + key + "' must be " + must + ", got "
                + (v == null ? "nothing" : "'" + v + "'"));
    }

    /** A required integer of at least 1. */
    int requiredPositiveInt(String key) {
        if (values.get(key) == null) {
            throw bad(key, "a positive integer");
        }
        return intAtLeast(key, 1, 0);
    }

    /** An optional integer of at least {@code min}. */
    int intAtLeast(String key, int min, int dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        double d = number(key, v, "an integer >= " + min);
        if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
            throw bad(key, "an integer >= " + min);
        }
        return (int) d;
    }

    /** An optional non-negative integer of up to 63 bits. */
    long longAtLeastZero(String key, long dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Long || v instanceof Integer) {
            long l = ((Number) v).longValue();
            if (l >= 0) {
                return l;
            }
            throw bad(key, "an integer >= 0");
        }
        try {
            long l = Long.parseLong(v.toString().trim());
            if (l >= 0) {
                return l;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(key, "an integer >= 0");
    }

    /** An optional finite number in {@code [min, max]}. */
    double doubleIn(String key, double min, double max, double dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        String must = "a number in [" + min + ", " + max + "]";
        double d = number(key, v, must);
        if (!(d >= min && d <= max)) {
            throw bad(key, must);
        }
        return d;
    }

    /** An optional boolean: a {@link Boolean} or {@code true}/{@code false} in any case. */
    boolean bool(String key, boolean dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return s.equals("true");
        }
        throw bad(key, "true or false");
    }

    /** An optional name, trimmed and in lower case. */
    String name(String key, String dflt) {
        Object v = values.get(key);
        return v == null ? dflt : v.toString().trim().toLowerCase(Locale.ROOT);
    }

    /** An optional floating dtype, {@code float32} or {@code float64}. */
    DType floatDType(String key) {
        Object v = values.get(key);
        if (v == null) {
            return DType.FLOAT32;
        }
        if (v instanceof DType d && d.isFloatingPoint()) {
            return d;
        }
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            default -> throw bad(key, "float32 or float64");
        };
    }

    private double number(String key, Object v, String must) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw bad(key, must);
        }
    }
}
