package dev.nabla.models.gan;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.DensityGrid;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.Scatter;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.train.BlockTrainable;
import dev.nabla.models.train.Loss;
import dev.nabla.models.train.Update;
import dev.nabla.models.train.UpdatePlan;
import dev.nabla.models.train.UpdatesTrainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Gan} as the {@code nabla} command sees it. It trains with the {@code updates} trainer on two
 * {@link Update}s, in this order in each step (one batch of {@code n} real examples and fresh noise):
 * <ol>
 *   <li>{@value #DISCRIMINATOR}: every step, {@link GanLoss#discriminator} on the batch and {@code n}
 *       generated examples (drawn without recording gradients into {@code G}), by its own Adam
 *       ({@code lr_d}, {@code beta1}, {@code beta2});</li>
 *   <li>{@value #GENERATOR}: every {@code k}-th step ({@code k} discriminator steps, each on its own
 *       batch, per generator step), the configured {@link GanLoss} on {@code n} fresh samples, by a second
 *       Adam ({@code lr_g}).</li>
 * </ol>
 * The parts {@code d_loss}, {@code d_real} (mean {@code D(x)}), {@code d_fake} (mean {@code D(G(z))}) and
 * {@code g_loss} reach {@code metrics.csv}. Both optimizers' states go into checkpoints, so a resume is
 * exact; a NaN in either loss stops training naming the step and the update ({@value #DISCRIMINATOR} or
 * {@value #GENERATOR}).
 *
 * <p>{@code eval} reports, for a 2-D toy, the {@link ModeCoverage} of {@value #EVAL_SAMPLES} samples
 * ({@code modes}, headline, and {@code quality}), and for images the mean {@code D(x)} over the split and
 * {@code D(G(z))} over as many samples ({@code nabla eval} adds the FMNIST-FID of any model of 28 × 28 images).
 * Its draws come from a generator of fixed seed, so it repeats exactly.
 */
public final class GanModel implements FamilyModel {
    /** The discriminator's update. */
    public static final String DISCRIMINATOR = "discriminator";
    /** The generator's update. */
    public static final String GENERATOR = "generator";
    /** Samples the mode coverage is measured on. */
    public static final int EVAL_SAMPLES = 2500;
    /** The seed of {@code eval}'s draws. */
    static final long EVAL_SEED = 20_261_202L;
    /** Samples of each per-epoch grid of a model of images. */
    static final int EPOCH_SAMPLES = 64;

    private final String name;
    private final Gan gan;
    private final GanConfig config;
    private final GanToys.Modes modes;

    /**
     * @param name   the model's name ({@code gan}, {@code dcgan})
     * @param gan    the networks (owned)
     * @param config the game's settings
     * @param modes  the modes of the 2-D data set, or null for images
     */
    public GanModel(String name, Gan gan, GanConfig config, GanToys.Modes modes) {
        this.name = name;
        this.gan = gan;
        this.config = config;
        this.modes = modes;
    }

    /** The networks. */
    public Gan gan() {
        return gan;
    }

    /** The game's settings. */
    public GanConfig config() {
        return config;
    }

    /** The parameters under {@code prefix} ({@code "generator."}, {@code "discriminator."}). */
    private Map<String, Tensor> group(String prefix) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        gan.namedParameters().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** The discriminator's loss on a batch of real examples (data space) and as many fresh samples. */
    public Loss discriminatorLoss(Tensor data, Generator random) {
        Tensor real = gan.toModel(data);
        Tensor fake;
        try (GradMode ignored = Autograd.noGrad()) {
            fake = gan.generate(gan.noise(random, data.dim(0)));
        }
        Tensor a = gan.discriminate(real);
        Tensor b = gan.discriminate(fake);
        Tensor loss = config.loss().discriminatorLoss(a, b, config.smoothing());
        return Loss.of(loss).with("d_loss", loss).with("d_real", a.sigmoid().mean()).with("d_fake", b.sigmoid().mean());
    }

    /** The generator's loss on {@code n} fresh samples. */
    public Loss generatorLoss(int n, Generator random) {
        Tensor loss = config.loss().generator(gan.discriminate(gan.generate(gan.noise(random, n))));
        return Loss.of(loss).with("g_loss", loss);
    }

    /**
     * The two updates over {@code train}: the discriminator every step, the generator every {@code k}-th,
     * each with its own Adam.
     */
    public UpdatePlan updates(Dataset train) {
        Update d = Update.of(DISCRIMINATOR, new Adam(group("discriminator."), config.lrD(), config.beta1(), config.beta2(),
                1e-8, 0), (batch, random) -> discriminatorLoss(batch.get(Dataset.X), random));
        Update g = Update.of(GENERATOR, new Adam(group("generator."), config.lrG(), config.beta1(), config.beta2(), 1e-8, 0),
                (batch, random) -> generatorLoss(batch.size(), random)).every(config.k());
        return new UpdatePlan(new BlockTrainable(gan, train, null), List.of(d, g));
    }

    @Override
    public Map<String, Tensor> parameters() {
        return gan.namedParameters();
    }

    @Override
    public Map<String, Tensor> state() {
        return gan.state();
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        gan.loadState(state);
    }

    @Override
    public void eval() {
        gan.eval();
    }

    @Override
    public String defaultTrainer() {
        return UpdatesTrainer.NAME;
    }

    @Override
    public Map<String, Object> trainingParts(TrainingRequest r) {
        UpdatesTrainer.requireFor(name, r.trainer(), "a discriminator and a generator, each with its own Adam");
        if (r.runs().apply(TrainingRequest.TEACHER).isPresent()) {
            throw new IllegalArgumentException(name + " learns from the data set; --teacher is for --trainer distill");
        }
        requireFits(r.data().train());
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put(UpdatesTrainer.PART, updates(r.data().train()));
        parts.put("model", gan);
        return parts;
    }

    @Override
    public String lossLabel(String trainer) {
        return config.loss() == GanLoss.HINGE ? "loss: discriminator hinge d_loss; parts g_loss (hinge), d_real, d_fake"
                : "loss: discriminator BCE d_loss (nats); parts g_loss (" + config.loss().key() + "), d_real, d_fake";
    }

    private void requireFits(Dataset data) {
        long d = data.exampleShape(Dataset.X).size();
        long own = modes != null ? 2 : (long) DcGan.SIDE * DcGan.SIDE;
        if (d != own) {
            throw new IllegalArgumentException(name + ": the data set has examples of " + d + " values, the model " + own);
        }
    }

    /** {@code n} samples in the data's space, row-major {@code [n, d]}, in evaluation mode. */
    private float[] draw(int n, Generator random) {
        boolean training = gan.isTraining();
        gan.eval();
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            float[] out = null;
            int at = 0;
            for (int start = 0; start < n; start += 1000) {
                int m = Math.min(1000, n - start);
                float[] part = gan.toData(gan.generate(gan.noise(random, m))).toFloatArray();
                if (out == null) {
                    out = new float[part.length / m * n];
                }
                System.arraycopy(part, 0, out, at, part.length);
                at += part.length;
            }
            return out == null ? new float[0] : out;
        } finally {
            gan.train(training);
        }
    }

    /** The mean {@code D} of the examples of {@code data} (data space), in evaluation mode. */
    private double meanD(Dataset data, int batchSize) {
        double sum = 0;
        int[] order = Batches.sequential(data.size());
        try (GradMode ignored = Autograd.noGrad()) {
            for (int b = 0; b < Batches.count(data.size(), batchSize, false); b++) {
                try (Scope s = Scope.open()) {
                    Tensor x = data.batch(gan.tensors(), Batches.batch(order, batchSize, b)).get(Dataset.X);
                    sum += gan.discriminate(gan.toModel(x)).sigmoid().sum().item();
                }
            }
        }
        return sum / Math.max(1, data.size());
    }

    private double meanDOfSamples(int n, Generator random) {
        double sum = 0;
        try (GradMode ignored = Autograd.noGrad()) {
            for (int start = 0; start < n; start += 1000) {
                try (Scope s = Scope.open()) {
                    sum += gan.discriminate(gan.generate(gan.noise(random, Math.min(1000, n - start)))).sigmoid().sum().item();
                }
            }
        }
        return sum / Math.max(1, n);
    }

    @Override
    public Evaluation evaluate(Dataset data, int batchSize) {
        requireFits(data);
        boolean training = gan.isTraining();
        gan.eval();
        try {
            Generator random = new Generator(EVAL_SEED);
            List<Evaluation.Metric> m = new ArrayList<>();
            if (modes != null) {
                ModeCoverage c = modes.coverage(draw(EVAL_SAMPLES, random));
                double dReal = meanD(data, batchSize);
                double dFake = meanDOfSamples(EVAL_SAMPLES, random);
                m.add(new Evaluation.Metric("modes", "modes covered (of " + c.modes() + ")", c.covered(), ""));
                m.add(new Evaluation.Metric("quality", "high-quality samples (within 3 sigma of a mode)", 100 * c.quality(), "%"));
                m.add(new Evaluation.Metric("d_real", "mean D(x)", dReal, ""));
                m.add(new Evaluation.Metric("d_fake", "mean D(G(z))", dFake, ""));
                return new Evaluation(m, String.format(Locale.ROOT, "modes covered %d of %d (a mode needs %d of %d samples "
                                + "within 3 sigma), high-quality samples %.1f %%; mean D(x) %.4f, mean D(G(z)) %.4f",
                        c.covered(), c.modes(), c.threshold(), EVAL_SAMPLES, 100 * c.quality(), dReal, dFake));
            }
            double dReal = meanD(data, batchSize);
            double dFake = meanDOfSamples(data.size(), random);
            m.add(new Evaluation.Metric("d_real", "mean D(x)", dReal, ""));
            m.add(new Evaluation.Metric("d_fake", "mean D(G(z))", dFake, ""));
            return new Evaluation(m, String.format(Locale.ROOT, "mean D(x) %.4f over %d images, mean D(G(z)) %.4f over as many samples",
                    dReal, data.size(), dFake));
        } finally {
            gan.train(training);
        }
    }

    /** Points {@code x1, x2} for a toy; a grid of images in {@code [0, 1]} otherwise. */
    @Override
    public Samples sample(int n, Generator random) {
        float[] x = draw(n, random);
        if (modes != null) {
            return new Samples.Points(List.of("x1", "x2"), x);
        }
        return new Samples.Images(x, n, DcGan.SIDE, DcGan.SIDE);
    }

    /** {@code attention} for a SAGAN ({@link Sagan#attentionFigure}); none otherwise. */
    @Override
    public java.util.Set<String> sampleOptions() {
        return gan instanceof Sagan ? java.util.Set.of("queries") : java.util.Set.of();
    }

    /**
     * A SAGAN with {@code --queries ROW,COL;…}: the attention figure of {@link Sagan#attentionFigure} for
     * {@code min(count, 8)} generated images; otherwise {@link #sample(int, Generator)}.
     */
    @Override
    public Samples sample(dev.nabla.models.family.SampleRequest request) {
        var queries = request.textOption("queries");
        if (gan instanceof Sagan sagan && queries.isPresent()) {
            return sagan.attentionFigure(request.count(), request.random(), Sagan.parseQueries(queries.get()));
        }
        return sample(request.count(), request.random());
    }

    /** For a model of images: {@value #EPOCH_SAMPLES} samples drawn into a grid after each epoch. */
    @Override
    public int epochSamples() {
        return modes == null ? EPOCH_SAMPLES : 0;
    }

    /** For a toy: {@code n} samples over the first {@code n} points of {@code data}, with {@code D(x)} behind. */
    @Override
    public Optional<Scatter> scatter(Dataset data, int n, Generator random) {
        if (modes == null) {
            return Optional.empty();
        }
        float[] shown;
        try (Scope s = Scope.open()) {
            shown = data.batch(gan.tensors(), Batches.sequential(Math.min(n, data.size()))).get(Dataset.X).toFloatArray();
        }
        return Optional.of(new Scatter(name + " samples", shown, draw(n, random), decisionSurface(shown, 200)));
    }

    /**
     * {@code D(x)} on a {@code resolution²} grid over the box of {@code points} widened by 10 % (at least
     * the box of the modes), in evaluation mode.
     */
    DensityGrid decisionSurface(float[] points, int resolution) {
        double[] box = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[] c : modes.centres()) {
            box[0] = Math.min(box[0], c[0] - 3 * modes.sigma());
            box[1] = Math.max(box[1], c[0] + 3 * modes.sigma());
            box[2] = Math.min(box[2], c[1] - 3 * modes.sigma());
            box[3] = Math.max(box[3], c[1] + 3 * modes.sigma());
        }
        for (int i = 0; i + 1 < points.length; i += 2) {
            if (Float.isFinite(points[i]) && Float.isFinite(points[i + 1])) {
                box[0] = Math.min(box[0], points[i]);
                box[1] = Math.max(box[1], points[i]);
                box[2] = Math.min(box[2], points[i + 1]);
                box[3] = Math.max(box[3], points[i + 1]);
            }
        }
        for (int k = 0; k < 4; k += 2) {
            double pad = 0.1 * (box[k + 1] - box[k]);
            box[k] -= pad;
            box[k + 1] += pad;
        }
        int n = resolution * resolution;
        float[] grid = new float[2 * n];
        for (int j = 0; j < resolution; j++) {
            for (int i = 0; i < resolution; i++) {
                grid[2 * (j * resolution + i)] = (float) (box[0] + (i + 0.5) * (box[1] - box[0]) / resolution);
                grid[2 * (j * resolution + i) + 1] = (float) (box[3] - (j + 0.5) * (box[3] - box[2]) / resolution);
            }
        }
        float[] d = new float[n];
        boolean training = gan.isTraining();
        gan.eval();
        try (GradMode ignored = Autograd.noGrad()) {
            for (int start = 0; start < n; start += 4096) {
                int m = Math.min(4096, n - start);
                try (Scope s = Scope.open()) {
                    Tensor x = gan.tensors().of(java.util.Arrays.copyOfRange(grid, 2 * start, 2 * (start + m)), m, 2);
                    System.arraycopy(gan.discriminate(x).sigmoid().toFloatArray(), 0, d, start, m);
                }
            }
        } finally {
            gan.train(training);
        }
        return new DensityGrid("D(x)", box[0], box[1], box[2], box[3], resolution, resolution, d);
    }

    @Override
    public void close() {
        gan.close();
    }
}
