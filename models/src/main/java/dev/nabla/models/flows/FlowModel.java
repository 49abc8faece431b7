package dev.nabla.models.flows;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
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

    /** The model {@code name}, wrapping (and owning) {@code density}. */
    public FlowModel(String name, TransformedDistribution density) {
        this.name = name;
        this.density = density;
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
        return new Evaluation(List.of(new Evaluation.Metric("log_likelihood", "log-likelihood", ll, "nats"),
                new Evaluation.Metric("log_likelihood_per_dim", "log-likelihood per dimension", perDim, "nats/dim")),
                String.format(Locale.ROOT, "mean log-likelihood %.6f nats, %.6f nats/dim", ll, perDim));
    }

    @Override
    public Samples sample(int n, Generator random) {
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

    @Override
    public void close() {
        density.close();
    }
}
