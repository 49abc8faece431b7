package dev.nabla.models.transformer;

import dev.nabla.api.spi.Config;
import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.ModelSpec;
import dev.nabla.models.family.SequenceDataSets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models of the Transformer family and their {@code --set} keys.
 *
 * <p>{@code transformer} on {@code dates} ({@link TranslationModel}; defaults in brackets): {@code dModel} [64],
 * {@code heads} [4] (must divide {@code dModel}), {@code feedforward} [256], {@code layers} [2] (encoder and
 * decoder each), {@code dropout} [0.1], {@code activation} [relu | gelu], {@code norm} [post | pre] (post-LN
 * as Vaswani et al., pre-LN with a final LayerNorm on each stack), {@code positions} [sinusoidal | learned],
 * {@code maxPositions} [64] (the longest source and target), {@code labelSmoothing} [0.1],
 * {@code schedule} [noam | trainer] (noam: the trainer runs {@code lr = dModel^-0.5·min(n^-0.5, n·warmup^-1.5)},
 * Adam with β₂ = 0.98 and ε = 1e-9 unless {@code --trainer-set} says otherwise, replacing {@code --lr}; trainer:
 * {@code --lr} and {@code --trainer-set schedule=…} as given), {@code warmup} [400], {@code beam} [4] and
 * {@code maxLength} [16] (tokens of a translation).
 *
 * <p>{@code transformer-lm} on {@code tinyshakespeare} ({@link LanguageModel}): {@code dModel} [128],
 * {@code heads} [4], {@code feedforward} [512], {@code layers} [2], {@code dropout} [0], {@code activation}
 * [relu], {@code norm} [pre | post], {@code context} [64] (the window it trains on and the most characters it
 * reads; learned positions).
 */
public final class TransformerModels {
    /** The widest {@code dModel} and {@code feedforward}. */
    public static final int MAX_WIDTH = 8192;
    /** The most {@code layers}. */
    public static final int MAX_LAYERS = 64;
    /** The longest context or positions table. */
    public static final int MAX_CONTEXT = 1 << 16;
    /** The largest beam. */
    public static final int MAX_BEAM = 64;

    private TransformerModels() {
    }

    private static Map<String, Object> translatorKeys() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("dModel", 64);
        k.put("heads", 4);
        k.put("feedforward", 256);
        k.put("layers", 2);
        k.put("dropout", 0.1);
        k.put("activation", "relu");
        k.put("norm", "post");
        k.put("positions", "sinusoidal");
        k.put("maxPositions", 64);
        k.put("labelSmoothing", 0.1);
        k.put("schedule", "noam");
        k.put("warmup", 400);
        k.put("beam", 4);
        k.put("maxLength", 16);
        return k;
    }

    private static Map<String, Object> lmKeys() {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("dModel", 128);
        k.put("heads", 4);
        k.put("feedforward", 512);
        k.put("layers", 2);
        k.put("dropout", 0.0);
        k.put("activation", "relu");
        k.put("norm", "pre");
        k.put("context", 64);
        return k;
    }

    /** {@code transformer} and {@code transformer-lm}. */
    public static final List<ModelSpec> MODELS = List.of(
            new ModelSpec("transformer", "Transformer encoder-decoder (Vaswani et al.): label smoothing, warm-up schedule, "
                    + "greedy and beam-search decoding with a key/value cache", List.of(SequenceDataSets.DATES),
                    translatorKeys(), TransformerModels::translator),
            new ModelSpec("transformer-lm", "decoder-only Transformer character language model (causal self-attention, "
                    + "learned positions, sampling with a key/value cache)", List.of(DataCatalog.TINY_SHAKESPEARE),
                    lmKeys(), TransformerModels::languageModel));

    /** The layer sizes every model reads: {@code dModel}, {@code heads}, {@code feedforward}, {@code layers}. */
    record Sizes(int dModel, int heads, int feedforward, int layers, double dropout, String activation, boolean normFirst) {
        static Sizes of(String model, Config k, String defaultNorm) {
            int d = k.intIn("dModel", 1, MAX_WIDTH, 64);
            int h = k.intIn("heads", 1, MAX_WIDTH, 4);
            if (d % h != 0) {
                throw new IllegalArgumentException(model + ": heads=" + h + " does not divide dModel=" + d
                        + " (each head gets dModel / heads features)");
            }
            return new Sizes(d, h, k.intIn("feedforward", 1, MAX_WIDTH, 4 * d), k.intIn("layers", 1, MAX_LAYERS, 2),
                    k.doubleIn("dropout", 0, Math.nextDown(1.0), 0),
                    k.oneOf("activation", "relu", List.of("relu", "gelu")),
                    k.oneOf("norm", defaultNorm, List.of("post", "pre")).equals("pre"));
        }
    }

    private static TranslationModel translator(ModelRequest r, Config k) {
        Sizes s = Sizes.of("transformer", k, "post");
        boolean learned = k.oneOf("positions", "sinusoidal", List.of("sinusoidal", "learned")).equals("learned");
        int maxPositions = k.intIn("maxPositions", 2, MAX_CONTEXT, 64);
        double smoothing = k.doubleIn("labelSmoothing", 0, 1, 0.1);
        boolean noam = k.oneOf("schedule", "noam", List.of("noam", "trainer")).equals("noam");
        int warmup = k.intIn("warmup", 1, 10_000_000, 400);
        int beam = k.intIn("beam", 1, MAX_BEAM, 4);
        int maxLength = k.intIn("maxLength", 1, maxPositions - 1, 16);
        Vocabulary source = SequenceDataSets.vocabulary(r, "source_vocabulary");
        Vocabulary target = SequenceDataSets.vocabulary(r, "target_vocabulary");
        Translator net = new Translator(r.tensors(), r.random(), source.size(), target.size(), s, learned, maxPositions,
                target.special(Vocabulary.PAD), target.special(Vocabulary.BOS), target.special(Vocabulary.EOS),
                source.special(Vocabulary.PAD));
        return new TranslationModel("transformer", net, source, target, smoothing, noam ? warmup : 0, beam, maxLength);
    }

    private static LanguageModel languageModel(ModelRequest r, Config k) {
        Sizes s = Sizes.of("transformer-lm", k, "pre");
        int context = k.intIn("context", 1, MAX_CONTEXT, 64);
        Vocabulary vocabulary = SequenceDataSets.vocabulary(r, "vocabulary");
        return new LanguageModel("transformer-lm", new TransformerLm(r.tensors(), r.random(), vocabulary.size(), s, context),
                vocabulary);
    }
}
