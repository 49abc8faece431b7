package org.example.nabla.plugin;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.Scatter;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.nn.MLP;
import dev.nabla.models.train.Objective;
import dev.nabla.models.train.ObjectiveTrainer;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code mlp_regressor} of the {@link RegressionFamily}: an {@link MLP} {@code x [n, 1] → ŷ [n, 1]}
 * (children {@code net.0}, {@code net.2}, … as {@code nn.Sequential}) trained on the mean squared error
 * {@code (1/B)·Σ (ŷ − y)²}.
 */
public final class RegressionModel implements FamilyModel {
    private static final int GRID = 200;
    private final MLP net;

    /** A fresh model with {@code layers} hidden layers of {@code hidden} units and {@code activation}. */
    public RegressionModel(TensorFactory f, Generator g, int hidden, int layers, String activation) {
        this.net = new MLP(f, g, MLP.sizes(1, hidden, layers, 1), activation);
    }

    /** The prediction {@code ŷ [n, 1]} for {@code x [n, 1]}. */
    public Tensor predict(Tensor x) {
        return net.forward(x);
    }

    private TensorFactory tensors() {
        return net.namedParameters().values().iterator().next().factory();
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

    /** Part {@code "objective"}: the mean squared error on the training set, validated on the validation set. */
    @Override
    public Map<String, Object> trainingParts(TrainingRequest r) {
        ObjectiveTrainer.requireFor(RegressionFamily.MODEL, r.trainer(), "its mean squared error");
        if (r.runs().apply(TrainingRequest.TEACHER).isPresent()) {
            throw new IllegalArgumentException(RegressionFamily.MODEL + " learns from its data set; it takes no --teacher");
        }
        DataSplits data = r.data();
        return Map.of("objective", new MeanSquaredError(data.train(), data.validation()));
    }

    @Override
    public String lossLabel(String trainer) {
        return "loss: mean squared error";
    }

    /** The mean of {@code (ŷ − y)²} over {@code data}, in float64, {@code batchSize} rows at a time. */
    double mse(Dataset data, int batchSize) {
        double sum = 0;
        try (GradMode ignored = Autograd.noGrad()) {
            for (int b = 0; b < Batches.count(data.size(), batchSize, false); b++) {
                int from = b * batchSize;
                try (Scope s = Scope.open()) {
                    var batch = data.batch(tensors(), java.util.stream.IntStream.range(from,
                            Math.min(data.size(), from + batchSize)).toArray());
                    sum += predict(batch.get(Dataset.X)).sub(batch.get(SineData.Y)).square().to(DType.FLOAT64).sum().item();
                }
            }
        }
        return sum / data.size();
    }

    @Override
    public Evaluation evaluate(Dataset data, int batchSize) {
        if (!data.names().contains(SineData.Y)) {
            throw new IllegalArgumentException("the data set has no targets '" + SineData.Y + "'; it has " + data.names());
        }
        double mse = mse(data, batchSize);
        return new Evaluation(List.of(new Evaluation.Metric("mse", "mean squared error", mse, ""),
                new Evaluation.Metric("rmse", "root mean squared error", Math.sqrt(mse), "")),
                String.format(Locale.ROOT, "mean squared error %.6f, root mean squared error %.6f", mse, Math.sqrt(mse)));
    }

    /** The fitted curve: {@code n} points {@code (x, ŷ)} evenly spaced over {@code [−3, 3]}. */
    @Override
    public Samples sample(int n, Generator random) {
        float[] x = grid(n);
        float[] y = curve(x);
        float[] rows = new float[2 * n];
        for (int i = 0; i < n; i++) {
            rows[2 * i] = x[i];
            rows[2 * i + 1] = y[i];
        }
        return new Samples.Points(List.of("x", "prediction"), rows);
    }

    /** The fitted curve over the first {@code n} data points {@code (x, y)}. */
    @Override
    public Optional<Scatter> scatter(Dataset data, int n, Generator random) {
        int shown = Math.min(n, data.size());
        float[] points = new float[2 * shown];
        try (Scope s = Scope.open()) {
            var batch = data.batch(tensors(), Batches.sequential(shown));
            float[] x = batch.get(Dataset.X).toFloatArray();
            float[] y = batch.get(SineData.Y).toFloatArray();
            for (int i = 0; i < shown; i++) {
                points[2 * i] = x[i];
                points[2 * i + 1] = y[i];
            }
        }
        Samples.Points curve = (Samples.Points) sample(GRID, random);
        return Optional.of(new Scatter(RegressionFamily.MODEL + " fit", points, curve.values()));
    }

    private static float[] grid(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (n == 1 ? 0 : -3 + 6.0 * i / (n - 1));
        }
        return x;
    }

    private float[] curve(float[] x) {
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            return predict(tensors().of(x, x.length, 1)).toFloatArray();
        }
    }

    @Override
    public void close() {
        net.close();
    }

    /** The mean squared error of the model on a data set of {@code x} and {@code y}. */
    private final class MeanSquaredError implements Objective {
        private final Dataset train;
        private final Dataset validation;

        MeanSquaredError(Dataset train, Dataset validation) {
            this.train = train;
            this.validation = validation;
        }

        @Override
        public int trainingSize() {
            return train.size();
        }

        @Override
        public Tensor loss(int[] batch, int batchSize, Generator random) {
            var b = train.batch(tensors(), batch);
            return predict(b.get(Dataset.X)).sub(b.get(SineData.Y)).square().mean();
        }

        @Override
        public double validationLoss(int batchSize, Generator random) {
            return validation == null || validation.size() == 0 ? Double.NaN : mse(validation, batchSize);
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
    }
}
