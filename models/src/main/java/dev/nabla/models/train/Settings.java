package dev.nabla.models.train;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Typed, validated access to a trainer's settings map; every error names the key and the valid keys. */
public final class Settings {
    private final String trainer;
    private final Map<String, Object> values;

    /** Validates that every key of {@code values} is in {@code valid}. */
    public Settings(String trainer, Map<String, Object> values, Set<String> valid) {
        this.trainer = trainer;
        this.values = values;
        for (String k : values.keySet()) {
            if (!valid.contains(k)) {
                throw new IllegalArgumentException(trainer + ": unknown setting '" + k + "'; valid: " + new TreeSet<>(valid));
            }
        }
    }

    /** A setting; see the trainer's documentation. */
    public boolean has(String key) {
        return values.get(key) != null;
    }

    /** A setting; see the trainer's documentation. */
    public Object raw(String key) {
        return values.get(key);
    }

    /** A setting; see the trainer's documentation. */
    public double number(String key, double dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(trainer + ": setting '" + key + "' must be a number, got '" + v + "'");
    }

    /** A setting; see the trainer's documentation. */
    public long integer(String key, long dflt) {
        double d = number(key, dflt);
        if (d != Math.rint(d) || Math.abs(d) > 1L << 53) {
            throw new IllegalArgumentException(trainer + ": setting '" + key + "' must be an integer, got '"
                    + values.get(key) + "'");
        }
        return (long) d;
    }

    /** A setting; see the trainer's documentation. */
    public String string(String key, String dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        return v.toString().trim().toLowerCase(Locale.ROOT);
    }

    /** A setting; see the trainer's documentation. */
    public boolean bool(String key) {
        Object v = values.get(key);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(trainer + ": setting '" + key + "' must be true or false, got '" + v + "'");
    }
}
