package org.example.nabla.plugin;

import dev.nabla.api.spi.Config;
import dev.nabla.api.tensor.Generator;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.Components;
import dev.nabla.models.family.ModelFamily;
import dev.nabla.models.family.ModelInfo;
import dev.nabla.models.family.ModelRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small model family, {@code "regression"}: fit {@code y = f(x)} by least squares. One model,
 * {@code mlp_regressor} (the model library's {@code MLP}, {@code 1 → hidden × layers → 1}; keys
 * {@code hidden} (32), {@code layers} (2), {@code activation} (tanh)), on one data set of the family's own,
 * {@code sine}: {@code x ~ U(−3, 3)}, {@code y = sin(x) + ε}, {@code ε ~ N(0, 0.1²)}, 2,000 training, 500
 * validation and 500 test points drawn from the seed ({@link SineData}). It trains with the model
 * library's {@code "objective"} trainer (mean squared error, any optimizer); {@code nabla eval} reports the
 * test MSE and RMSE; {@code nabla sample} prints the fitted curve on a grid, and {@code samples.png} draws it
 * over the data.
 * <pre>
 *   nabla train mlp_regressor --dataset sine --epochs 20 --lr 0.01 --set hidden=16
 * </pre>
 */
public final class RegressionFamily implements ModelFamily {
    /** The family's name. */
    public static final String NAME = "regression";
    /** The model's name. */
    public static final String MODEL = "mlp_regressor";
    private static final Set<String> KEYS = Set.of("hidden", "layers", "activation");
    private static final int MAX_HIDDEN = 1 << 20;
    private static final int MAX_LAYERS = 1_000;

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public RegressionFamily() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "least-squares regression y = f(x) (trainer objective)";
    }

    @Override
    public List<ModelInfo> models(Components components) {
        return List.of(new ModelInfo(MODEL, "an MLP fitted by mean squared error (" + getClass().getModule().getName() + ")",
                List.of(SineData.NAME)));
    }

    @Override
    public DataSplits data(String dataset, long seed) {
        if (!SineData.NAME.equals(dataset)) {
            throw new IllegalArgumentException("unknown data set '" + dataset + "'; valid: " + SineData.NAME);
        }
        return SineData.splits(seed);
    }

    /** Nothing: the model maps one number to one number whatever the data. */
    @Override
    public Map<String, Object> describe(String dataset, DataSplits data) {
        return Map.of();
    }

    @Override
    public FamilyModel build(ModelRequest r) {
        if (!MODEL.equals(r.model())) {
            throw new IllegalArgumentException("unknown model '" + r.model() + "'; valid: " + MODEL);
        }
        Config k = Config.keys(MODEL, r.keys(), KEYS);
        String activation = k.stringOr("activation", "tanh");
        try {
            dev.nabla.models.nn.Activation.Kind.parse(activation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(MODEL + ": key 'activation': " + e.getMessage(), e);
        }
        Generator g = r.random();
        return new RegressionModel(r.tensors(), g, k.intIn("hidden", 1, MAX_HIDDEN, 32), k.intIn("layers", 1, MAX_LAYERS, 2),
                activation);
    }

    /**
     * The bytes of the MLP's parameters ({@code 1 → hidden × layers → 1}, float32), from the keys alone, so
     * the host refuses a model that does not fit before building it.
     */
    @Override
    public java.util.OptionalLong stateBytes(ModelRequest r) {
        if (!MODEL.equals(r.model())) {
            throw new IllegalArgumentException("unknown model '" + r.model() + "'; valid: " + MODEL);
        }
        Config k = Config.keys(MODEL, r.keys(), KEYS);
        long h = k.intIn("hidden", 1, MAX_HIDDEN, 32);
        long layers = k.intIn("layers", 1, MAX_LAYERS, 2);
        long elements = (h + h) + (layers - 1) * (h * h + h) + (h + 1);   // 1 → h, (layers − 1) × h → h, h → 1
        return java.util.OptionalLong.of(elements * Float.BYTES);
    }
}
