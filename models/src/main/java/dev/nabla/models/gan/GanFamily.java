package dev.nabla.models.gan;

import dev.nabla.api.spi.Config;
import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.family.DataSpec;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.ModelSpec;
import dev.nabla.models.family.TableFamily;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generative adversarial networks as a model family ({@code "gan"}), a table of models
 * ({@link ModelSpec}) over data sets ({@link DataSpec}); adding a model is adding a row to {@link #MODELS}:
 * <ul>
 *   <li>{@code gan} on {@code 8gaussians} and {@code 25gaussians} ({@link GanToys}): MLP generator and
 *       discriminator ({@link ToyGan}); keys {@code latent} (2), {@code hidden} (128), {@code layers} (2);</li>
 *   <li>{@code dcgan} on {@code fashion-mnist} ({@link DcGan}); keys {@code latent} (64), {@code channels} (32)
 *       and the data key {@code limit} (the first N images, for quick runs).</li>
 *   <li>{@code sagan} on {@code fashion-mnist} ({@link Sagan}): the keys of {@code dcgan},
 *       with the paper's game as defaults: {@code loss=hinge}, {@code lr_d} 4e-4, {@code lr_g} 1e-4 (two time-scale
 *       learning rates), {@code beta1} 0, {@code beta2} 0.9.</li>
 * </ul>
 * Every model takes the keys of the game ({@link #GAME_KEYS}, {@link GanConfig}): {@code loss}
 * ({@code minimax} | {@code nonsaturating}, default), {@code k} (discriminator steps per generator step,
 * default 1), {@code lr_d} and {@code lr_g} (2e-4), {@code beta1} (0.5), {@code beta2} (0.999) and
 * {@code smooth} (one-sided label smoothing, 0). The value function and the losses are in {@link GanLoss};
 * the training in {@link GanModel} (trainer {@code updates}: two Adams, exact resume of both). The
 * learning rate of {@code --lr} does not apply: each player's is a key, recorded with the run.
 */
public final class GanFamily extends TableFamily {
    /** The family's name. */
    public static final String NAME = "gan";

    /** The keys of the game every model of the family takes, with their defaults. */
    public static final Map<String, Object> GAME_KEYS = gameKeys();

    /** Fashion-MNIST's grey levels in {@code [0, 1]}, with the data key {@code limit}; described by {@code dim}, {@code height}, {@code width}. */
    public static final DataSpec FASHION_MNIST = new DataSpec(DataCatalog.FASHION_MNIST, Set.of("limit"),
            GanFamily::fashionMnist, data -> Map.of("dim", 784L, "height", 28L, "width", 28L));

    /** The models. */
    public static final List<ModelSpec> MODELS = List.of(
            new ModelSpec("gan", "GAN of MLPs on 2-D mixtures of Gaussians (trainer updates)",
                    List.of(GanToys.EIGHT, GanToys.GRID), with(Map.of("latent", 2, "hidden", 128, "layers", 2)),
                    (r, c) -> new GanModel("gan", new ToyGan(r.tensors(), r.random(), c.intIn("latent", 1, 4096, 2),
                            c.intIn("hidden", 1, 16_384, 128), c.intIn("layers", 1, 16, 2)), game(c),
                            GanToys.modes(r.dataset()))),
            new ModelSpec("dcgan", "DCGAN: strided transposed-conv generator with BatchNorm, strided conv discriminator (trainer updates)",
                    List.of(DataCatalog.FASHION_MNIST), with(Map.of("latent", 64, "channels", 32, "limit", 0)),
                    (r, c) -> new GanModel("dcgan", new DcGan(r.tensors(), r.random(), c.intIn("latent", 1, 4096, 64),
                            c.intIn("channels", 1, 1024, 32)), game(c), null)),
            new ModelSpec("sagan", "Self-Attention GAN: DCGAN's shapes, spectral norm in both players, self-attention at 14x14, "
                    + "hinge loss, lr_d 4e-4 / lr_g 1e-4 (trainer updates)",
                    List.of(DataCatalog.FASHION_MNIST), with(Map.of("latent", 64, "channels", 32, "limit", 0, "loss", "hinge",
                            "lr_d", 4e-4, "lr_g", 1e-4, "beta1", 0.0, "beta2", 0.9)),
                    (r, c) -> new GanModel("sagan", new Sagan(r.tensors(), r.random(), c.intIn("latent", 1, 4096, 64),
                            c.intIn("channels", 1, 1024, 32)), game(c), null)));

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public GanFamily() {
        super(NAME, "generative adversarial networks: the minimax and non-saturating games on 2-D toys, DCGAN on images "
                + "(trainer updates)", MODELS, List.of(GanToys.specs().get(0), GanToys.specs().get(1), FASHION_MNIST));
    }

    private static Map<String, Object> gameKeys() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss", GanLoss.NON_SATURATING.key());
        m.put("k", 1);
        m.put("lr_d", 2e-4);
        m.put("lr_g", 2e-4);
        m.put("beta1", 0.5);
        m.put("beta2", 0.999);
        m.put("smooth", 0.0);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The game's keys followed by a model's own, in listing order. */
    public static Map<String, Object> with(Map<String, Object> own) {
        Map<String, Object> m = new LinkedHashMap<>(GAME_KEYS);
        new java.util.TreeMap<>(own).forEach(m::put);
        return m;
    }

    /**
     * The game's settings from a model's keys.
     *
     * @throws IllegalArgumentException naming an unknown loss, a {@code k} below 1 or another bad value
     */
    public static GanConfig game(Config c) {
        return new GanConfig(GanLoss.parse(c.stringOr("loss", GanLoss.NON_SATURATING.key())), c.intOr("k", 1),
                c.doubleOr("lr_d", 2e-4), c.doubleOr("lr_g", 2e-4), c.doubleOr("beta1", 0.5), c.doubleOr("beta2", 0.999),
                c.doubleOr("smooth", 0));
    }

    private static DataSplits fashionMnist(long seed, Map<String, Object> keys) {
        Object limit = keys.get("limit");
        int n = limit == null ? 0 : Config.keys(NAME, Map.of("limit", limit), Set.of("limit")).intIn("limit", 0,
                Integer.MAX_VALUE, 0);
        return DataCatalog.fashionMnistPixels(n);
    }

    /** Builds from a request (for tests and hosts that hold the family itself). */
    public GanModel buildGan(ModelRequest request) {
        return (GanModel) build(request);
    }
}
