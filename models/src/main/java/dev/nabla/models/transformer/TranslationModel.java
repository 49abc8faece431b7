package dev.nabla.models.transformer;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.data.Dates;
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
import dev.nabla.models.train.ObjectiveTrainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code transformer} on {@code --dataset dates} as the {@code nabla} command sees it: a {@link Translator}
 * with its two vocabularies.
 * <ul>
 *   <li>Training: the {@code objective} trainer on the teacher-forced, label-smoothed cross-entropy
 *       ({@link Translator#loss}); validation: the same loss without smoothing on the validation pairs. With
 *       the schedule {@code noam} (the default) the trainer's settings become Vaswani et al.'s: schedule
 *       {@code inverse-sqrt} peaking at {@code (dModel·warmup)^-0.5} after {@code warmup} steps, which is
 *       {@code lr = dModel^-0.5·min(n^-0.5, n·warmup^-1.5)} ({@link dev.nabla.models.optim.LrSchedule#noam}),
 *       and Adam's β₂ = 0.98, ε = 1e-9 — unless {@code --trainer-set} names a schedule (then the trainer's
 *       settings stand as given).</li>
 *   <li>{@code eval}: exact match (%) of the greedy and the beam-search translations (beam width: the key
 *       {@code beam}) against the references.</li>
 *   <li>{@code sample}: {@code --input TEXT} translated (at most {@code maxPositions} characters of the
 *       source vocabulary), or without it freshly drawn dates, {@code "3/3/98 -> 1998-03-03"};
 *       {@code --beam K} sets the width (1: greedy).</li>
 * </ul>
 * Both decoders step the decoder one token at a time over its key/value caches ({@link Translator#decode}).
 */
public final class TranslationModel implements FamilyModel {
    private final String name;
    private final Translator net;
    private final Vocabulary source;
    private final Vocabulary target;
    private final double labelSmoothing;
    private final int warmup;
    private final int beam;
    private final int maxLength;

    /**
     * @param name           the model's name
     * @param net            the network (owned: closed with this)
     * @param source         the source vocabulary (with {@value Vocabulary#PAD})
     * @param target         the target vocabulary (with {@value Vocabulary#PAD}, {@value Vocabulary#BOS}, {@value Vocabulary#EOS})
     * @param labelSmoothing ε of the training loss
     * @param warmup         warm-up steps of the noam schedule, 0 to leave the schedule to the trainer
     * @param beam           the beam width {@code eval} reports besides greedy and {@code sample} uses
     * @param maxLength      the most tokens of a translation
     */
    public TranslationModel(String name, Translator net, Vocabulary source, Vocabulary target, double labelSmoothing,
                            int warmup, int beam, int maxLength) {
        this.name = name;
        this.net = net;
        this.source = source;
        this.target = target;
        this.labelSmoothing = labelSmoothing;
        this.warmup = warmup;
        this.beam = beam;
        this.maxLength = maxLength;
    }

    /** The network. */
    public Translator network() {
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
        ObjectiveTrainer.requireFor(name, r.trainer(), "teacher-forced cross-entropy with label smoothing");
        if (warmup > 0 && !r.settings().containsKey("schedule")) {
            r.settings().put("schedule", "inverse-sqrt");
            r.settings().put("warmupSteps", (long) warmup);
            r.settings().put("lr", 1.0 / Math.sqrt((double) net.dModel() * warmup));
            r.settings().putIfAbsent("beta2", 0.98);
            r.settings().putIfAbsent("eps", 1e-9);
            r.out().accept(String.format(Locale.ROOT, "%s: Vaswani's schedule lr = %d^-0.5·min(n^-0.5, n·%d^-1.5), peak %.3g at "
                    + "step %d (--lr is not used; --set schedule=trainer uses it and --trainer-set)", name, net.dModel(), warmup,
                    1.0 / Math.sqrt((double) net.dModel() * warmup), warmup));
        }
        SequencePairs train = pairs(r.data().train());
        SequencePairs validation = pairs(r.data().validation());
        return Map.of("objective", objective(train, validation));
    }

    private static SequencePairs pairs(Dataset d) {
        if (!(d instanceof SequencePairs p)) {
            throw new IllegalArgumentException("a translation model needs sequence pairs, got " + d.getClass().getSimpleName());
        }
        return p;
    }

    /** Teacher-forced cross-entropy with label smoothing in training; validation without smoothing. */
    PairsObjective objective(SequencePairs train, SequencePairs validation) {
        return new PairsObjective(net, train, validation, (b, forValidation, random) -> net.loss(
                b.get(SequencePairs.SOURCE), b.get(SequencePairs.SOURCE_LENGTH).toLongArray(),
                b.get(SequencePairs.TARGET), b.get(SequencePairs.TARGET_LENGTH).toLongArray(),
                forValidation ? 0 : labelSmoothing));
    }

    @Override
    public String lossLabel(String trainer) {
        return "loss: cross-entropy per target token (nats), teacher forced, label smoothing " + labelSmoothing;
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
        return new Translations(net.tensors(), source, target, maxLength, net::decode);
    }

    /**
     * The exact-match accuracy (in %) of greedy and of beam-search translations (beam width: the key
     * {@code beam}) of the pairs of {@code data}, and the greedy one by source length, as every translating
     * model reports it ({@link Translations}), without recording gradients.
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
     * translations, {@code "3/3/98 -> 1998-03-03"}. {@code --beam K} (1 to {@value TransformerModels#MAX_BEAM}; default the
     * key {@code beam}) sets the beam width, 1 being greedy.
     *
     * @throws IllegalArgumentException for an empty input, a character the model does not read or a beam width out of range
     */
    @Override
    public Samples sample(SampleRequest request) {
        request.requireOnly(name, sampleOptions());
        int k = request.intOption("beam", beam, 1, TransformerModels.MAX_BEAM);
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
        if (cps.length > net.maxPositions()) {
            throw new IllegalArgumentException("sample: --input has " + cps.length + " characters, more than the model's "
                    + net.maxPositions() + " source positions (maxPositions)");
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
