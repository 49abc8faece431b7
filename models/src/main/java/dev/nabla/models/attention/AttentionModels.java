package dev.nabla.models.attention;

import dev.nabla.api.spi.Config;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.ModelSpec;
import dev.nabla.models.family.SequenceDataSets;
import dev.nabla.models.nn.LuongAttention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The attention seq2seq models of the attention family, on {@code dates}:
 * <ul>
 *   <li>{@code seq2seq-bahdanau} ({@link BahdanauDecoder}): keys {@code embed} ({@value #EMBED}), {@code hidden}
 *       ({@value #HIDDEN}, even: the encoder has half each way), {@code size} (the attention's hidden size,
 *       {@value #SIZE}), {@code attention} ({@code soft} or {@code hard}), {@code beam} ({@value #BEAM}),
 *       {@code maxLength} ({@value #MAX_LENGTH});</li>
 *   <li>{@code seq2seq-luong} ({@link LuongDecoder}, input feeding): the same keys and {@code score}
 *       ({@code dot}, {@code general} — the default —, {@code concat}, {@code location}), {@code window}
 *       ({@code global}, {@code local-m}, {@code local-p}), {@code D} (the local windows' half-width,
 *       {@value #HALF_WIDTH}) and {@code maxSource} (the longest source the location score reads, {@value #MAX_SOURCE}).</li>
 * </ul>
 */
public final class AttentionModels {
    /** Default embedding size. */
    public static final int EMBED = 32;
    /** Default hidden size. */
    public static final int HIDDEN = 128;
    /** Default attention hidden size. */
    public static final int SIZE = 64;
    /** Default beam width. */
    public static final int BEAM = 4;
    /** Default maximum translation length. */
    public static final int MAX_LENGTH = 24;
    /** Default local half-width. */
    public static final int HALF_WIDTH = 3;
    /** Default longest source of the location score. */
    public static final int MAX_SOURCE = 64;

    private AttentionModels() {
    }

    private static Map<String, Object> keys(boolean luong) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("embed", EMBED);
        k.put("hidden", HIDDEN);
        k.put("size", SIZE);
        k.put("attention", "soft");
        if (luong) {
            k.put("score", "general");
            k.put("window", "global");
            k.put("D", HALF_WIDTH);
            k.put("maxSource", MAX_SOURCE);
        }
        k.put("beam", BEAM);
        k.put("maxLength", MAX_LENGTH);
        return k;
    }

    /** {@code seq2seq-bahdanau} and {@code seq2seq-luong}. */
    public static final List<ModelSpec> MODELS = List.of(
            new ModelSpec("seq2seq-bahdanau", "encoder-decoder with additive (Bahdanau) attention, soft or hard; beam search",
                    List.of(SequenceDataSets.DATES), keys(false), (r, k) -> build("seq2seq-bahdanau", false, r, k)),
            new ModelSpec("seq2seq-luong", "encoder-decoder with Luong attention (dot, general, concat, location; global, "
                    + "local-m, local-p), input feeding; beam search", List.of(SequenceDataSets.DATES), keys(true),
                    (r, k) -> build("seq2seq-luong", true, r, k)));

    private static AttentionSeq2SeqModel build(String name, boolean luong, ModelRequest r, Config k) {
        Vocabulary source = SequenceDataSets.vocabulary(r, "source_vocabulary");
        Vocabulary target = SequenceDataSets.vocabulary(r, "target_vocabulary");
        int embed = k.intIn("embed", 1, 4096, EMBED);
        int hidden = k.intIn("hidden", 2, 8192, HIDDEN);
        if (hidden % 2 != 0) {
            throw k.mustBe("hidden", "even (the encoder has hidden/2 units each way), got " + hidden);
        }
        int size = k.intIn("size", 1, 8192, SIZE);
        boolean hard = "hard".equals(k.oneOf("attention", "soft", List.of("soft", "hard")));
        int beam = k.intIn("beam", 1, AttentionSeq2SeqModel.MAX_BEAM, BEAM);
        int maxLength = k.intIn("maxLength", 1, 10_000, MAX_LENGTH);
        AttentionSeq2Seq.DecoderFactory decoder;
        int maxSource = Integer.MAX_VALUE;
        if (luong) {
            LuongAttention.Score score = LuongAttention.Score.of(k.oneOf("score", "general",
                    List.of("dot", "general", "concat", "location")));
            LuongAttention.Window window = LuongAttention.Window.of(k.oneOf("window", "global",
                    List.of("global", "local-m", "local-p")));
            int d = k.intIn("D", 1, 10_000, HALF_WIDTH);
            int most = k.intIn("maxSource", 1, 100_000, MAX_SOURCE);
            if (score == LuongAttention.Score.LOCATION) {
                maxSource = most;
            }
            decoder = (TensorFactory f, Generator g, int e, int h, int v) -> new LuongDecoder(f, g, score, window, e, h, h,
                    size, v, d, most, DType.FLOAT32);
        } else {
            decoder = (TensorFactory f, Generator g, int e, int h, int v) -> new BahdanauDecoder(f, g, e, h, h, size, v,
                    DType.FLOAT32);
        }
        AttentionSeq2Seq net = new AttentionSeq2Seq(r.tensors(), r.random(), source.size(), target.size(), embed, hidden,
                decoder, hard, target.special(Vocabulary.PAD), target.special(Vocabulary.BOS), target.special(Vocabulary.EOS));
        return new AttentionSeq2SeqModel(name, net, source, target, beam, maxLength, maxSource);
    }
}
