package dev.nabla.models.spi;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.LayerProvider;
import dev.nabla.models.layers.Activation;
import dev.nabla.models.layers.BatchNorm;
import dev.nabla.models.layers.Dropout;
import dev.nabla.models.layers.Embedding;
import dev.nabla.models.layers.LayerNorm;
import dev.nabla.models.layers.Linear;
import dev.nabla.models.layers.MLP;
import dev.nabla.models.layers.Sequential;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The model library's layers by name, for configuration maps and the CLI. Names and settings
 * (required unless a default is given):
 * <ul>
 *   <li>{@code linear}: {@code in}, {@code out}, {@code bias} (true)</li>
 *   <li>{@code mlp}: {@code sizes} (list of widths, input first), {@code activation} ("relu")</li>
 *   <li>{@code sequential}: {@code layers} (list of layer configs, each with a {@code type})</li>
 *   <li>{@code layernorm}: {@code shape} (an int or a list), {@code eps} (1e-5), {@code affine} (true)</li>
 *   <li>{@code batchnorm}: {@code features}, {@code eps} (1e-5), {@code momentum} (0.1), {@code affine} (true)</li>
 *   <li>{@code dropout}: {@code p} (0.5), {@code seed} (default: drawn from the build generator)</li>
 *   <li>{@code embedding}: {@code vocab}, {@code dim}</li>
 *   <li>each activation ({@code relu}, {@code leaky_relu}, {@code elu}, {@code gelu}, {@code tanh},
 *       {@code sigmoid}, {@code softplus}, {@code identity}): no settings</li>
 * </ul>
 * An unknown key is refused with a message naming it and the valid keys.
 */
public final class ModelsLayerProvider implements LayerProvider {
    private static final List<String> STRUCTURAL = List.of("linear", "mlp", "sequential", "layernorm", "batchnorm",
            "dropout", "embedding");

    @Override
    public Set<String> names() {
        Set<String> s = new LinkedHashSet<>(STRUCTURAL);
        for (Activation.Kind k : Activation.Kind.values()) {
            s.add(k.configName());
        }
        return s;
    }

    @Override
    public Layer create(String name, BuildContext c) {
        return switch (name) {
            case "linear" -> {
                keys(name, c, Set.of("in", "out"), Set.of("bias"));
                yield new Linear(c.tensors(), c.random(), c.intValue("in"), c.intValue("out"), bool(name, c, "bias", true));
            }
            case "mlp" -> {
                keys(name, c, Set.of("sizes"), Set.of("activation"));
                yield new MLP(c.tensors(), c.random(), ints(name, c, "sizes"), string(name, c, "activation", "relu"));
            }
            case "sequential" -> {
                keys(name, c, Set.of("layers"), Set.of());
                if (!(c.config().get("layers") instanceof List<?> list)) {
                    throw new IllegalArgumentException("sequential: 'layers' must be a list of layer configs");
                }
                List<Layer> layers = new ArrayList<>();
                try {
                    for (int i = 0; i < list.size(); i++) {
                        if (!(list.get(i) instanceof Map<?, ?> m)) {
                            throw new IllegalArgumentException("sequential: layers[" + i + "] must be a map with a 'type'");
                        }
                        Map<String, Object> cfg = new java.util.LinkedHashMap<>();
                        m.forEach((k, v) -> cfg.put(String.valueOf(k), v));
                        try {
                            layers.add(Layers.build(cfg, c.tensors(), c.random()));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("sequential: layers[" + i + "]: " + e.getMessage(), e);
                        }
                    }
                } catch (RuntimeException e) {
                    layers.forEach(Layer::close);
                    throw e;
                }
                yield new Sequential(layers);
            }
            case "layernorm" -> {
                keys(name, c, Set.of("shape"), Set.of("eps", "affine"));
                Object shape = c.config().get("shape");
                int[] dims = shape instanceof List<?> ? ints(name, c, "shape") : new int[] {c.intValue("shape")};
                yield new LayerNorm(c.tensors(), dims, number(name, c, "eps", 1e-5), bool(name, c, "affine", true));
            }
            case "batchnorm" -> {
                keys(name, c, Set.of("features"), Set.of("eps", "momentum", "affine"));
                yield new BatchNorm(c.tensors(), c.intValue("features"), number(name, c, "eps", 1e-5),
                        number(name, c, "momentum", 0.1), bool(name, c, "affine", true));
            }
            case "dropout" -> {
                keys(name, c, Set.of(), Set.of("p", "seed"));
                long seed = c.config().containsKey("seed") ? (long) number(name, c, "seed", 0) : c.random().nextLong();
                yield new Dropout(number(name, c, "p", 0.5), new dev.nabla.api.tensor.Generator(seed));
            }
            case "embedding" -> {
                keys(name, c, Set.of("vocab", "dim"), Set.of());
                yield new Embedding(c.tensors(), c.random(), c.intValue("vocab"), c.intValue("dim"));
            }
            default -> {
                Activation.Kind kind;
                try {
                    kind = Activation.Kind.parse(name);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown layer '" + name + "'; this provider builds " + names());
                }
                keys(name, c, Set.of(), Set.of());
                yield new Activation(kind);
            }
        };
    }

    private static void keys(String layer, BuildContext c, Set<String> required, Set<String> optional) {
        TreeSet<String> valid = new TreeSet<>(required);
        valid.addAll(optional);
        for (String k : c.config().keySet()) {
            if (!valid.contains(k)) {
                throw new IllegalArgumentException(layer + ": unknown key '" + k + "'; valid keys: " + valid);
            }
        }
        for (String k : new TreeSet<>(required)) {
            if (c.config().get(k) == null) {
                throw new IllegalArgumentException(layer + ": missing key '" + k + "'; valid keys: " + valid);
            }
        }
    }

    private static boolean bool(String layer, BuildContext c, String key, boolean dflt) {
        Object v = c.config().get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(layer + ": key '" + key + "' must be true or false, got '" + v + "'");
    }

    private static double number(String layer, BuildContext c, String key, double dflt) {
        Object v = c.config().get(key);
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
        throw new IllegalArgumentException(layer + ": key '" + key + "' must be a number, got '" + v + "'");
    }

    private static String string(String layer, BuildContext c, String key, String dflt) {
        Object v = c.config().get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(layer + ": key '" + key + "' must be a string, got '" + v + "'");
    }

    private static int[] ints(String layer, BuildContext c, String key) {
        Object v = c.config().get(key);
        if (v instanceof int[] a) {
            return a.clone();
        }
        if (v instanceof List<?> l) {
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw new IllegalArgumentException(layer + ": key '" + key + "' must be a list of integers, got " + l);
                }
                out[i] = n.intValue();
            }
            return out;
        }
        throw new IllegalArgumentException(layer + ": key '" + key + "' must be a list of integers, got '"
                + (v instanceof Object[] arr ? Arrays.toString(arr) : v) + "'");
    }
}
