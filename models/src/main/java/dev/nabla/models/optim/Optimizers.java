package dev.nabla.models.optim;

import dev.nabla.api.tensor.Tensor;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds an optimizer by name from a settings map, for configuration files and the CLI:
 * {@code "adam"}, {@code "adamw"}, {@code "sgd"}, {@code "rmsprop"}. Recognised settings (PyTorch's
 * names): {@code lr}; {@code beta1}, {@code beta2}, {@code eps}, {@code weight_decay} (Adam, AdamW);
 * {@code momentum}, {@code nesterov}, {@code weight_decay} (SGD); {@code alpha}, {@code eps},
 * {@code weight_decay}, {@code momentum}, {@code centered} (RMSProp). Unknown keys are refused.
 */
public final class Optimizers {
    /** The names {@link #create} accepts. */
    public static final List<String> NAMES = List.of("adam", "adamw", "sgd", "rmsprop");

    private Optimizers() {
    }

    /**
     * The named optimizer over {@code parameters}.
     *
     * @throws IllegalArgumentException for an unknown name or setting, naming the valid ones
     */
    public static Optimizer create(String name, Map<String, Tensor> parameters, Map<String, ?> settings) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        Set<String> valid = switch (n) {
            case "adam", "adamw" -> Set.of("lr", "beta1", "beta2", "eps", "weight_decay");
            case "sgd" -> Set.of("lr", "momentum", "nesterov", "weight_decay");
            case "rmsprop" -> Set.of("lr", "alpha", "eps", "weight_decay", "momentum", "centered");
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; valid: " + NAMES);
        };
        for (String k : settings.keySet()) {
            if (!valid.contains(k)) {
                throw new IllegalArgumentException("optimizer '" + n + "': unknown setting '" + k + "'; valid: "
                        + new TreeSet<>(valid));
            }
        }
        double lr = number(settings, "lr", n.equals("sgd") ? Double.NaN : 1e-3, n);
        return switch (n) {
            case "adam" -> new Adam(parameters, lr, number(settings, "beta1", 0.9, n), number(settings, "beta2", 0.999, n),
                    number(settings, "eps", 1e-8, n), number(settings, "weight_decay", 0, n));
            case "adamw" -> new AdamW(parameters, lr, number(settings, "beta1", 0.9, n),
                    number(settings, "beta2", 0.999, n), number(settings, "eps", 1e-8, n),
                    number(settings, "weight_decay", 0.01, n));
            case "sgd" -> new SGD(parameters, lr, number(settings, "momentum", 0, n),
                    number(settings, "weight_decay", 0, n), bool(settings, "nesterov", n));
            default -> new RMSProp(parameters, lr, number(settings, "alpha", 0.99, n), number(settings, "eps", 1e-8, n),
                    number(settings, "weight_decay", 0, n), number(settings, "momentum", 0, n),
                    bool(settings, "centered", n));
        };
    }

    private static double number(Map<String, ?> s, String key, double dflt, String opt) {
        Object v = s.get(key);
        if (v == null) {
            if (Double.isNaN(dflt)) {
                throw new IllegalArgumentException("optimizer '" + opt + "': setting '" + key + "' is required");
            }
            return dflt;
        }
        if (v instanceof Number num) {
            return num.doubleValue();
        }
        if (v instanceof String str) {
            try {
                return Double.parseDouble(str.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("optimizer '" + opt + "': setting '" + key + "' must be a number, got '" + v + "'");
    }

    private static boolean bool(Map<String, ?> s, String key, String opt) {
        Object v = s.get(key);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number num && (num.doubleValue() == 0 || num.doubleValue() == 1)) {
            return num.doubleValue() == 1;
        }
        if (v instanceof String str && (str.equalsIgnoreCase("true") || str.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(str);
        }
        throw new IllegalArgumentException("optimizer '" + opt + "': setting '" + key + "' must be true or false, got '"
                + v + "'");
    }
}
