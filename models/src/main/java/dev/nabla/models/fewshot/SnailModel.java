package dev.nabla.models.fewshot;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.Scatter;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.train.Objective;
import dev.nabla.models.train.ObjectiveTrainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code snail} model as the {@code nabla} command sees it.
 *
 * <p><b>Training</b> ({@code objective} trainer): each step draws a batch of N-way episodes from the
 * training classes with the loop's generator, K drawn uniformly from {@code 1 … shots} per batch (so one
 * model serves 1-shot and 5-shot episodes), and minimises the cross-entropy of the query's label. An
 * epoch is {@code episodes} episodes. Validation: the cross-entropy on 200 fixed episodes (seed
 * {@value #VALIDATION_SEED}, K = shots) of new images of the training classes.
 *
 * <p><b>Evaluation</b> ({@code nabla eval}, on the held-out classes of the test split): N-way 1-shot and
 * 5-shot accuracy on {@value #EVAL_EPISODES} fixed episodes each (seeds {@value #EVAL_SEED} + K), with a
 * 95 % interval {@code p ± 1.96·sqrt(p(1 − p)/n)}, against chance {@code 1/N} and against a
 * nearest-neighbour baseline on the same (trained) embedding {@code e}: the query takes the label of the
 * nearest class mean of the support embeddings by cosine similarity,
 * {@code argmax_c ⟨e_q, μ_c⟩ / (‖e_q‖ ‖μ_c‖)}, {@code μ_c = mean of e(x) over the supports labelled c}
 * (for one shot, the nearest support). The Euclidean nearest class mean is reported beside it.
 *
 * <p><b>Sampling</b> ({@code nabla sample}): {@code count} held-out episodes at K = shots, each with the
 * classes behind its labels, the query's true class and the SNAIL and nearest-neighbour answers.
 */
public final class SnailModel implements FamilyModel {
    /** Episodes per setting that {@link #evaluate} scores. */
    public static final int EVAL_EPISODES = 1_000;
    /** The evaluation episodes' seed (plus K). */
    public static final long EVAL_SEED = 20_180_215L;
    /** The validation episodes' seed. */
    public static final long VALIDATION_SEED = 7L;
    private static final int VALIDATION_EPISODES = 200;

    private final Snail net;
    private final int episodesPerEpoch;
    private final String dataset;
    private Episodes heldOut;

    /** Wraps (and owns) {@code net}; an epoch is {@code episodesPerEpoch} episodes of {@code dataset}. */
    public SnailModel(Snail net, int episodesPerEpoch, String dataset) {
        this.net = net;
        this.episodesPerEpoch = episodesPerEpoch;
        this.dataset = dataset;
    }

    /** The network. */
    public Snail net() {
        return net;
    }

    private TensorFactory tensors() {
        return net.namedParameters().values().iterator().next().factory();
    }

    /**
     * The model's inputs for a batch of episodes of one length: images {@code [B, T, 784]}, one-hot
     * support labels {@code [B, T, N]} (the query's row zero) and the answers {@code [B]} (int64).
     *
     * @throws IllegalArgumentException if the episodes differ in length or ways
     */
    public Tensor[] inputs(List<Episodes.Episode> episodes) {
        int b = episodes.size();
        int t = episodes.getFirst().length();
        int n = net.ways();
        float[] images = new float[b * t * 784];
        float[] labels = new float[b * t * n];
        long[] answers = new long[b];
        for (int i = 0; i < b; i++) {
            Episodes.Episode e = episodes.get(i);
            if (e.length() != t || e.ways() != n) {
                throw new IllegalArgumentException("snail: a batch of episodes needs one length and " + n
                        + " ways, got lengths " + t + " and " + e.length() + ", ways " + e.ways());
            }
            System.arraycopy(e.images(), 0, images, i * t * 784, t * 784);
            for (int s = 0; s < t - 1; s++) {
                labels[(i * t + s) * n + e.labels()[s]] = 1f;
            }
            answers[i] = e.answer();
        }
        TensorFactory f = tensors();
        return new Tensor[] {f.of(images, b, t, 784), f.of(labels, b, t, n), f.of(answers, b)};
    }

    /** The mean cross-entropy of the queries' labels over {@code episodes} (one length). */
    public Tensor loss(List<Episodes.Episode> episodes) {
        Tensor[] in = inputs(episodes);
        return Losses.crossEntropy(net.forward(in[0], in[1]).logits(), in[2]);
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
        ObjectiveTrainer.requireFor(FewShotFamily.SNAIL, r.trainer(), "its query cross-entropy");
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("objective", objective(FewShotData.episodes(r.data().train()), FewShotData.episodes(r.data().validation())));
        parts.put("model", net);
        return parts;
    }

    /**
     * The training objective over {@code train} episodes, validated on fixed episodes of {@code validation}
     * (or not at all when it is null).
     */
    public Objective objective(Episodes train, Episodes validation) {
        int ways = net.ways();
        int shots = net.shots();
        List<Episodes.Episode> fixed = validation == null ? List.of()
                : validation.draw(VALIDATION_EPISODES, ways, shots, new Generator(VALIDATION_SEED));
        return new Objective() {
            @Override
            public int trainingSize() {
                return episodesPerEpoch;
            }

            @Override
            public Tensor loss(int[] batch, int batchSize, Generator random) {
                int k = 1 + (int) random.nextLong(shots);
                return SnailModel.this.loss(train.draw(batch == null ? batchSize : batch.length, ways, k, random));
            }

            @Override
            public double validationLoss(int batchSize, Generator random) {
                if (fixed.isEmpty()) {
                    return Double.NaN;
                }
                double sum = 0;
                try (GradMode ignored = Autograd.noGrad()) {
                    for (int s = 0; s < fixed.size(); s += batchSize) {
                        List<Episodes.Episode> part = fixed.subList(s, Math.min(fixed.size(), s + batchSize));
                        try (Scope sc = Scope.open()) {
                            sum += SnailModel.this.loss(part).to(DType.FLOAT64).item() * part.size();
                        }
                    }
                }
                return sum / fixed.size();
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
            public void loadState(Map<String, Tensor> values) {
                net.loadState(values);
            }

            @Override
            public void train(boolean training) {
                net.train(training);
            }
        };
    }

    @Override
    public String lossLabel(String trainer) {
        return "loss: query cross-entropy (nats)";
    }

    /**
     * How one setting scored.
     *
     * @param ways      N
     * @param shots     K
     * @param episodes  the number of episodes
     * @param snail     SNAIL's accuracy (a fraction)
     * @param cosine    the cosine nearest-class-mean accuracy on SNAIL's embedding
     * @param euclidean the Euclidean nearest-class-mean accuracy on the same
     */
    public record Score(int ways, int shots, int episodes, double snail, double cosine, double euclidean) {
        /** The half-width of the 95 % (normal) interval of an accuracy {@code p} over the episodes. */
        public double interval(double p) {
            return 1.96 * Math.sqrt(p * (1 - p) / episodes);
        }
    }

    /** SNAIL's answers and the two baselines' on {@code episodes} (one length), without gradients, in eval mode. */
    public int[][] answer(List<Episodes.Episode> episodes) {
        boolean was = net.isTraining();
        net.train(false);
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            Tensor[] in = inputs(episodes);
            Snail.Output o = net.forward(in[0], in[1]);
            long[] snail = o.logits().argmax(1, false).toLongArray();
            float[] emb = o.embeddings().toFloatArray();
            int d = net.embedding().dim();
            int t = episodes.getFirst().length();
            int[][] out = new int[3][episodes.size()];
            for (int i = 0; i < episodes.size(); i++) {
                out[0][i] = (int) snail[i];
                int[] nn = nearestMean(emb, i * t * d, d, episodes.get(i).labels(), net.ways());
                out[1][i] = nn[0];
                out[2][i] = nn[1];
            }
            return out;
        } finally {
            net.train(was);
        }
    }

    /**
     * The label of the support class mean nearest to the query (the last of the {@code T} embeddings
     * starting at {@code offset}), by cosine similarity and by Euclidean distance.
     */
    static int[] nearestMean(float[] emb, int offset, int d, int[] labels, int ways) {
        int t = labels.length;
        double[][] mean = new double[ways][d];
        int[] count = new int[ways];
        for (int s = 0; s < t - 1; s++) {
            count[labels[s]]++;
            for (int j = 0; j < d; j++) {
                mean[labels[s]][j] += emb[offset + s * d + j];
            }
        }
        int q = offset + (t - 1) * d;
        double qn = 0;
        for (int j = 0; j < d; j++) {
            qn += (double) emb[q + j] * emb[q + j];
        }
        int bestCos = 0;
        int bestEuc = 0;
        double cos = Double.NEGATIVE_INFINITY;
        double euc = Double.POSITIVE_INFINITY;
        for (int c = 0; c < ways; c++) {
            double dot = 0;
            double mn = 0;
            double dist = 0;
            for (int j = 0; j < d; j++) {
                double m = mean[c][j] / Math.max(1, count[c]);
                dot += m * emb[q + j];
                mn += m * m;
                dist += (m - emb[q + j]) * (m - emb[q + j]);
            }
            double sim = dot / Math.sqrt(Math.max(qn * mn, 1e-300));
            if (sim > cos) {
                cos = sim;
                bestCos = c;
            }
            if (dist < euc) {
                euc = dist;
                bestEuc = c;
            }
        }
        return new int[] {bestCos, bestEuc};
    }

    /** Scores {@code count} fixed N-way K-shot episodes of {@code episodes} in batches of {@code batchSize}. */
    public Score score(Episodes episodes, int shots, int count, int batchSize) {
        int ways = net.ways();
        List<Episodes.Episode> all = episodes.draw(count, ways, shots, new Generator(EVAL_SEED + shots));
        int[] right = new int[3];
        for (int s = 0; s < count; s += batchSize) {
            List<Episodes.Episode> part = all.subList(s, Math.min(count, s + batchSize));
            int[][] a = answer(part);
            for (int i = 0; i < part.size(); i++) {
                for (int m = 0; m < 3; m++) {
                    right[m] += a[m][i] == part.get(i).answer() ? 1 : 0;
                }
            }
        }
        return new Score(ways, shots, count, (double) right[0] / count, (double) right[1] / count,
                (double) right[2] / count);
    }

    @Override
    public Evaluation evaluate(Dataset data, int batchSize) {
        return evaluate(data, Math.max(1, Math.min(batchSize, 100)), EVAL_EPISODES);
    }

    /** {@link #evaluate(Dataset, int)} over {@code count} episodes per setting. */
    public Evaluation evaluate(Dataset data, int batchSize, int count) {
        Episodes episodes = FewShotData.episodes(data);
        int ways = net.ways();
        if (episodes.classes().length < ways) {
            throw new IllegalArgumentException("snail: a " + ways + "-way model needs at least " + ways
                    + " classes, the data have " + FewShotData.classes(episodes.classes()));
        }
        List<Evaluation.Metric> metrics = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        for (int shots : new int[] {1, 5}) {
            Score s = score(episodes, shots, count, batchSize);
            String k = shots + "shot";
            metrics.add(new Evaluation.Metric("accuracy_" + k, ways + "-way " + shots + "-shot SNAIL accuracy",
                    100 * s.snail(), "%"));
            metrics.add(new Evaluation.Metric("accuracy_" + k + "_ci95", "its 95 % half-interval", 100 * s.interval(s.snail()), "%"));
            metrics.add(new Evaluation.Metric("nn_cosine_" + k, ways + "-way " + shots
                    + "-shot nearest class mean (cosine) on SNAIL's embedding", 100 * s.cosine(), "%"));
            metrics.add(new Evaluation.Metric("nn_cosine_" + k + "_ci95", "its 95 % half-interval", 100 * s.interval(s.cosine()), "%"));
            metrics.add(new Evaluation.Metric("nn_euclidean_" + k, ways + "-way " + shots
                    + "-shot nearest class mean (Euclidean) on SNAIL's embedding", 100 * s.euclidean(), "%"));
            summary.append(String.format(Locale.ROOT, "%s%d-way %d-shot (%d episodes of classes %s): SNAIL %.1f ± %.1f %%,"
                            + " nearest neighbour (cosine, class mean) %.1f ± %.1f %%, (Euclidean) %.1f %%",
                    summary.isEmpty() ? "" : "; ", ways, shots, count, FewShotData.classes(episodes.classes()),
                    100 * s.snail(), 100 * s.interval(s.snail()), 100 * s.cosine(), 100 * s.interval(s.cosine()),
                    100 * s.euclidean()));
        }
        metrics.add(new Evaluation.Metric("chance", "chance", 100.0 / ways, "%"));
        summary.append(String.format(Locale.ROOT, "; chance %.1f %%", 100.0 / ways));
        return new Evaluation(metrics, summary.toString());
    }

    @Override
    public Samples sample(int n, Generator random) {
        if (!FewShotData.NAME.equals(dataset)) {
            throw new IllegalArgumentException("snail: sampling draws held-out episodes of " + FewShotData.NAME
                    + ", not of '" + dataset + "'");
        }
        if (heldOut == null) {
            heldOut = FewShotData.episodes(FewShotData.heldOut());
        }
        return new Samples.Text(describe(heldOut, n, random));
    }

    /** {@code n} episodes at K = shots drawn from {@code episodes}, each described in a line. */
    public List<String> describe(Episodes episodes, int n, Generator random) {
        List<Episodes.Episode> drawn = episodes.draw(n, net.ways(), net.shots(), random);
        List<String> out = new ArrayList<>();
        for (int start = 0; start < n; start += 100) {
            List<Episodes.Episode> part = drawn.subList(start, Math.min(n, start + 100));
            int[][] got = answer(part);
            for (int i = 0; i < part.size(); i++) {
                Episodes.Episode e = part.get(i);
                int snail = got[0][i];
                int nn = got[1][i];
                StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d-way %d-shot episode, labels:",
                        e.ways(), e.shots()));
                for (int c = 0; c < e.ways(); c++) {
                    s.append(' ').append(c).append('=').append(FewShotData.className(e.classes()[c]));
                }
                s.append(String.format(Locale.ROOT, "; query (image %d) is %d (%s); SNAIL says %d (%s), nearest neighbour"
                                + " says %d (%s)", e.indices()[e.length() - 1], e.answer(),
                        FewShotData.className(e.classes()[e.answer()]), snail, snail == e.answer() ? "right" : "wrong", nn,
                        nn == e.answer() ? "right" : "wrong"));
                out.add(s.toString());
            }
        }
        return out;
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
