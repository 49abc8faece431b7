package dev.nabla.models.flows;

import dev.nabla.api.types.DType;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Typed reading of a configuration map, rejecting unknown keys with the list of valid ones. */
final class Config {
    private final String who;
    private final Map<String, Object> values;
    private final Set<String> valid;

    Config(String who, Map<String, Object> values, Set<String> valid) {
        this.who = who;
        this.values = values;
        this.valid = new TreeSet<>(valid);
        for (String k : values.keySet()) {
            if (!valid.contains(k)) {
                throw new IllegalArgumentException(who + ": unknown config key '" + k + "'; valid keys: " + this.valid);
            }
        }
    }

    int requiredInt(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException(who + ": config key '" + key + "' is required; valid keys: " + valid);
        }
        return intOr(key, 0);
    }

    int intOr(String key, int dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(who + ": config '" + key + "' must be an integer, got '" + v + "'");
    }

    int positiveIntOr(String key, int dflt) {
        int v = intOr(key, dflt);
        if (v < 1) {
            throw new IllegalArgumentException(who + ": config '" + key + "' must be a positive integer, got " + v);
        }
        return v;
    }

    double doubleOr(String key, double dflt) {
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
        throw new IllegalArgumentException(who + ": config '" + key + "' must be a number, got '" + v + "'");
    }

    boolean boolOr(String key, boolean dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(who + ": config '" + key + "' must be true or false, got '" + v + "'");
    }

    String stringOr(String key, String dflt) {
        Object v = values.get(key);
        return v == null ? dflt : v.toString().toLowerCase(Locale.ROOT);
    }

    DType dtype() {
        try {
            return DType.parse(stringOr("dtype", "float32"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(who + ": config 'dtype': " + e.getMessage(), e);
        }
    }

    /** Wraps a failure of a value check with the component's name. */
    IllegalArgumentException bad(String key, IllegalArgumentException e) {
        return new IllegalArgumentException(who + ": config '" + key + "': " + e.getMessage(), e);
    }
}
