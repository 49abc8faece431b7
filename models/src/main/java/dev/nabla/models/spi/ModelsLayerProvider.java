package dev.nabla.models.spi;

import dev.nabla.api.nn.Attention;
import dev.nabla.api.nn.Layer;
import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.LayerProvider;
import dev.nabla.api.spi.Config;
import dev.nabla.models.nn.Activation;
import dev.nabla.models.nn.BatchNorm;
import dev.nabla.models.nn.Dropout;
import dev.nabla.models.nn.Embedding;
import dev.nabla.models.nn.GRUCell;
import dev.nabla.models.nn.LSTMCell;
import dev.nabla.models.nn.LayerNorm;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.MLP;
import dev.nabla.models.nn.Sequential;
import dev.nabla.models.nn.RNNCell;
import dev.nabla.models.nn.ScaledDotProductAttention;

import java.util.ArrayList;
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
 * Recurrent cells ({@link #createCell}):
 * <ul>
 *   <li>{@code rnn_cell}: {@code input_size}, {@code hidden_size}, {@code nonlinearity} ("tanh" or "relu"),
 *       {@code bias} (true), {@code dtype} ("float32")</li>
 *   <li>{@code lstm_cell}, {@code gru_cell}: {@code input_size}, {@code hidden_size}, {@code bias} (true),
 *       {@code dtype} ("float32")</li>
 * </ul>
 * Attention ({@link #createAttention}):
 * <ul>
 *   <li>{@code scaled_dot_product_attention}: no settings</li>
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
                Config k = keys(name, c, Set.of("in", "out"), Set.of("bias"));
                yield new Linear(c.tensors(), c.random(), k.requiredInt("in"), k.requiredInt("out"), k.boolOr("bias", true));
            }
            case "mlp" -> {
                Config k = keys(name, c, Set.of("sizes"), Set.of("activation"));
                yield new MLP(c.tensors(), c.random(), k.intList("sizes"), k.stringOr("activation", "relu"));
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
                Config k = keys(name, c, Set.of("shape"), Set.of("eps", "affine"));
                int[] dims = k.raw("shape") instanceof List<?> ? k.intList("shape") : new int[] {k.requiredInt("shape")};
                yield new LayerNorm(c.tensors(), dims, k.doubleOr("eps", 1e-5), k.boolOr("affine", true));
            }
            case "batchnorm" -> {
                Config k = keys(name, c, Set.of("features"), Set.of("eps", "momentum", "affine"));
                yield new BatchNorm(c.tensors(), k.requiredInt("features"), k.doubleOr("eps", 1e-5),
                        k.doubleOr("momentum", 0.1), k.boolOr("affine", true));
            }
            case "dropout" -> {
                Config k = keys(name, c, Set.of(), Set.of("p", "seed"));
                long seed = k.has("seed") ? (long) k.doubleOr("seed", 0) : c.random().nextLong();
                yield new Dropout(k.doubleOr("p", 0.5), new dev.nabla.api.tensor.Generator(seed));
            }
            case "embedding" -> {
                Config k = keys(name, c, Set.of("vocab", "dim"), Set.of());
                yield new Embedding(c.tensors(), c.random(), k.requiredInt("vocab"), k.requiredInt("dim"));
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

    @Override
    public Set<String> cellNames() {
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(List.of("rnn_cell", "lstm_cell", "gru_cell")));
    }

    @Override
    public RecurrentCell<?> createCell(String name, BuildContext c) {
        return switch (name) {
            case "rnn_cell" -> {
                Config k = keys(name, c, Set.of("input_size", "hidden_size"), Set.of("nonlinearity", "bias", "dtype"));
                RNNCell.Nonlinearity act = RNNCell.Nonlinearity.parse(k.oneOf("nonlinearity", "tanh",
                        List.of("tanh", "relu")));
                yield new RNNCell(c.tensors(), c.random(), k.requiredPositiveInt("input_size"),
                        k.requiredPositiveInt("hidden_size"), act, k.boolOr("bias", true),
                        k.floatDtypeOr("dtype", "float32"));
            }
            case "lstm_cell", "gru_cell" -> {
                Config k = keys(name, c, Set.of("input_size", "hidden_size"), Set.of("bias", "dtype"));
                int in = k.requiredPositiveInt("input_size");
                int hidden = k.requiredPositiveInt("hidden_size");
                boolean bias = k.boolOr("bias", true);
                var dtype = k.floatDtypeOr("dtype", "float32");
                yield name.equals("lstm_cell") ? new LSTMCell(c.tensors(), c.random(), in, hidden, bias, dtype)
                        : new GRUCell(c.tensors(), c.random(), in, hidden, bias, dtype);
            }
            default -> throw new IllegalArgumentException("unknown recurrent cell '" + name
                    + "'; this provider builds " + cellNames());
        };
    }

    @Override
    public Set<String> attentionNames() {
        return Set.of("scaled_dot_product_attention");
    }

    @Override
    public Attention createAttention(String name, BuildContext c) {
        if (!name.equals("scaled_dot_product_attention")) {
            throw new IllegalArgumentException("unknown attention '" + name + "'; this provider builds "
                    + attentionNames());
        }
        keys(name, c, Set.of(), Set.of());
        return new ScaledDotProductAttention();
    }

    /** Checks the keys of the layer's configuration: every key known, every required one present. */
    private static Config keys(String layer, BuildContext c, Set<String> required, Set<String> optional) {
        Set<String> valid = new TreeSet<>(required);
        valid.addAll(optional);
        Config k = Config.keys(layer, c.config(), valid);
        k.require(required);
        return k;
    }
}
