package dev.nabla.models.fewshot;

import dev.nabla.api.spi.Config;
import dev.nabla.models.family.DataSpec;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.ModelSpec;
import dev.nabla.models.family.TableFamily;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Few-shot classification as a model family ({@code "fewshot"}), a {@link TableFamily}: the model
 * {@code snail} ({@link Snail}, trained and evaluated by {@link SnailModel}) on the data set
 * {@value FewShotData#NAME} ({@link FewShotData}: six Fashion-MNIST classes train, four are held out).
 * Keys, with defaults: {@code ways} (4, from 2 to 4: the held-out set has four classes), {@code shots}
 * (5: training episodes draw K uniformly from 1 … shots), {@code channels} (16, the embedding's filters:
 * 64 features, as the paper's Omniglot embedding), {@code attention} (16, the first attention block's key
 * size), {@code filters} (32, per dense block) — a quarter of the paper's widths, for a CPU,
 * {@code episodes} (20,000 training episodes make an epoch). Trainer {@code objective}.
 */
public final class FewShotFamily extends TableFamily {
    /** The family's name. */
    public static final String NAME = "fewshot";
    /** The model's name. */
    public static final String SNAIL = "snail";

    /** The model's spec. */
    public static final ModelSpec SNAIL_SPEC = new ModelSpec(SNAIL,
            "SNAIL few-shot classifier: conv embedding, dilated causal TC blocks and causal attention (Mishra et al. 2018)",
            List.of(FewShotData.NAME), defaults(), FewShotFamily::build);

    /** The data set's spec. */
    public static final DataSpec DATA_SPEC = new DataSpec(FewShotData.NAME, Set.of(), FewShotData::load,
            FewShotData::describe);

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public FewShotFamily() {
        super(NAME, "few-shot classification: SNAIL on Fashion-MNIST episodes, 6 training classes, 4 held out",
                List.of(SNAIL_SPEC), List.of(DATA_SPEC));
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ways", 4);
        m.put("shots", 5);
        m.put("channels", 16);
        m.put("attention", 16);
        m.put("filters", 32);
        m.put("episodes", 20_000);
        return m;
    }

    private static SnailModel build(ModelRequest r, Config c) {
        int ways = c.intIn("ways", 2, FewShotData.HELD_OUT_CLASSES.size(), 4);
        int shots = c.intIn("shots", 1, 20, 5);
        int channels = c.intIn("channels", 1, 256, 16);
        int attention = c.intIn("attention", 2, 512, 16);
        if (attention % 2 != 0) {
            throw new IllegalArgumentException("snail: attention must be even (the values are half the keys), got "
                    + attention);
        }
        int filters = c.intIn("filters", 1, 1024, 32);
        int episodes = c.intIn("episodes", 1, 10_000_000, 20_000);
        return new SnailModel(new Snail(r.tensors(), r.random(), ways, shots, channels, attention, filters), episodes,
                r.dataset());
    }
}
