package dev.nabla.models.flows;

import dev.nabla.api.flow.Flow;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.flows.density.StandardNormal;
import dev.nabla.models.nn.LayerFactory;
import dev.nabla.api.spi.Config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whole-model builders: a standard-normal base under a stack of flow layers, as a
 * {@link TransformedDistribution}. What {@code nabla train realnvp --dataset moons} builds.
 *
 * <ul>
 *   <li>{@link #realNvp}: {@code blocks} × [{@link AffineCoupling} with checkerboard masks of alternating
 *       parity, then {@link ActNorm}]. Cheap density and cheap sampling.</li>
 *   <li>{@link #maf}: {@code blocks} × [{@link MaskedAutoregressiveFlow} in natural order, optionally a
 *       {@link BatchNormFlow}], with a {@link Reverse} between blocks. Cheap density, sampling in
 *       {@code D} passes per block.</li>
 *   <li>{@link #iaf}: the same with {@link InverseAutoregressiveFlow}. Cheap sampling (with log-probs),
 *       density of external data in {@code D} passes per block.</li>
 * </ul>
 *
 * <p>{@link #model(String, TensorFactory, Generator, Map)} builds any of them from a configuration map
 * (keys {@code dim} (required), {@code blocks} (4), {@code hidden} (64), {@code layers} (2),
 * {@code activation} (relu for RealNVP, tanh for MAF/IAF: see {@link #DEFAULT_ACTIVATION}), {@code dtype} (float32), {@code actnorm} (true, RealNVP),
 * {@code batchnorm} (false, MAF/IAF), {@code net} (RealNVP: the conditioner; {@code mlp}, the default, or the
 * name of any layer the {@link LayerFactory} handed to {@link #model(String, TensorFactory, Generator, Map, LayerFactory)}
 * builds, see {@link #conditioner})). Flows never look layer providers up themselves: whoever builds the
 * model hands them the factory (the flows family gets the {@code nabla} command's; code may pass
 * {@code dev.nabla.models.spi.Layers::build}).
 */
public final class Flows {
    /** The model names {@link #model} knows. */
    public static final Set<String> MODELS = Set.of("realnvp", "maf", "iaf");

    private static final Set<String> MODEL_KEYS = Set.of("dim", "blocks", "hidden", "layers", "activation", "dtype",
            "actnorm", "batchnorm", "net");

    /** The most blocks a model built from configuration may have. */
    public static final int MAX_BLOCKS = 10_000;
    /** The widest conditioner hidden layer a model built from configuration may have. */
    public static final int MAX_HIDDEN = 1 << 20;
    /** The most hidden layers per conditioner a model built from configuration may have. */
    public static final int MAX_LAYERS = 1_000;
    /** The largest data dimension a model built from configuration may have. */
    public static final int MAX_DIM = 1 << 20;

    /** The {@code net} value meaning the built-in MLP conditioner. */
    public static final String DEFAULT_NET = "mlp";

    /**
     * The activation name that means "the model's default": ReLU for RealNVP (its scales are bounded by
     * {@code tanh} anyway) and tanh for MAF/IAF. With ReLU, MADE's log-scales grow linearly away from
     * the data, and in a stack each layer multiplies the next one's input by {@code exp(−α)}, so the
     * density of points a few units outside the data overflows to inf/NaN in float32 (e.g. when
     * plotting or integrating it on a grid); tanh hidden units keep {@code α} bounded.
     */
    public static final String DEFAULT_ACTIVATION = "default";

    private Flows() {
    }

    /**
     * Options shared by the builders.
     *
     * @param hidden     width of the conditioners' hidden layers
     * @param layers     number of hidden layers per conditioner
     * @param activation hidden activation
     * @param dtype      parameter dtype
     * @param actNorm    RealNVP: an ActNorm after each coupling
     * @param batchNorm  MAF/IAF: a BatchNormFlow after each autoregressive layer
     */
    public record Options(int hidden, int layers, String activation, DType dtype, boolean actNorm, boolean batchNorm) {
        /**
         * {@code hidden} units, 2 layers, the model's default activation ({@link #DEFAULT_ACTIVATION}),
         * float32, ActNorm on, BatchNorm off.
         */
        public static Options defaults(int hidden) {
            return new Options(hidden, 2, DEFAULT_ACTIVATION, DType.FLOAT32, true, false);
        }

        /** The activation to use for {@code model}: the given one, or the model's default. */
        String activationFor(String model) {
            if (!DEFAULT_ACTIVATION.equals(activation)) {
                return activation;
            }
            return model.equals("realnvp") ? "relu" : "tanh";
        }

        /** A copy in another dtype. */
        public Options withDtype(DType d) {
            return new Options(hidden, layers, activation, d, actNorm, batchNorm);
        }

        /** A copy with BatchNorm on or off. */
        public Options withBatchNorm(boolean on) {
            return new Options(hidden, layers, activation, dtype, actNorm, on);
        }

        /** A copy with ActNorm on or off. */
        public Options withActNorm(boolean on) {
            return new Options(hidden, layers, activation, dtype, on, batchNorm);
        }
    }

    /** RealNVP with default options. */
    public static TransformedDistribution realNvp(TensorFactory f, Generator g, int dim, int blocks, int hidden) {
        return realNvp(f, g, dim, blocks, Options.defaults(hidden));
    }

    /** RealNVP: {@code blocks} × [AffineCoupling(checkerboard, parity k mod 2), ActNorm?]. */
    public static TransformedDistribution realNvp(TensorFactory f, Generator g, int dim, int blocks, Options o) {
        checkArguments("realnvp", dim, blocks, o);
        if (dim < 2) {
            throw new IllegalArgumentException("realnvp: coupling needs dim >= 2, got " + dim);
        }
        List<Flow> layers = new ArrayList<>();
        for (int k = 0; k < blocks; k++) {
            layers.add(new AffineCoupling(f, g, AffineCoupling.mask("checkerboard", dim, k % 2), o.hidden(), o.layers(),
                    o.activationFor("realnvp"), o.dtype()));
            if (o.actNorm()) {
                layers.add(new ActNorm(f, dim, o.dtype()));
            }
        }
        return new TransformedDistribution(new StandardNormal(f, dim, o.dtype()), layers);
    }

    /**
     * RealNVP whose couplings' conditioners are layers named {@code net}, each built by
     * {@link #conditioner} through {@code layers}.
     */
    public static TransformedDistribution realNvp(TensorFactory f, Generator g, int dim, int blocks, Options o, String net,
            LayerFactory layers) {
        checkArguments("realnvp", dim, blocks, o);
        if (dim < 2) {
            throw new IllegalArgumentException("realnvp: coupling needs dim >= 2, got " + dim);
        }
        List<Flow> stack = new ArrayList<>();
        try {
            for (int k = 0; k < blocks; k++) {
                stack.add(new AffineCoupling(f, AffineCoupling.mask("checkerboard", dim, k % 2), o.dtype(),
                        conditioner(layers, net, dim, o, f, g)));
                if (o.actNorm()) {
                    stack.add(new ActNorm(f, dim, o.dtype()));
                }
            }
        } catch (RuntimeException e) {
            stack.forEach(Flow::close);
            throw e;
        }
        return new TransformedDistribution(new StandardNormal(f, dim, o.dtype()), stack);
    }

    /**
     * A coupling conditioner: the layer {@code type} built by {@code layers} with
     * the conditioner keys {@code in} = D, {@code out} = 2D, {@code hidden}, {@code layers},
     * {@code activation} and {@code dtype} (a name such as {@code "float32"}). A layer offered as a
     * conditioner must accept these keys and map {@code [batch, in] → [batch, out]}.
     */
    public static dev.nabla.api.nn.Layer conditioner(LayerFactory layers, String type, int dim, Options o, TensorFactory f,
            Generator g) {
        Map<String, Object> cfg = new java.util.LinkedHashMap<>();
        cfg.put("type", type);
        cfg.put("in", dim);
        cfg.put("out", 2 * dim);
        cfg.put("hidden", o.hidden());
        cfg.put("layers", o.layers());
        cfg.put("activation", o.activationFor("realnvp"));
        cfg.put("dtype", o.dtype().toString().toLowerCase(java.util.Locale.ROOT));
        return layers.build(cfg, f, g);
    }

    /** MAF with default options (no BatchNorm). */
    public static TransformedDistribution maf(TensorFactory f, Generator g, int dim, int blocks, int hidden) {
        return maf(f, g, dim, blocks, Options.defaults(hidden));
    }

    /** MAF: {@code blocks} × [MAF(natural order), BatchNormFlow?], Reverse between blocks. */
    public static TransformedDistribution maf(TensorFactory f, Generator g, int dim, int blocks, Options o) {
        return autoregressive("maf", f, g, dim, blocks, o, false);
    }

    /** IAF with default options (no BatchNorm). */
    public static TransformedDistribution iaf(TensorFactory f, Generator g, int dim, int blocks, int hidden) {
        return iaf(f, g, dim, blocks, Options.defaults(hidden));
    }

    /** IAF: {@code blocks} × [IAF(natural order), BatchNormFlow?], Reverse between blocks. */
    public static TransformedDistribution iaf(TensorFactory f, Generator g, int dim, int blocks, Options o) {
        return autoregressive("iaf", f, g, dim, blocks, o, true);
    }

    private static TransformedDistribution autoregressive(String who, TensorFactory f, Generator g, int dim, int blocks,
            Options o, boolean inverse) {
        checkArguments(who, dim, blocks, o);
        int[] hidden = new int[o.layers()];
        java.util.Arrays.fill(hidden, o.hidden());
        int[] natural = MADE.order("natural", dim, g);
        List<Flow> layers = new ArrayList<>();
        for (int k = 0; k < blocks; k++) {
            layers.add(inverse
                    ? new InverseAutoregressiveFlow(f, g, natural, hidden, o.activationFor(who), o.dtype())
                    : new MaskedAutoregressiveFlow(f, g, natural, hidden, o.activationFor(who), o.dtype()));
            if (o.batchNorm()) {
                layers.add(new BatchNormFlow(f, dim, o.dtype()));
            }
            if (k + 1 < blocks) {
                layers.add(new Reverse(f, dim));
            }
        }
        return new TransformedDistribution(new StandardNormal(f, dim, o.dtype()), layers);
    }

    /**
     * Checks a builder's arguments before anything is allocated, so a bad one is reported with the
     * model's and the argument's names rather than from deep inside a conditioner.
     */
    private static void checkArguments(String who, int dim, int blocks, Options o) {
        if (dim < 1 || blocks < 1) {
            throw new IllegalArgumentException(who + ": dim and blocks must be positive, got " + dim + " and " + blocks);
        }
        if (o == null) {
            throw new IllegalArgumentException(who + ": options must not be null");
        }
        if (o.hidden() < 1) {
            throw new IllegalArgumentException(who + ": hidden (the conditioners' width) must be positive, got "
                    + o.hidden());
        }
        if (o.layers() < 1) {
            throw new IllegalArgumentException(who + ": layers (hidden layers per conditioner) must be positive, got "
                    + o.layers());
        }
        if (o.dtype() == null) {
            throw new IllegalArgumentException(who + ": dtype must not be null");
        }
        String activation = o.activationFor(who);
        if (activation == null) {
            throw new IllegalArgumentException(who + ": activation must not be null");
        }
        try {
            dev.nabla.models.nn.Activation.Kind.parse(activation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(who + ": activation: " + e.getMessage(), e);
        }
    }

    /**
     * Builds the named model ({@code realnvp}, {@code maf}, {@code iaf}) from configuration, with the
     * built-in MLP conditioners ({@code net} must be absent or {@code mlp}).
     *
     * @throws IllegalArgumentException for an unknown name (listing the valid ones), an unknown key
     *                                  (listing the valid keys) or a bad value (naming the key)
     */
    public static TransformedDistribution model(String name, TensorFactory f, Generator g, Map<String, Object> config) {
        return model(name, f, g, config, null);
    }

    /**
     * Builds the named model ({@code realnvp}, {@code maf}, {@code iaf}) from configuration; a RealNVP
     * {@code net} other than {@code mlp} is built by {@code layers}.
     *
     * @param layers builds the conditioners named by {@code net}; may be null when {@code net} is {@code mlp}
     * @throws IllegalArgumentException for an unknown name (listing the valid ones), an unknown key
     *                                  (listing the valid keys), a bad value (naming the key), or an
     *                                  unknown conditioner (listing the layers {@code layers} knows)
     */
    public static TransformedDistribution model(String name, TensorFactory f, Generator g, Map<String, Object> config,
            LayerFactory layers) {
        return build(spec(name, config), f, g, layers);
    }

    /** A model's configuration, read and checked. */
    private record Spec(String name, int dim, int blocks, Options options, String net) {
    }

    /**
     * The bytes the state (parameters and buffers) of the model {@link #model} would build from
     * {@code config} takes, computed without allocating: empty for a RealNVP whose conditioner is
     * another layer ({@code net}). Saturates at {@link Long#MAX_VALUE}.
     *
     * @throws IllegalArgumentException as {@link #model} does for a bad name, key or value
     */
    public static java.util.OptionalLong stateBytes(String name, Map<String, Object> config) {
        Spec sp = spec(name, config);
        if (!DEFAULT_NET.equals(sp.net())) {
            return java.util.OptionalLong.empty();
        }
        Options o = sp.options();
        double d = sp.dim();
        double h = o.hidden();
        // hidden layers: in → h, (layers − 1) × (h → h), h → 2·dim; a layer in → out has in·out weights and out biases
        double weights = d * h + (o.layers() - 1) * h * h + h * 2 * d;
        double biases = o.layers() * h + 2 * d;
        double perBlock;
        if (sp.name().equals("realnvp")) {   // MLP conditioner, two masks, a scale; ActNorm's loc, log_scale and flag
            perBlock = weights + biases + 3 * d + (o.actNorm() ? 2 * d + 1 : 0);
        } else {                             // MADE: masked linears keep a mask as large as their weights
            perBlock = 2 * weights + biases + (o.batchNorm() ? 4 * d : 0);
        }
        double bytes = perBlock * sp.blocks() * o.dtype().byteSize();
        return java.util.OptionalLong.of(bytes >= 0x1p62 ? Long.MAX_VALUE : (long) bytes);
    }

    private static Spec spec(String name, Map<String, Object> config) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (!MODELS.contains(n)) {
            throw new IllegalArgumentException("unknown flow model '" + name + "'; valid: " + new java.util.TreeSet<>(MODELS));
        }
        Config c = new Config(n, "config key", config, MODEL_KEYS);
        int dim = c.requiredInt("dim");
        if (dim > MAX_DIM) {
            throw c.mustBe("dim", "at most " + MAX_DIM);
        }
        int blocks = c.intIn("blocks", 1, MAX_BLOCKS, 4);
        String activation = c.stringOr("activation", DEFAULT_ACTIVATION);
        if (!DEFAULT_ACTIVATION.equals(activation)) {
            try {
                dev.nabla.models.nn.Activation.Kind.parse(activation);
            } catch (IllegalArgumentException e) {
                throw c.bad("activation", e);
            }
        }
        Options o = new Options(c.intIn("hidden", 1, MAX_HIDDEN, 64), c.intIn("layers", 1, MAX_LAYERS, 2), activation,
                c.dtypeOr("dtype", "float32"),
                c.boolOr("actnorm", true), c.boolOr("batchnorm", false));
        String net = c.stringOr("net", DEFAULT_NET);
        if (!DEFAULT_NET.equals(net) && !n.equals("realnvp")) {
            throw new IllegalArgumentException(n + ": key 'net' applies to realnvp only (MAF and IAF use masked networks)");
        }
        return new Spec(n, dim, blocks, o, net);
    }

    private static TransformedDistribution build(Spec sp, TensorFactory f, Generator g, LayerFactory layers) {
        String n = sp.name();
        int dim = sp.dim();
        int blocks = sp.blocks();
        Options o = sp.options();
        String net = sp.net();
        if (!DEFAULT_NET.equals(net)) {
            if (layers == null) {
                throw new IllegalArgumentException(n + ": key 'net' = '" + net + "' needs a layer factory to build it;"
                        + " pass one to Flows.model (e.g. dev.nabla.models.spi.Layers::build)");
            }
            return realNvp(f, g, dim, blocks, o, net, layers);
        }
        return switch (n) {
            case "realnvp" -> realNvp(f, g, dim, blocks, o);
            case "maf" -> maf(f, g, dim, blocks, o);
            default -> iaf(f, g, dim, blocks, o);
        };
    }
}
