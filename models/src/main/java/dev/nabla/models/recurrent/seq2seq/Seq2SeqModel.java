package dev.nabla.models.recurrent.seq2seq;

import dev.nabla.models.data.Dates;
import dev.nabla.api.spi.Config;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.data.SequencePairs;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.PairsObjective;
import dev.nabla.models.family.SampleRequest;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.Scatter;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.family.Translations;
import dev.nabla.models.family.TranslationAccuracy;
import dev.nabla.models.train.ObjectiveTrainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link Seq2Seq} translator as the {@code nabla} command sees it ({@code seq2seq-gru},
 * {@code seq2seq-lstm} on {@code --dataset dates}): trained by the {@code objective} trainer on the
 * teacher-forced loss (validation: the same loss on the validation pairs), evaluated by exact match of
 * the greedy and the beam-search translations, sampled by translating {@code --input} (or, without it,
 * freshly drawn dates) with {@code --beam K} (default: the model key {@code beam}).
 *
 * <p>Keys: {@code embed} (default {@value #EMBED}), {@code hidden} ({@value #HIDDEN}), {@code beam} — the
 * beam width {@code eval} reports besides greedy and {@code sample} uses, 1 to {@value #MAX_BEAM} (default
 * {@value #BEAM}) — and {@code maxLength}, the most tokens of a translation (default {@value #MAX_LENGTH}).
 */
public final class Seq2SeqModel implements FamilyModel {
    /** Default embedding size. */
    public static final int EMBED = 32;
    /** Default hidden size. */
    public static final int HIDDEN = 128;
    /** Default beam width. */
    public static final int BEAM = 4;
    /** Largest beam width. */
    public static final int MAX_BEAM = 64;
    /** Default maximum translation length. */
    public static final int MAX_LENGTH = 24;
    /** The longest {@code --input} translated. */
    public static final int MAX_INPUT = 1_000;

    private final String name;
    private final Seq2Seq<?> net;
    private final Vocabulary source;
    private final Vocabulary target;
    private final int beam;
    private final int maxLength;

    /**
     * Builds model {@code name} with {@code cell}s from {@code keys} ({@code embed}, {@code hidden},
     * {@code beam}, {@code maxLength}, defaults filled in) over the given vocabularies (the target one with
     * {@value Vocabulary#PAD}, {@value Vocabulary#BOS} and {@value Vocabulary#EOS}).
     *
     * @throws IllegalArgumentException naming a bad value
     */
    public Seq2SeqModel(String name, Seq2Seq.Cell cell, Config keys, Vocabulary source, Vocabulary target,
                        TensorFactory f, Generator random) {
        int embed = keys.intIn("embed", 1, 4096, EMBED);
        int hidden = keys.intIn("hidden", 1, 8192, HIDDEN);
        this.beam = keys.intIn("beam", 1, MAX_BEAM, BEAM);
        this.maxLength = keys.intIn("maxLength", 1, 10_000, MAX_LENGTH);
        this.name = name;
        this.source = source;
        this.target = target;
        this.net = Seq2Seq.create(cell, f, random, source.size(), target.size(), embed, hidden,
                target.special(Vocabulary.PAD), target.special(Vocabulary.BOS), target.special(Vocabulary.EOS));
    }

    /** The network. */
    public Seq2Seq<?> network() {
        return net;
    }

    /** The beam width of the key {@code beam}. */
    public int beam() {
        return beam;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return net.namedParameters();
    }

    @Override
    public Map<String, Tensor> state() {
        return net.state();
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        net.loadState(state);
    }

    @Override
    public void eval() {
        net.eval();
    }

    @Override
    public String defaultTrainer() {
        return ObjectiveTrainer.NAME;
    }

    @Override
    public Map<String, Object> trainingParts(TrainingRequest r) {
        ObjectiveTrainer.requireFor(name, r.trainer(), "teacher-forced cross-entropy");
        SequencePairs train = pairs(r.data().train());
        SequencePairs validation = pairs(r.data().validation());
        return Map.of("objective", new PairsObjective(net, train, validation,
                (b, forValidation, random) -> net.loss(b.get(SequencePairs.SOURCE),
                        b.get(SequencePairs.SOURCE_LENGTH).toLongArray(), b.get(SequencePairs.TARGET),
                        b.get(SequencePairs.TARGET_LENGTH).toLongArray())));
    }

    private static SequencePairs pairs(Dataset d) {
        if (!(d instanceof SequencePairs p)) {
            throw new IllegalArgumentException("a translation model needs sequence pairs, got " + d.getClass().getSimpleName());
        }
        return p;
    }

    @Override
    public String lossLabel(String trainer) {
        return "loss: cross-entropy per target token (nats), teacher forced";
    }

    /**
     * The translations of {@code sources} (each at least one character of the source vocabulary) with
     * beam width {@code beamWidth} (1: greedy), in batches.
     */
    public List<String> translate(List<String> sources, int beamWidth) {
        List<long[]> encoded = new ArrayList<>();
        for (String s : sources) {
            encoded.add(source.encode(s));
        }
        return decodeAll(encoded, beamWidth, 256);
    }

    private List<String> decodeAll(List<long[]> sources, int beamWidth, int batchSize) {
        return translations().translate(sources, beamWidth, batchSize);
    }

    /** Batched translation and scoring with this model's decoder ({@link Translations}). */
    private Translations translations() {
        return new Translations(net.namedParameters().values().iterator().next().factory(), source, target, maxLength, net::decode);
    }

    /**
     * The exact-match accuracy (in %) of greedy and of beam-search translations (beam width: the key
     * {@code beam}) of the pairs of {@code data}, and the greedy one by source length
     * ({@link TranslationAccuracy}), without recording gradients.
     */
    @Override
    public Evaluation evaluate(Dataset data, int batchSize) {
        return translations().evaluate(data, beam, batchSize);
    }

    @Override
    public Set<String> sampleOptions() {
        return Set.of("input", "beam");
    }

    /**
     * With {@code --input TEXT}: its translation. Without: {@code count} freshly drawn dates and their
     * translations, {@code "3/3/98 -> 1998-03-03"}. {@code --beam K} (1 to {@value #MAX_BEAM}; default the
     * key {@code beam}) sets the beam width, 1 being greedy.
     *
     * @throws IllegalArgumentException for an empty input, a character the model does not read or a beam width out of range
     */
    @Override
    public Samples sample(SampleRequest request) {
        request.requireOnly(name, sampleOptions());
        int k = request.intOption("beam", beam, 1, MAX_BEAM);
        Optional<String> input = request.textOption("input");
        if (input.isPresent()) {
            return new Samples.Text(translate(List.of(checkedInput(input.get())), k));
        }
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            sources.add(Dates.draw(request.random()).source());
        }
        List<String> translated = translate(sources, k);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            lines.add(sources.get(i) + " -> " + translated.get(i));
        }
        return new Samples.Text(lines);
    }

    /**
     * {@code input} if the model can read it.
     *
     * @throws IllegalArgumentException naming a character outside the source vocabulary, or an input too long
     */
    String checkedInput(String input) {
        int[] cps = input.codePoints().toArray();
        if (cps.length > MAX_INPUT) {
            throw new IllegalArgumentException("sample: --input has " + cps.length + " characters; at most " + MAX_INPUT);
        }
        for (int i = 0; i < cps.length; i++) {
            if (!source.contains(cps[i])) {
                String shown = Character.isISOControl(cps[i]) || Character.isWhitespace(cps[i]) ? ""
                        : "'" + Character.toString(cps[i]) + "' ";
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "sample: --input \"%s\": character %s(U+%04X) at position %d is not in the model's source vocabulary",
                        input, shown, cps[i], i));
            }
        }
        return input;
    }

    @Override
    public Samples sample(int n, Generator random) {
        return sample(new SampleRequest(n, random));
    }

    @Override
    public Optional<Scatter> scatter(Dataset data, int n, Generator random) {
        return Optional.empty();
    }

    @Override
    public void close() {
        net.close();
    }
}
