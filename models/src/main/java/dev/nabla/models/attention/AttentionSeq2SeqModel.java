package dev.nabla.models.attention;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.data.Dates;
import dev.nabla.models.data.SequencePairs;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.family.AttentionMap;
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
 * An {@link AttentionSeq2Seq} translator as the {@code nabla} command sees it ({@code seq2seq-bahdanau},
 * {@code seq2seq-luong} on {@code --dataset dates}): trained by the {@code objective} trainer on the
 * teacher-forced loss (plus the REINFORCE surrogate with hard attention), evaluated by exact match of the
 * greedy and beam-search translations and by source length ({@link TranslationAccuracy}), sampled by
 * translating {@code --input} (or freshly drawn dates) with {@code --beam K}; {@code --attention FILE}
 * also draws the alignment of the (first) translation ({@link AttentionMap.Source}).
 */
public final class AttentionSeq2SeqModel implements FamilyModel, AttentionMap.Source {
    /** The longest {@code --input} translated. */
    public static final int MAX_INPUT = 1_000;
    /** Largest beam width. */
    public static final int MAX_BEAM = 64;

    private final String name;
    private final AttentionSeq2Seq net;
    private final Vocabulary source;
    private final Vocabulary target;
    private final int beam;
    private final int maxLength;
    private final int maxSource;

    /**
     * The model.
     *
     * @param name      its name, for messages
     * @param net       the network
     * @param beam      the beam width of {@code eval} and {@code sample}
     * @param maxLength the most tokens of a translation
     * @param maxSource the longest source it reads ({@link Integer#MAX_VALUE} when unlimited)
     */
    AttentionSeq2SeqModel(String name, AttentionSeq2Seq net, Vocabulary source, Vocabulary target, int beam,
                          int maxLength, int maxSource) {
        this.name = name;
        this.net = net;
        this.source = source;
        this.target = target;
        this.beam = beam;
        this.maxLength = maxLength;
        this.maxSource = maxSource;
    }

    /** The network. */
    public AttentionSeq2Seq network() {
        return net;
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
        return Map.of("objective", new PairsObjective(net, pairs(r.data().train()), pairs(r.data().validation()),
                (b, validation, random) -> net.loss(b.get(SequencePairs.SOURCE),
                        b.get(SequencePairs.SOURCE_LENGTH).toLongArray(), b.get(SequencePairs.TARGET),
                        b.get(SequencePairs.TARGET_LENGTH).toLongArray(), random)));
    }

    private static SequencePairs pairs(Dataset d) {
        if (!(d instanceof SequencePairs p)) {
            throw new IllegalArgumentException("a translation model needs sequence pairs, got " + d.getClass().getSimpleName());
        }
        return p;
    }

    @Override
    public String lossLabel(String trainer) {
        return net.hardAttention() ? "loss: cross-entropy per target token (nats) + REINFORCE surrogate, teacher forced"
                : "loss: cross-entropy per target token (nats), teacher forced";
    }

    /** The translations of {@code sources} with beam width {@code beamWidth} (1: greedy), in batches. */
    public List<String> translate(List<String> sources, int beamWidth) {
        List<long[]> encoded = new ArrayList<>();
        for (String s : sources) {
            encoded.add(source.encode(s));
        }
        return decodeAll(encoded, beamWidth, 256);
    }

    private TensorFactory tensors() {
        return net.namedParameters().values().iterator().next().factory();
    }

    private List<String> decodeAll(List<long[]> sources, int beamWidth, int batchSize) {
        boolean was = net.isTraining();
        net.train(false);
        try {
            return translations().translate(sources, beamWidth, batchSize);
        } finally {
            net.train(was);
        }
    }

    /** Batched translation and scoring with this model's decoder ({@link Translations}). */
    private Translations translations() {
        return new Translations(tensors(), source, target, maxLength, net::decode);
    }

    /**
     * Exact match of greedy and beam-search translations (beam width: the key {@code beam}) and greedy
     * exact match by source length, without recording gradients.
     */
    @Override
    public Evaluation evaluate(Dataset data, int batchSize) {
        boolean was = net.isTraining();
        net.train(false);
        try {
            return translations().evaluate(data, beam, batchSize);
        } finally {
            net.train(was);
        }
    }

    @Override
    public Set<String> sampleOptions() {
        return Set.of("input", "beam", "attention");
    }

    /**
     * With {@code --input TEXT}: its translation. Without: {@code count} freshly drawn dates and their
     * translations. {@code --beam K} sets the beam width; {@code --attention} is the host's (it draws
     * {@link #attentionMap}).
     */
    @Override
    public Samples sample(SampleRequest request) {
        request.requireOnly(name, sampleOptions());
        int k = request.intOption("beam", beam, 1, MAX_BEAM);
        Optional<String> input = request.textOption("input");
        if (input.isPresent()) {
            return new Samples.Text(translate(List.of(checkedInput(input.get())), k));
        }
        List<String> sources = drawn(request);
        List<String> translated = translate(sources, k);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            lines.add(sources.get(i) + " -> " + translated.get(i));
        }
        return new Samples.Text(lines);
    }

    private static List<String> drawn(SampleRequest request) {
        Generator g = Generator.fromState(request.random().state());   // a copy: sample and attentionMap draw alike
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            sources.add(Dates.draw(g).source());
        }
        return sources;
    }

    /** The alignment of the translation of {@code --input} (or of the first drawn date) by the request's beam width. */
    @Override
    public AttentionMap attentionMap(SampleRequest request) {
        request.requireOnly(name, sampleOptions());
        int k = request.intOption("beam", beam, 1, MAX_BEAM);
        String in = request.textOption("input").map(this::checkedInput).orElseGet(() -> drawn(request).getFirst());
        String out = translate(List.of(in), k).getFirst();
        long[] src = source.encode(in);
        long[] tgt = target.encode(out);
        double[][] rows = net.alignment(tensors(), src, tgt);
        List<String> sourceTokens = new ArrayList<>();
        in.codePoints().forEach(c -> sourceTokens.add(Character.toString(c)));
        List<String> outputTokens = new ArrayList<>();
        out.codePoints().forEach(c -> outputTokens.add(Character.toString(c)));
        outputTokens.add(Vocabulary.EOS);
        double[] w = new double[rows.length * src.length];
        for (int t = 0; t < rows.length; t++) {
            System.arraycopy(rows[t], 0, w, t * src.length, src.length);
        }
        return new AttentionMap(sourceTokens, outputTokens, w, name + ": \"" + in + "\" -> \"" + out + "\"");
    }

    /**
     * {@code input} if the model can read it.
     *
     * @throws IllegalArgumentException naming a character outside the source vocabulary, or an input too long
     */
    String checkedInput(String input) {
        int[] cps = input.codePoints().toArray();
        int most = Math.min(MAX_INPUT, maxSource);
        if (cps.length > most) {
            throw new IllegalArgumentException("sample: --input has " + cps.length + " characters; model '" + name
                    + "' reads at most " + most);
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
