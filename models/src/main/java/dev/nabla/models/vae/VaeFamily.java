package dev.nabla.models.vae;

import dev.nabla.api.spi.Config;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.Components;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.ModelFamily;
import dev.nabla.models.family.ModelInfo;
import dev.nabla.models.family.ModelRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variational autoencoders as a model family ({@code "vae"}): one model, {@code vae}, on
 * {@code fashion-mnist}, trained by the {@code objective} trainer on the negative ELBO
 * ({@link ElboObjective}). Keys ({@link VaeConfig}): {@code latent} (20), {@code hidden} (512),
 * {@code layers} (2), {@code conv} (false), {@code channels} (32), {@code decoder}
 * ({@code bernoulli} | {@code gaussian} | {@code gaussian-learned}), {@code sigma} (0.1), {@code beta} (1),
 * {@code warmup} (0 steps), {@code dtype} (float32), {@code iw} (1000, the {@code K} of the
 * importance-weighted bound {@code eval} reports), {@code iw_images} (0: all; else the bound over the
 * first N images of the split only, for quick comparisons) and {@code limit} (a key of the data: the first N
 * images, for quick runs). Any other key is refused by name. With the Bernoulli decoder the images are
 * binarised once, seeded and fixed ({@link Binarization}); the Gaussian decoders read grey levels in {@code [0, 1]}.
 */
public final class VaeFamily implements ModelFamily {
    /** The family's name. */
    public static final String NAME = "vae";
    /** The model's name. */
    public static final String MODEL = "vae";
    /** The model keys. */
    static final Set<String> KEYS = Set.of("latent", "hidden", "layers", "conv", "channels", "decoder", "sigma", "beta",
            "warmup", "dtype", "iw", "iw_images", "limit");
    /** The most latent dimensions, hidden units, channels and IW samples a key may ask for. */
    static final int MAX_LATENT = 4096;
    static final int MAX_HIDDEN = 16_384;
    static final int MAX_IW = 1_000_000;

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public VaeFamily() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "variational autoencoders of images: MLP or convolutional, Bernoulli or Gaussian decoder (trainer objective)";
    }

    @Override
    public List<ModelInfo> models(Components components) {
        return List.of(new ModelInfo(MODEL, "variational autoencoder (dev.nabla.models)", List.of(DataCatalog.FASHION_MNIST)));
    }

    @Override
    public DataSplits data(String dataset, long seed) {
        return data(dataset, seed, Map.of());
    }

    /** Fashion-MNIST's grey levels, binarised ({@link Binarization}) for the Bernoulli decoder. */
    @Override
    public DataSplits data(String dataset, long seed, Map<String, Object> keys) {
        if (!DataCatalog.FASHION_MNIST.equals(dataset)) {
            throw new IllegalArgumentException("unknown data set '" + dataset + "'; valid: " + DataCatalog.FASHION_MNIST);
        }
        Config c = Config.keys(NAME, keys, KEYS);
        int limit = c.has("limit") ? c.positiveIntOr("limit", 1) : 0;
        DataSplits pixels = DataCatalog.fashionMnistPixels(limit);
        return config(c).decoder().binary() ? Binarization.binarize(pixels) : pixels;
    }

    /** {@code dim}, {@code height} and {@code width} of the images. */
    @Override
    public Map<String, Object> describe(String dataset, DataSplits data) {
        return Map.of("dim", data.train().exampleShape(Dataset.X).size(), "height", 28L, "width", 28L);
    }

    /**
     * The configuration the keys give.
     *
     * @throws IllegalArgumentException naming an unknown key or a bad value
     */
    static VaeConfig config(Config c) {
        Decoder decoder = Decoder.parse(c.stringOr("decoder", "bernoulli"));
        boolean conv = c.boolOr("conv", false);
        DType dtype = c.floatDtypeOr("dtype", "float32");
        if (conv && dtype != DType.FLOAT32) {
            throw new IllegalArgumentException(NAME + ": conv=true works in float32 only, got dtype " + dtype);
        }
        return new VaeConfig(c.intIn("latent", 1, MAX_LATENT, 20), c.intIn("hidden", 1, MAX_HIDDEN, 512),
                c.intIn("layers", 1, 16, 2), conv, c.intIn("channels", 1, 1024, 32), decoder,
                c.doubleIn("sigma", 1e-4, 1e4, 0.1), c.doubleIn("beta", 0, 1e6, 1.0), c.longAtLeast("warmup", 0, 0), dtype);
    }

    @Override
    public FamilyModel build(ModelRequest r) {
        if (!MODEL.equals(r.model())) {
            throw new IllegalArgumentException("unknown model '" + r.model() + "'; valid: " + MODEL);
        }
        Config c = Config.keys(NAME, r.keys(), KEYS);
        if (c.has("limit")) {
            c.positiveIntOr("limit", 1);
        }
        VaeConfig config = config(c);
        int iw = c.intIn("iw", 1, MAX_IW, 1000);
        int iwImages = c.intIn("iw_images", 0, Integer.MAX_VALUE, 0);
        int height = intOf(r.data(), "height", 28);
        int width = intOf(r.data(), "width", 28);
        return new VaeModel(new VariationalAutoencoder(r.tensors(), r.random(), config, height, width), height, width, iw, iwImages);
    }

    private static int intOf(Map<String, Object> data, String key, int dflt) {
        Object v = data.get(key);
        return v instanceof Number n ? n.intValue() : dflt;
    }
}
