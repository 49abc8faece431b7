package dev.nabla.models.recurrent.lm;

import dev.nabla.models.data.TextData;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.Dataset;
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
 * A character-level language model of the recurrent family as the {@code nabla} command sees it: a
 * {@link CharLanguageModel} with its {@link Vocabulary} and its window {@code bptt}.
 * <ul>
 *   <li>Training: the {@code objective} trainer with a {@link LanguageModelObjective} (truncated BPTT,
 *       the state carried across windows; the batch size is the number of rows of the stream, and the
 *       loop's {@code shuffle} is turned off, since the windows must come in order).</li>
 *   <li>{@code eval}: bits and nats per character over the split ({@link LanguageModels#nats}).</li>
 *   <li>{@code sample}: options {@code prompt} (default a newline), {@code length} (characters to
 *       generate, 500, from 1 to {@value #MAX_LENGTH}) and {@code temperature} (1.0, from
 *       {@value #MIN_TEMPERATURE} to {@value #MAX_TEMPERATURE}); each sample is the prompt followed by
 *       characters drawn one at a time from {@code softmax(logits / temperature)}.</li>
 * </ul>
 */
public final class CharModel implements FamilyModel {
    /** The longest text {@code sample} generates. */
    public static final int MAX_LENGTH = 1_000_000;
    /** The lowest sampling temperature. */
    public static final double MIN_TEMPERATURE = 0.01;
    /** The highest sampling temperature. */
    public static final double MAX_TEMPERATURE = 100;
    /** The sampling options. */
    public static final Set<String> SAMPLE_OPTIONS = Set.of("prompt", "length", "temperature");

    private final String name;
    private final CharLanguageModel model;
    private final Vocabulary vocabulary;
    private final int bptt;

    /**
     * @param name       the model's name ({@code char-lstm})
     * @param model      the network (owned: closed with this)
     * @param vocabulary its vocabulary
     * @param bptt       the window of truncated backpropagation through time and of evaluation
     */
    public CharModel(String name, CharLanguageModel model, Vocabulary vocabulary, int bptt) {
        if (model.vocabulary() != vocabulary.size()) {
            throw new IllegalArgumentException("lm: the network has " + model.vocabulary() + " outputs, the vocabulary "
                    + vocabulary.size() + " ids");
        }
        this.name = name;
        this.model = model;
        this.vocabulary = vocabulary;
        this.bptt = bptt;
    }

    /** The network. */
    public CharLanguageModel network() {
        return model;
    }

    /** The vocabulary. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The window length. */
    public int bptt() {
        return bptt;
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
     * Part {@code objective}: a {@link LanguageModelObjective} over the training stream cut into
     * {@code batchSize} rows, validated on the validation split. Sets {@code shuffle} to false.
     *
     * @throws IllegalArgumentException for another trainer, {@code shuffle} set true, or a stream too
     *                                  short for one window per row
     */
    @Override
    public Map<String, Object> trainingParts(TrainingRequest r) {
        ObjectiveTrainer.requireFor(name, r.trainer(), "truncated BPTT on its own objective");
        if (!(r.data().train() instanceof TextData train)) {
            throw new IllegalArgumentException("model '" + name + "' trains on a text, not on "
                    + r.data().train().getClass().getSimpleName());
        }
        Object shuffle = r.settings().get("shuffle");
        if (shuffle != null && Boolean.parseBoolean(String.valueOf(shuffle))) {
            throw new IllegalArgumentException("model '" + name + "' reads the stream's windows in order to carry its "
                    + "state; shuffle=" + shuffle + " cannot be used");
        }
        r.settings().put("shuffle", false);
        int rows = intSetting(r.settings().get("batchSize"));
        TextData validation = r.data().validation() instanceof TextData v && v.stream().length() > 1 ? v : null;
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("objective", new LanguageModelObjective(model, train.stream(), validation, rows, bptt));
        return parts;
    }

    private static int intSetting(Object o) {
        if (o instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(o).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("lm: batchSize must be an integer, got '" + o + "'");
        }
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
        LanguageModels.Nats n = LanguageModels.nats(model, t.stream(), bptt);
        return new Evaluation(List.of(
                new Evaluation.Metric("bits_per_char", "bits per character", n.bits(), "bits/char"),
                new Evaluation.Metric("nats_per_char", "nats per character", n.mean(), "nats/char")),
                String.format(Locale.ROOT, "%.4f bits/char (%.4f nats/char) over %,d characters", n.bits(), n.mean(), n.count()));
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
     * @throws IllegalArgumentException naming an empty prompt, a prompt character outside the vocabulary,
     *                                  or a length or temperature out of range
     */
    @Override
    public Samples sample(SampleRequest request) {
        request.requireOnly(name, SAMPLE_OPTIONS);
        String prompt = request.textOption("prompt").orElse(vocabulary.contains('\n') ? "\n" : vocabulary.token(0));
        int length = request.intOption("length", 500, 1, MAX_LENGTH);
        double temperature = request.doubleOption("temperature", 1.0, MIN_TEMPERATURE, MAX_TEMPERATURE);
        long[] ids = promptIds(prompt);
        List<String> texts = new ArrayList<>();
        for (String s : generate(ids, request.count(), length, temperature, request.random())) {
            texts.add(prompt + s);
        }
        return new Samples.Text(texts);
    }

    private long[] promptIds(String prompt) {
        int[] cps = prompt.codePoints().toArray();
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

    /**
     * {@code count} continuations of {@code prompt} of {@code length} characters each, drawn at
     * {@code temperature} with {@code random} (one uniform number per character, rows in order), in
     * evaluation mode without gradients.
     */
    List<String> generate(long[] prompt, int count, int length, double temperature, Generator random) {
        TensorFactory f = model.namedParameters().values().iterator().next().factory();
        boolean training = model.isTraining();
        model.train(false);
        StringBuilder[] out = new StringBuilder[count];
        for (int i = 0; i < count; i++) {
            out[i] = new StringBuilder();
        }
        try (GradMode ignored = Autograd.noGrad(); Scope outer = Scope.open()) {
            long[] in = new long[count * prompt.length];
            for (int i = 0; i < count; i++) {
                System.arraycopy(prompt, 0, in, i * prompt.length, prompt.length);
            }
            CharLanguageModel.State state = model.initialState(count);
            Tensor input = f.of(in, count, prompt.length);
            int v = vocabulary.size();
            for (int step = 0; step < length; step++) {
                double[] logits;
                CharLanguageModel.State next;
                try (Scope s = Scope.open()) {
                    CharLanguageModel.Output o = model.forward(input, state);
                    int steps = input.dim(1);
                    Tensor last = o.logits().reshape(count, steps, v).select(1, steps - 1);
                    logits = last.to(DType.FLOAT64).toDoubleArray();
                    next = o.state();
                    next.tensors().forEach(Tensor::keep);
                }
                state.tensors().forEach(Tensor::close);
                input.close();
                state = next;
                long[] drawn = new long[count];
                for (int i = 0; i < count; i++) {
                    drawn[i] = draw(logits, i * v, v, temperature, random);
                    out[i].append(vocabulary.token(drawn[i]));
                }
                input = f.of(drawn, count, 1);
            }
        } finally {
            model.train(training);
        }
        List<String> texts = new ArrayList<>();
        for (StringBuilder b : out) {
            texts.add(b.toString());
        }
        return texts;
    }

    /** An id drawn from {@code softmax(logits[from, from + v) / temperature)} with one uniform number. */
    static int draw(double[] logits, int from, int v, double temperature, Generator random) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
            max = Math.max(max, logits[from + j] / temperature);
        }
        double[] p = new double[v];
        double total = 0;
        for (int j = 0; j < v; j++) {
            p[j] = Math.exp(logits[from + j] / temperature - max);
            total += p[j];
        }
        double u = random.nextDouble() * total;
        double acc = 0;
        for (int j = 0; j < v; j++) {
            acc += p[j];
            if (u < acc) {
                return j;
            }
        }
        return v - 1;
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
