package dev.nabla.models.classify;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.Scatter;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.image.FeatureExtractor;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.nn.Stochastic;
import dev.nabla.models.train.Objective;
import dev.nabla.models.train.ObjectiveTrainer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code fmnist-classifier} as the {@code nabla} command sees it: trained by the {@code objective}
 * trainer on the mean cross-entropy (validated on the same), evaluated by accuracy ({@code accuracy},
 * in %) and cross-entropy, and offered to every image model as the {@link FeatureExtractor} of
 * "FMNIST-FID" (its penultimate features). It draws no samples.
 */
public final class ClassifierModel implements FamilyModel, FeatureExtractor {
    private final CnnClassifier net;

    /** Wraps (and owns) {@code net}. */
    public ClassifierModel(CnnClassifier net) {
        this.net = net;
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

    @Override
    public Map<String, Object> trainingParts(TrainingRequest r) {
        ObjectiveTrainer.requireFor("fmnist-classifier", r.trainer(), "its cross-entropy");
        Dataset train = r.data().train();
        Dataset validation = r.data().validation();
        TensorFactory f = tensors();
        Objective objective = new Objective() {
            @Override
            public int trainingSize() {
                return train.size();
            }

            @Override
            public Tensor loss(int[] batch, int batchSize, Generator random) {
                var b = train.batch(f, batch);
                return Losses.crossEntropy(net.logits(b.get(Dataset.X)), b.get(Dataset.LABEL));
            }

            @Override
            public double validationLoss(int batchSize, Generator random) {
                return validation.size() == 0 ? Double.NaN : measure(validation, batchSize)[0];
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
            public Map<String, Stochastic> randomSources() {
                return Stochastic.find(net);
            }

            @Override
            public void train(boolean training) {
                net.train(training);
            }
        };
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("objective", objective);
        parts.put("model", net);
        return parts;
    }

    /** The mean cross-entropy and the accuracy (a fraction) over {@code data}, without gradients. */
    private double[] measure(Dataset data, int batchSize) {
        double loss = 0;
        long right = 0;
        int[] order = Batches.sequential(data.size());
        try (GradMode ignored = Autograd.noGrad()) {
            for (int b = 0; b < Batches.count(data.size(), batchSize, false); b++) {
                try (Scope s = Scope.open()) {
                    var batch = data.batch(tensors(), Batches.batch(order, batchSize, b));
                    Tensor logits = net.logits(batch.get(Dataset.X));
                    Tensor labels = batch.get(Dataset.LABEL);
                    loss += Losses.crossEntropy(logits, labels).to(DType.FLOAT64).item() * labels.dim(0);
                    long[] predicted = logits.argmax(1, false).toLongArray();
                    long[] truth = labels.toLongArray();
                    for (int i = 0; i < truth.length; i++) {
                        right += predicted[i] == truth[i] ? 1 : 0;
                    }
                }
            }
        }
        return new double[] {loss / data.size(), (double) right / data.size()};
    }

    @Override
    public String lossLabel(String trainer) {
        return "loss: cross-entropy (nats)";
    }

    @Override
    public Evaluation evaluate(Dataset data, int batchSize) {
        if (data.exampleShape(Dataset.X).size() != 784 || !data.names().contains(Dataset.LABEL)) {
            throw new IllegalArgumentException("fmnist-classifier needs labelled 28x28 images, got examples of "
                    + data.exampleShape(Dataset.X) + " with " + data.names());
        }
        double[] m = measure(data, batchSize);
        return new Evaluation(List.of(
                new Evaluation.Metric("accuracy", "accuracy", 100 * m[1], "%"),
                new Evaluation.Metric("cross_entropy", "cross-entropy", m[0], "nats")),
                String.format(Locale.ROOT, "accuracy %.2f %%, cross-entropy %.4f nats", 100 * m[1], m[0]));
    }

    /** A classifier draws nothing. */
    @Override
    public Samples sample(int n, Generator random) {
        throw new IllegalArgumentException("fmnist-classifier is a classifier: it draws no samples (use nabla eval)");
    }

    @Override
    public Optional<Scatter> scatter(Dataset data, int n, Generator random) {
        return Optional.empty();
    }

    @Override
    public int featureDim() {
        return net.featureDim();
    }

    @Override
    public int[] imageShape() {
        return new int[] {28, 28};
    }

    @Override
    public float[] features(float[] pixels, int count) {
        if (pixels.length != (long) count * 784) {
            throw new IllegalArgumentException("fmnist-classifier: " + pixels.length + " pixels are not " + count
                    + " images of 28x28");
        }
        int d = net.featureDim();
        float[] out = new float[count * d];
        int chunk = 500;
        try (GradMode ignored = Autograd.noGrad()) {
            for (int start = 0; start < count; start += chunk) {
                int m = Math.min(chunk, count - start);
                try (Scope s = Scope.open()) {
                    Tensor x = tensors().of(java.util.Arrays.copyOfRange(pixels, start * 784, (start + m) * 784), m, 784);
                    System.arraycopy(net.features(x).toFloatArray(), 0, out, start * d, m * d);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        net.close();
    }
}
