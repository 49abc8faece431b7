package dev.nabla.models.optim;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.spi.Config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
        Config c = Config.settings("optimizer '" + n + "'", settings, valid);
        double lr = n.equals("sgd") ? c.requiredDouble("lr") : c.doubleOr("lr", 1e-3);
        return switch (n) {
            case "adam" -> new Adam(parameters, lr, c.doubleOr("beta1", 0.9), c.doubleOr("beta2", 0.999),
                    c.doubleOr("eps", 1e-8), c.doubleOr("weight_decay", 0));
            case "adamw" -> new AdamW(parameters, lr, c.doubleOr("beta1", 0.9),
                    c.doubleOr("beta2", 0.999), c.doubleOr("eps", 1e-8),
                    c.doubleOr("weight_decay", 0.01));
            case "sgd" -> new SGD(parameters, lr, c.doubleOr("momentum", 0),
                    c.doubleOr("weight_decay", 0), c.boolOr("nesterov", false));
            default -> new RMSProp(parameters, lr, c.doubleOr("alpha", 0.99), c.doubleOr("eps", 1e-8),
                    c.doubleOr("weight_decay", 0), c.doubleOr("momentum", 0),
                    c.boolOr("centered", false));
        };
    }
}
