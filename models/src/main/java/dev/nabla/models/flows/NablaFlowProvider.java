package dev.nabla.models.flows;

import dev.nabla.api.flow.Flow;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.FlowProvider;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.types.DType;
import dev.nabla.api.spi.Config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The model library's single flow layers by name, for configuration-built models. Every flow takes
 * {@code dim} (required) and {@code dtype} ({@code float32}); the others:
 *
 * <table>
 *   <caption>names and keys</caption>
 *   <tr><th>name</th><th>flow</th><th>further keys (default)</th></tr>
 *   <tr><td>{@code maf}</td><td>{@link MaskedAutoregressiveFlow}</td><td>{@code hidden} (64), {@code layers} (2),
 *       {@code order} (natural | reversed | random), {@code activation} (relu)</td></tr>
 *   <tr><td>{@code iaf}</td><td>{@link InverseAutoregressiveFlow}</td><td>as {@code maf}</td></tr>
 *   <tr><td>{@code realnvp}, {@code affine_coupling}</td><td>{@link AffineCoupling}</td><td>{@code hidden} (64),
 *       {@code layers} (2), {@code mask} (checkerboard | half), {@code parity} (0), {@code activation} (relu)</td></tr>
 *   <tr><td>{@code actnorm}</td><td>{@link ActNorm}</td><td>—</td></tr>
 *   <tr><td>{@code batchnorm}</td><td>{@link BatchNormFlow}</td><td>{@code momentum} (0.1), {@code eps} (1e-5)</td></tr>
 *   <tr><td>{@code permute}</td><td>{@link Permute} (random, from the context's generator)</td><td>—</td></tr>
 *   <tr><td>{@code reverse}</td><td>{@link Reverse}</td><td>—</td></tr>
 * </table>
 *
 * <p>Whole models (stacks over a base distribution) come from {@link Flows}.
 */
public final class NablaFlowProvider implements FlowProvider {
    private static final Set<String> NAMES = Set.of("maf", "iaf", "realnvp", "affine_coupling", "actnorm", "batchnorm",
            "permute", "reverse");
    private static final Set<String> AUTOREGRESSIVE_KEYS = Set.of("dim", "dtype", "hidden", "layers", "order",
            "activation");
    private static final Set<String> COUPLING_KEYS = Set.of("dim", "dtype", "hidden", "layers", "mask", "parity",
            "activation");
    private static final Set<String> BATCHNORM_KEYS = Set.of("dim", "dtype", "momentum", "eps");
    private static final Set<String> PLAIN_KEYS = Set.of("dim", "dtype");

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public NablaFlowProvider() {
    }

    @Override
    public Set<String> names() {
        return NAMES;
    }

    @Override
    public Flow create(String name, BuildContext context) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        var f = context.tensors();
        Generator g = context.random();
        Map<String, Object> cfg = context.config();
        switch (n) {
            case "maf", "iaf" -> {
                Config c = new Config(n, "config key", cfg, AUTOREGRESSIVE_KEYS);
                int dim = c.requiredPositiveInt("dim");
                int[] hidden = new int[c.positiveIntOr("layers", 2)];
                Arrays.fill(hidden, c.positiveIntOr("hidden", 64));
                int[] order;
                try {
                    order = MADE.order(c.stringOr("order", "natural"), dim, g);
                } catch (IllegalArgumentException e) {
                    throw c.bad("order", e);
                }
                String act = activation(c);
                DType dt = c.dtypeOr("dtype", "float32");
                return n.equals("maf") ? new MaskedAutoregressiveFlow(f, g, order, hidden, act, dt)
                        : new InverseAutoregressiveFlow(f, g, order, hidden, act, dt);
            }
            case "realnvp", "affine_coupling" -> {
                Config c = new Config(n, "config key", cfg, COUPLING_KEYS);
                int dim = c.requiredPositiveInt("dim");
                double[] mask;
                try {
                    mask = AffineCoupling.mask(c.stringOr("mask", "checkerboard"), dim, c.intOr("parity", 0));
                } catch (IllegalArgumentException e) {
                    throw c.bad("mask", e);
                }
                return new AffineCoupling(f, g, mask, c.positiveIntOr("hidden", 64),
                        c.positiveIntOr("layers", 2), activation(c), c.dtypeOr("dtype", "float32"));
            }
            case "actnorm" -> {
                Config c = new Config(n, "config key", cfg, PLAIN_KEYS);
                return new ActNorm(f, c.requiredPositiveInt("dim"), c.dtypeOr("dtype", "float32"));
            }
            case "batchnorm" -> {
                Config c = new Config(n, "config key", cfg, BATCHNORM_KEYS);
                return new BatchNormFlow(f, c.requiredPositiveInt("dim"), c.doubleOr("momentum", 0.1),
                        c.doubleOr("eps", 1e-5), c.dtypeOr("dtype", "float32"));
            }
            case "permute" -> {
                Config c = new Config(n, "config key", cfg, PLAIN_KEYS);
                return Permute.random(f, g, c.requiredPositiveInt("dim"), c.dtypeOr("dtype", "float32"));
            }
            case "reverse" -> {
                Config c = new Config(n, "config key", cfg, PLAIN_KEYS);
                c.dtypeOr("dtype", "float32");
                return new Reverse(f, c.requiredPositiveInt("dim"));
            }
            default -> throw new IllegalArgumentException("unknown flow '" + name + "'; valid: " + new TreeSet<>(NAMES));
        }
    }

    private static String activation(Config c) {
        String a = c.stringOr("activation", "relu");
        try {
            dev.nabla.models.nn.Activation.Kind.parse(a);
        } catch (IllegalArgumentException e) {
            throw c.bad("activation", e);
        }
        return a;
    }
}
