package dev.nabla.models.flows;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.DensityGrid;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.Scatter;
import dev.nabla.models.family.TrainedRun;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.flows.density.MleObjective;
import dev.nabla.models.flows.density.Sample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A flow model of the {@link FlowFamily}: a {@link TransformedDistribution} as the {@code nabla} command
 * sees it. It trains with {@code mle} (parts {@code model}, {@code data}) or {@code distill} (parts
 * {@code student}, and {@code teacher} — the flow model of the run given as {@link TrainingRequest#TEACHER}),
 * and hands trainers written against the api alone {@code parameters}, {@code logProb}
 * ({@code [batch, dim] → [batch]}), {@code trainData} and {@code validationData} ({@code [n, dim]} tensors).
 * {@code sample} gives points {@code x1,…,xD,log_prob}; {@code eval} the mean log-likelihood in nats and
 * nats per dimension.
 */
public final class FlowModel implements FamilyModel {
    private final String name;
    private final TransformedDistribution density;
    private final int[] image;

    /** The model {@code name}, wrapping (and owning) {@code density}. */
    public FlowModel(String name, TransformedDistribution density) {
        this(name, density, null);
    }

    /**
     * A model of images in logit space ({@link dev.nabla.models.data.FashionMnist}'s transform) of
     * {@code image = {height, width}} pixels, or of points when {@code image} is null: images are
     * sampled as {@link Samples.Images}.
     */
    public FlowModel(String name, TransformedDistribution density, int[] image) {
        this.name = name;
        this.density = density;
        this.image = image == null ? null : image.clone();
    }

    /**
     * {@code n} samples mapped back from logit space to pixel intensities
     * {@code (sigmoid(y) − λ) / (1 − 2λ)}, clamped to {@code [0, 1]}; empty for a model of points.
     */
    /** A grid of {@code n} images in pixel space, for a model of images; empty for a model of points. */
    private Optional<Samples.Images> imageSamples(int n, Generator random) {
        if (image == null) {
            return Optional.empty();
        }
        float[] y;
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            y = density.sample(n, random).toFloatArray();
        }
        return Optional.of(new Samples.Images(dev.nabla.models.data.FashionMnist.toPixels(y), n, image[0], image[1]));
    }

    /** The density model. */
    public TransformedDistribution density() {
        return density;
    }

    /** The density itself (or anything it is) for {@code TransformedDistribution} and its super-types. */
    @Override
    public <T> java.util.Optional<T> unwrap(Class<T> type) {
        return type.isInstance(density) ? java.util.Optional.of(type.cast(density)) : FamilyModel.super.unwrap(type);
    }

    @Override
    public Map<String, Tensor> parameters() {
        return density.namedParameters();
    }

    @Override
    public Map<String, Tensor> state() {
        return density.state();
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        density.loadState(state);
    }

    @Override
    public void eval() {
        density.eval();
    }

    @Override
    public String defaultTrainer() {
        return "mle";
    }

    @Override
    public Map<String, Object> trainingParts(TrainingRequest r) {
        DataSplits data = r.data();
        Map<String, Object> parts = new LinkedHashMap<>();
        Optional<TrainedRun> teacher = r.runs().apply(TrainingRequest.TEACHER);
        if (r.trainer().equals("distill")) {
            TrainedRun t = teacher.orElseThrow(() -> new IllegalArgumentException("trainer 'distill' needs --teacher RUN, "
                    + "a trained run whose model the student learns to imitate (train one first: nabla train maf --dataset D)"));
            if (!(t.built() instanceof FlowModel fm)) {
                throw new IllegalArgumentException("--teacher " + t.file() + " is a run of '" + t.model()
                        + "', not a flow: only a density model can teach a flow");
            }
            if (fm.density.dim() != density.dim()) {
                throw new IllegalArgumentException("--teacher " + t.file() + " models dimension " + fm.density.dim()
                        + ", the data set " + density.dim());
            }
            parts.put("teacher", fm.density);
            parts.put("student", density);
            r.out().accept("distilling " + t.model() + " (step " + t.step() + ", " + t.file() + ") into " + name);
            r.settings().putIfAbsent("stepsPerEpoch", (long) Batches.count(data.train().size(), batchSize(r), false));
        } else if (teacher.isPresent()) {
            throw new IllegalArgumentException("--teacher is for --trainer distill; trainer '" + r.trainer()
                    + "' learns from the data set");
        }
        parts.put("model", density);
        parts.put("data", data);
        parts.put("parameters", density.namedParameters());
        parts.put("logProb", (Function<Tensor, Tensor>) density::logProb);
        parts.put("trainData", data.train().all(r.tensors()).get(Dataset.X));
        parts.put("validationData", data.validation().all(r.tensors()).get(Dataset.X));
        return parts;
    }

    private static int batchSize(TrainingRequest r) {
        Object b = r.settings().get("batchSize");
        return b instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(b));
    }

    @Override
    public String lossLabel(String trainer) {
        return switch (trainer) {
            case "mle" -> "loss: negative log-likelihood (nats)";
            case "distill" -> "loss: KL(student || teacher) estimate (nats)";
            default -> "loss (" + trainer + ")";
        };
    }

    /**
     * The mean {@code log p(x)} over {@code data}, in batches, without recording gradients: minus the
     * maximum-likelihood objective's validation loss (float64 accumulation), as training reports it.
     */
    @Override
    public Evaluation evaluate(Dataset data, int batchSize) {
        long d = data.exampleShape(Dataset.X).size();
        if (d != density.dim()) {
            throw new IllegalArgumentException("the data set has dimension " + d + ", the model " + density.dim());
        }
        double ll;
        try (GradMode ignored = Autograd.noGrad()) {
            ll = -new MleObjective(density, data, data).validationLoss(batchSize, null);
        }
        double perDim = ll / density.dim();
        List<Evaluation.Metric> metrics = new ArrayList<>(List.of(
                new Evaluation.Metric("log_likelihood", "log-likelihood", ll, "nats"),
                new Evaluation.Metric("log_likelihood_per_dim", "log-likelihood per dimension", perDim, "nats/dim")));
        String summary = String.format(Locale.ROOT, "mean log-likelihood %.6f nats, %.6f nats/dim", ll, perDim);
        if (image != null) {   // images: also bits per dimension of the dequantised pixels, the number papers report
            double bpd = bitsPerDim(data, batchSize);
            metrics.add(new Evaluation.Metric("bits_per_dim", "bits per dimension (pixels)", bpd, "bits/dim"));
            summary += String.format(Locale.ROOT, " (logit space), %.4f bits/dim in pixel space", bpd);
        }
        return new Evaluation(metrics, summary);
    }

    /** {@link dev.nabla.models.data.FashionMnist#bitsPerDim} of the mean pixel-space log-probability of {@code data}. */
    private double bitsPerDim(Dataset data, int batchSize) {
        var f = density.namedParameters().values().iterator().next().factory();
        int[] order = Batches.sequential(data.size());
        double sum = 0;
        for (int b = 0; b < Batches.count(data.size(), batchSize, false); b++) {
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                Tensor y = data.batch(f, Batches.batch(order, batchSize, b)).get(Dataset.X);
                var dtype = density.namedParameters().values().iterator().next().dtype();
                if (y.dtype() != dtype) {
                    y = y.to(dtype);
                }
                for (float v : dev.nabla.models.data.FashionMnist.pixelLogProb(density.logProb(y), y).toFloatArray()) {
                    sum += v;
                }
            }
        }
        return dev.nabla.models.data.FashionMnist.bitsPerDim(sum / data.size(), density.dim());
    }

    /** Points {@code x1,…,xD,log_prob}, or for a model of images a grid of them ({@link #imageSamples}). */
    @Override
    public Samples sample(int n, Generator random) {
        Optional<Samples.Images> images = imageSamples(n, random);
        if (images.isPresent()) {
            return images.get();
        }
        int dim = density.dim();
        float[] x;
        float[] logProb;
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            Sample sample = density.sampleWithLogProb(n, random);
            x = sample.value().toFloatArray();
            logProb = sample.logProb().toFloatArray();
        }
        List<String> columns = new ArrayList<>();
        for (int j = 0; j < dim; j++) {
            columns.add("x" + (j + 1));
        }
        columns.add("log_prob");
        float[] rows = new float[n * (dim + 1)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, i * dim, rows, i * (dim + 1), dim);
            rows[i * (dim + 1) + dim] = logProb[i];
        }
        return new Samples.Points(columns, rows);
    }

    /** For 2-D data: {@code n} samples over the first {@code n} points of {@code data}. */
    @Override
    public Optional<Scatter> scatter(Dataset data, int n, Generator random) {
        if (density.dim() != 2 || data.exampleShape(Dataset.X).size() != 2) {
            return Optional.empty();
        }
        float[] drawn;
        float[] shown;
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            drawn = density.sample(n, random).toFloatArray();
            shown = data.batch(density.namedParameters().values().iterator().next().factory(),
                    Batches.sequential(Math.min(n, data.size()))).get(Dataset.X).toFloatArray();
        }
        return Optional.of(new Scatter(name + " samples", shown, drawn));
    }

    /**
     * For 2-D data: {@code log p} on a grid over the box of up to 2,000 points of {@code data}, widened by
     * 10 % on each side, evaluated in batches of 2,048 points without recording gradients.
     */
    @Override
    public Optional<DensityGrid> densityGrid(Dataset data, int resolution) {
        if (density.dim() != 2 || data.exampleShape(Dataset.X).size() != 2 || resolution < 1 || data.size() == 0) {
            return Optional.empty();
        }
        var f = density.namedParameters().values().iterator().next().factory();
        float[] points;
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            points = data.batch(f, Batches.sequential(Math.min(2000, data.size()))).get(Dataset.X).toFloatArray();
        }
        double[] box = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i + 1 < points.length; i += 2) {
            if (Float.isFinite(points[i]) && Float.isFinite(points[i + 1])) {
                box[0] = Math.min(box[0], points[i]);
                box[1] = Math.max(box[1], points[i]);
                box[2] = Math.min(box[2], points[i + 1]);
                box[3] = Math.max(box[3], points[i + 1]);
            }
        }
        if (!(box[0] <= box[1])) {
            return Optional.empty();
        }
        for (int k = 0; k < 4; k += 2) {
            double pad = Math.max(1e-3, 0.1 * (box[k + 1] - box[k]));
            box[k] -= pad;
            box[k + 1] += pad;
        }
        int n = resolution * resolution;
        float[] grid = new float[2 * n];
        DensityGrid shape = new DensityGrid(name + " log-density", box[0], box[1], box[2], box[3], resolution, resolution, new float[n]);
        for (int j = 0; j < resolution; j++) {
            for (int i = 0; i < resolution; i++) {
                grid[2 * (j * resolution + i)] = (float) shape.x(i);
                grid[2 * (j * resolution + i) + 1] = (float) shape.y(j);
            }
        }
        float[] logp = shape.logDensity();
        int chunk = 2048;   // cheaper than 4,096 in a fresh JVM (its loops compiled sooner), the same once warm
        for (int start = 0; start < n; start += chunk) {
            int m = Math.min(chunk, n - start);
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                Tensor x = f.of(java.util.Arrays.copyOfRange(grid, 2 * start, 2 * (start + m)), m, 2);
                if (x.dtype() != density.namedParameters().values().iterator().next().dtype()) {
                    x = x.to(density.namedParameters().values().iterator().next().dtype());
                }
                System.arraycopy(density.logProb(x).toFloatArray(), 0, logp, start, m);
            }
        }
        return Optional.of(shape);
    }

    @Override
    public void close() {
        density.close();
    }
}
