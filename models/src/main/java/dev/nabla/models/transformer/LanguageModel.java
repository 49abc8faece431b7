package dev.nabla.models.transformer;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.data.TextData;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.SampleRequest;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.Scatter;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.train.ObjectiveTrainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code transformer-lm} as the {@code nabla} command sees it: a {@link TransformerLm} with its
 * {@link Vocabulary}.
 * <ul>
 *   <li>Training: the {@code objective} trainer on {@link LanguageModelObjective} (shuffled non-overlapping
 *       windows of {@code context} characters; the loop's optimizer, {@code --lr} and {@code --trainer-set}
 *       schedule).</li>
 *   <li>{@code eval}: bits and nats per character over the split ({@link LanguageModelNats}).</li>
 *   <li>{@code sample}: {@code --prompt} (default a newline; at most {@code context} characters, else a
 *       usage error), {@code --length} (500, 1 to {@value #MAX_LENGTH}) and {@code --temperature} (1.0,
 *       {@value #MIN_TEMPERATURE} to {@value #MAX_TEMPERATURE}): the prompt followed by characters drawn one at
 *       a time from {@code softmax(logits / temperature)}, the key/value cache holding the context
 *       ({@link TransformerLm#generate}).</li>
 * </ul>
 */
public final class LanguageModel implements FamilyModel {
    /** The longest text {@code sample} generates. */
    public static final int MAX_LENGTH = 1_000_000;
    /** The lowest sampling temperature. */
    public static final double MIN_TEMPERATURE = 0.01;
    /** The highest sampling temperature. */
    public static final double MAX_TEMPERATURE = 100;
    /** The sampling options. */
    public static final Set<String> SAMPLE_OPTIONS = Set.of("prompt", "length", "temperature");

    private final String name;
    private final TransformerLm model;
    private final Vocabulary vocabulary;

    /**
     * @param name       the model's name
     * @param model      the network (owned: closed with this)
     * @param vocabulary its vocabulary
     */
    public LanguageModel(String name, TransformerLm model, Vocabulary vocabulary) {
        if (model.vocabulary() != vocabulary.size()) {
            throw new IllegalArgumentException(name + ": the network has " + model.vocabulary() + " outputs, the vocabulary "
                    + vocabulary.size() + " ids");
        }
        this.name = name;
        this.model = model;
        this.vocabulary = vocabulary;
    }

    /** The network. */
    public TransformerLm network() {
        return model;
    }

    /** The vocabulary. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return model.namedParameters();
    }

    @Override
    public Map<String, Tensor> state() {
        return model.state();
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        model.loadState(state);
    }

    @Override
    public void eval() {
        model.eval();
    }

    @Override
    public String defaultTrainer() {
        return ObjectiveTrainer.NAME;
    }

    /**
     * Part {@code objective}: a {@link LanguageModelObjective} over the training text, validated on the
     * validation split.
     *
     * @throws IllegalArgumentException for another trainer or data that is not a text
     */
    @Override
    public Map<String, Object> trainingParts(TrainingRequest r) {
        ObjectiveTrainer.requireFor(name, r.trainer(), "next-character cross-entropy over causal windows");
        if (!(r.data().train() instanceof TextData train)) {
            throw new IllegalArgumentException("model '" + name + "' trains on a text, not on "
                    + r.data().train().getClass().getSimpleName());
        }
        TextData validation = r.data().validation() instanceof TextData v && v.stream().length() > 1 ? v : null;
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("objective", new LanguageModelObjective(model, train.stream(), validation));
        return parts;
    }

    @Override
    public String lossLabel(String trainer) {
        return "loss: cross-entropy (nats/char)";
    }

    /** Bits per character (the headline) and nats per character over the split. */
    @Override
    public Evaluation evaluate(Dataset data, int batchSize) {
        if (!(data instanceof TextData t)) {
            throw new IllegalArgumentException("model '" + name + "' evaluates on a text, not on " + data.getClass().getSimpleName());
        }
        if (!t.vocabulary().equals(vocabulary)) {
            throw new IllegalArgumentException("the text's vocabulary (" + t.vocabulary().size()
                    + " ids) is not the model's (" + vocabulary.size() + " ids)");
        }
        LanguageModelNats.Nats n = LanguageModelNats.nats(model, t.stream());
        return new Evaluation(List.of(
                new Evaluation.Metric("bits_per_char", "bits per character", n.bits(), "bits/char"),
                new Evaluation.Metric("nats_per_char", "nats per character", n.mean(), "nats/char")),
                String.format(Locale.ROOT, "%.4f bits/char (%.4f nats/char) over %,d characters, windows of %d",
                        n.bits(), n.mean(), n.count(), model.context()));
    }

    @Override
    public Samples sample(int n, Generator random) {
        return sample(new SampleRequest(n, random));
    }

    @Override
    public Set<String> sampleOptions() {
        return SAMPLE_OPTIONS;
    }

    /**
     * {@link SampleRequest#count()} texts, each the prompt and {@code length} generated characters.
     *
     * @throws IllegalArgumentException naming an empty prompt, a prompt longer than the context, a prompt
     *                                  character outside the vocabulary, or a length or temperature out of range
     */
    @Override
    public Samples sample(SampleRequest request) {
        request.requireOnly(name, SAMPLE_OPTIONS);
        String prompt = request.textOption("prompt").orElse(vocabulary.contains('\n') ? "\n" : vocabulary.token(0));
        int length = request.intOption("length", 500, 1, MAX_LENGTH);
        double temperature = request.doubleOption("temperature", 1.0, MIN_TEMPERATURE, MAX_TEMPERATURE);
        long[] ids = promptIds(prompt);
        List<String> texts = new ArrayList<>();
        for (long[] drawn : model.generate(ids, request.count(), length, temperature, request.random())) {
            StringBuilder b = new StringBuilder(prompt);
            for (long id : drawn) {
                b.append(vocabulary.token(id));
            }
            texts.add(b.toString());
        }
        return new Samples.Text(texts);
    }

    private long[] promptIds(String prompt) {
        int[] cps = prompt.codePoints().toArray();
        if (cps.length > model.context()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "sample: --prompt has %d characters, longer than the model's context of %d", cps.length, model.context()));
        }
        long[] ids = new long[cps.length];
        for (int i = 0; i < cps.length; i++) {
            if (!vocabulary.contains(cps[i])) {
                String shown = Character.isISOControl(cps[i]) ? "" : "'" + Character.toString(cps[i]) + "' ";
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "sample: --prompt character %s(U+%04X) at position %d is not in the model's vocabulary of %d characters",
                        shown, cps[i], i, vocabulary.size()));
            }
            ids[i] = vocabulary.id(cps[i]);
        }
        return ids;
    }

    /** None: the samples are text. */
    @Override
    public Optional<Scatter> scatter(Dataset data, int n, Generator random) {
        return Optional.empty();
    }

    @Override
    public void close() {
        model.close();
    }
}
