package dev.nabla.api.spi;

import dev.nabla.api.types.DType;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, validated access to a configuration map, as the layer, flow, optimizer and trainer factories
 * read it — the model library's and any plugin's (a {@link BuildContext}'s {@code config()}, a
 * {@link TrainerProvider}'s settings). Construction rejects every key outside the valid set, naming it and the valid keys; each
 * reader names the owner and the key when a value has the wrong type, e.g.
 * {@code "linear: unknown key 'outs'; valid keys: [bias, in, out]"} or
 * {@code "mle: setting 'batchSize' must be an integer, got 'x'"}.
 *
 * <p>Values may be of their own type or a string spelling it (as from a command line): numbers are
 * {@link Number}s or parseable strings, integers must be integral, booleans are {@link Boolean}s,
 * {@code "true"}/{@code "false"} (any case) or the numbers 0 and 1, names are read trimmed and in lower
 * case. A {@code null} value counts as absent.
 */
public final class Config {
    private final String owner;
    private final String noun;
    private final Map<String, ?> values;
    private final Set<String> valid;

    /**
     * Checks {@code values} against {@code valid}.
     *
     * @param owner  what the settings configure, the prefix of every message (e.g. {@code "realnvp"})
     * @param noun   what a key is called in messages ({@code "key"}, {@code "setting"})
     * @param values the configuration map (not copied)
     * @param valid  the keys accepted
     * @throws IllegalArgumentException naming the first unknown key and the valid ones
     */
    public Config(String owner, String noun, Map<String, ?> values, Set<String> valid) {
        this.owner = owner;
        this.noun = noun;
        this.values = values;
        this.valid = new TreeSet<>(valid);
        for (String k : values.keySet()) {
            if (!valid.contains(k)) {
                throw new IllegalArgumentException(owner + ": unknown " + noun + " '" + k + "'; valid " + noun + "s: "
                        + this.valid);
            }
        }
    }

    /** A configuration whose entries are called keys in messages; see {@link #Config}. */
    public static Config keys(String owner, Map<String, ?> values, Set<String> valid) {
        return new Config(owner, "key", values, valid);
    }

    /** A configuration whose entries are called settings in messages; see {@link #Config}. */
    public static Config settings(String owner, Map<String, ?> values, Set<String> valid) {
        return new Config(owner, "setting", values, valid);
    }

    /** The owner named in messages. */
    public String owner() {
        return owner;
    }

    /** Whether {@code key} has a (non-null) value. */
    public boolean has(String key) {
        return values.get(key) != null;
    }

    /** The value of {@code key} as given, or null. */
    public Object raw(String key) {
        return values.get(key);
    }

    /**
     * Requires every one of {@code keys} (checked in sorted order).
     *
     * @throws IllegalArgumentException naming the first missing key and the valid keys
     */
    public void require(Set<String> keys) {
        for (String k : new TreeSet<>(keys)) {
            if (!has(k)) {
                throw missing(k);
            }
        }
    }

    /** A required integer. */
    public int requiredInt(String key) {
        if (!has(key)) {
            throw missing(key);
        }
        return intOr(key, 0);
    }

    /** A required integer of at least 1. */
    public int requiredPositiveInt(String key) {
        return positive(key, requiredInt(key));
    }

    /** An integer in the range of {@code int}, or {@code dflt} when absent. */
    public int intOr(String key, int dflt) {
        long v = longOr(key, dflt);
        if (v != (int) v) {
            throw mustBe(key, "an integer in the range of int");
        }
        return (int) v;
    }

    /** An integer of at least 1, or {@code dflt} when absent. */
    public int positiveIntOr(String key, int dflt) {
        return positive(key, intOr(key, dflt));
    }

    /**
     * An integer in {@code [min, max]}, or {@code dflt} when absent: what a size key (a width, a depth, a
     * count of blocks) is read with, so an absurd value is refused by name before anything is allocated.
     *
     * @throws IllegalArgumentException naming the key, the range and the value
     */
    public int intIn(String key, int min, int max, int dflt) {
        long v = longOr(key, dflt);
        if (v < min && min == 1) {
            throw mustBe(key, "a positive integer (at most " + max + ")");
        }
        if (v < min || v > max) {
            throw mustBe(key, "an integer from " + min + " to " + max);
        }
        return (int) v;
    }

    /** An integer (of magnitude at most 2<sup>53</sup>), or {@code dflt} when absent. */
    public long longOr(String key, long dflt) {
        if (!has(key)) {
            return dflt;
        }
        double d = doubleOr(key, 0, "an integer");
        if (d != Math.rint(d) || Math.abs(d) > 1L << 53) {
            throw mustBe(key, "an integer");
        }
        return (long) d;
    }

    /** An integer of at least {@code min}, or {@code dflt} when absent. */
    public long longAtLeast(String key, long min, long dflt) {
        long v = longOr(key, dflt);
        if (v < min) {
            throw mustBe(key, "an integer >= " + min);
        }
        return v;
    }

    /** A number in {@code [min, max]}, or {@code dflt} when absent (NaN is refused). */
    public double doubleIn(String key, double min, double max, double dflt) {
        double v = doubleOr(key, dflt);
        if (!(v >= min && v <= max)) {
            throw mustBe(key, "a number in [" + min + ", " + max + "]");
        }
        return v;
    }

    /** A required number. */
    public double requiredDouble(String key) {
        if (!has(key)) {
            throw missing(key);
        }
        return doubleOr(key, 0);
    }

    /** A number, or {@code dflt} when absent. */
    public double doubleOr(String key, double dflt) {
        return doubleOr(key, dflt, "a number");
    }

    private double doubleOr(String key, double dflt, String what) {
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
        throw mustBe(key, what);
    }

    /** A boolean, or {@code dflt} when absent. */
    public boolean boolOr(String key, boolean dflt) {
        Object v = values.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
            return n.doubleValue() == 1;
        }
        if (v instanceof String s && (s.trim().equalsIgnoreCase("true") || s.trim().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s.trim());
        }
        throw mustBe(key, "true or false");
    }

    /** A name, trimmed and in lower case, or {@code dflt} when absent. */
    public String stringOr(String key, String dflt) {
        Object v = values.get(key);
        return v == null ? dflt : v.toString().trim().toLowerCase(Locale.ROOT);
    }

    /**
     * One of {@code choices} (a name, read as by {@link #stringOr}), or {@code dflt} when absent.
     *
     * @throws IllegalArgumentException listing the choices
     */
    public String oneOf(String key, String dflt, List<String> choices) {
        String s = stringOr(key, dflt);
        if (!choices.contains(s)) {
            throw mustBe(key, "one of " + choices);
        }
        return s;
    }

    /** A required list of integers (a {@link List} of integral numbers or an {@code int[]}). */
    public int[] intList(String key) {
        if (!has(key)) {
            throw missing(key);
        }
        Object v = values.get(key);
        if (v instanceof int[] a) {
            return a.clone();
        }
        if (v instanceof List<?> l) {
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw new IllegalArgumentException(owner + ": " + noun + " '" + key
                            + "' must be a list of integers, got " + l);
                }
                out[i] = n.intValue();
            }
            return out;
        }
        throw new IllegalArgumentException(owner + ": " + noun + " '" + key + "' must be a list of integers, got '"
                + (v instanceof Object[] arr ? Arrays.toString(arr) : v) + "'");
    }

    /** The element type named by {@code key} (see {@link DType#parse}), or {@code dflt} when absent. */
    public DType dtypeOr(String key, String dflt) {
        try {
            return DType.parse(stringOr(key, dflt));
        } catch (IllegalArgumentException e) {
            throw bad(key, e);
        }
    }

    /** A floating-point element type ({@code float32} or {@code float64}), or {@code dflt} when absent. */
    public DType floatDtypeOr(String key, String dflt) {
        DType d = dtypeOr(key, dflt);
        if (!d.isFloatingPoint()) {
            throw mustBe(key, "float32 or float64");
        }
        return d;
    }

    /** Wraps a failed check of the value of {@code key} with the owner's and the key's names. */
    public IllegalArgumentException bad(String key, IllegalArgumentException e) {
        return new IllegalArgumentException(owner + ": " + noun + " '" + key + "': " + e.getMessage(), e);
    }

    /** The error for a value of {@code key} that is not {@code what} (e.g. "a positive integer"). */
    public IllegalArgumentException mustBe(String key, String what) {
        return new IllegalArgumentException(owner + ": " + noun + " '" + key + "' must be " + what + ", got '"
                + values.get(key) + "'");
    }

    private int positive(String key, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(owner + ": " + noun + " '" + key + "' must be a positive integer, got "
                    + v);
        }
        return v;
    }

    private IllegalArgumentException missing(String key) {
        return new IllegalArgumentException(owner + ": missing " + noun + " '" + key + "' ('" + key
                + "' is required); valid " + noun + "s: " + valid);
    }
}
