package dev.nabla.models.recurrent.tree;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.SampleRequest;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.Scatter;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.nn.Block;
import dev.nabla.models.train.Objective;
import dev.nabla.models.train.ObjectiveTrainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A classifier of expression values as the {@code nabla} command sees it ({@code tree-rnn},
 * {@code tree-lstm}, {@code seq-lstm} on {@code --dataset expressions}): trained by the {@code objective}
 * trainer on the mean cross-entropy of the value (validation: the same on the validation trees),
 * evaluated by accuracy (on the deeper test trees by default), sampled by evaluating {@code --input} — a
 * tree such as {@code "(+ 3 (* 4 5))"}, refused with the position where it does not parse — or, without
 * it, {@code count} freshly drawn test-depth trees, each printed with its true and its predicted value.
 */
public final class ExpressionModel implements FamilyModel {
    private final String name;
    private final Block net;
    private final Function<List<Expression>, Tensor> logits;
    private final int testDepth;

    /**
     * @param name      the model's name
     * @param net       the network (owned)
     * @param logits    trees to logits {@code [B, 10]} through {@code net}
     * @param testDepth the depth of the trees drawn when sampling without {@code --input}
     */
    public ExpressionModel(String name, Block net, Function<List<Expression>, Tensor> logits, int testDepth) {
        this.name = name;
        this.net = net;
        this.logits = logits;
        this.testDepth = testDepth;
    }

    /** The network. */
    public Block network() {
        return net;
    }

    /** The logits {@code [B, 10]} of {@code trees}. */
    public Tensor logits(List<Expression> trees) {
        return logits.apply(trees);
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

    private static Expressions.Trees trees(Dataset d) {
        if (!(d instanceof Expressions.Trees t)) {
            throw new IllegalArgumentException("an expression model needs expression trees, got " + d.getClass().getSimpleName());
        }
        return t;
    }

    private TensorFactory tensors() {
        return net.namedParameters().values().iterator().next().factory();
    }

    private Tensor labels(List<Expression> trees) {
        long[] y = new long[trees.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = trees.get(i).value();
        }
        return tensors().of(y, y.length);
    }

    @Override
    public Map<String, Object> trainingParts(TrainingRequest r) {
        ObjectiveTrainer.requireFor(name, r.trainer(), "cross-entropy of the value");
        Expressions.Trees train = trees(r.data().train());
        Expressions.Trees validation = trees(r.data().validation());
        return Map.of("objective", new Objective() {
            @Override
            public int trainingSize() {
                return train.size();
            }

            @Override
            public Tensor loss(int[] batch, int batchSize, Generator random) {
                List<Expression> t = train.trees(batch);
                return Losses.crossEntropy(logits(t), labels(t));
            }

            @Override
            public double validationLoss(int batchSize, Generator random) {
                return meanLoss(validation, batchSize);
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
            public void train(boolean training) {
                net.train(training);
            }
        });
    }

    private double meanLoss(Expressions.Trees data, int batchSize) {
        double sum = 0;
        int[] order = Batches.sequential(data.size());
        for (int k = 0; k < Batches.count(data.size(), batchSize, false); k++) {
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                List<Expression> t = data.trees(Batches.batch(order, batchSize, k));
                sum += Losses.crossEntropy(logits(t), labels(t)).item() * t.size();
            }
        }
        return data.size() == 0 ? Double.NaN : sum / data.size();
    }

    @Override
    public String lossLabel(String trainer) {
        return "loss: cross-entropy of the value mod 10 (nats)";
    }

    /** The predicted values of {@code trees}, without recording gradients. */
    public int[] predict(List<Expression> trees, int batchSize) {
        int[] out = new int[trees.size()];
        for (int start = 0; start < trees.size(); start += batchSize) {
            List<Expression> part = trees.subList(start, Math.min(trees.size(), start + batchSize));
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                long[] p = logits(part).argmax(1, false).toLongArray();
                for (int i = 0; i < p.length; i++) {
                    out[start + i] = (int) p[i];
                }
            }
        }
        return out;
    }

    /** The accuracy (in %) of the predicted values of {@code data}'s trees, and the mean cross-entropy. */
    @Override
    public Evaluation evaluate(Dataset data, int batchSize) {
        Expressions.Trees t = trees(data);
        if (t.size() == 0) {
            throw new IllegalArgumentException("the data set has no trees");
        }
        int[] p = predict(t.trees(), Math.max(1, batchSize));
        int right = 0;
        int deepest = 0;
        for (int i = 0; i < p.length; i++) {
            right += p[i] == t.trees().get(i).value() ? 1 : 0;
            deepest = Math.max(deepest, t.trees().get(i).depth());
        }
        double accuracy = 100.0 * right / p.length;
        double loss = meanLoss(t, Math.max(1, batchSize));
        return new Evaluation(List.of(new Evaluation.Metric("accuracy", "accuracy", accuracy, "%"),
                new Evaluation.Metric("cross_entropy", "cross-entropy", loss, "nats")),
                String.format(Locale.ROOT, "accuracy %.2f %% (%d of %d trees, depth up to %d), cross-entropy %.4f nats",
                        accuracy, right, p.length, deepest, loss));
    }

    @Override
    public Set<String> sampleOptions() {
        return Set.of("input");
    }

    /**
     * With {@code --input TREE}: {@code "TREE = v (predicted p)"}. Without: {@code count} drawn trees of
     * the test depth, one such line each.
     *
     * @throws IllegalArgumentException for an empty input or a tree that does not parse, naming where
     */
    @Override
    public Samples sample(SampleRequest request) {
        request.requireOnly(name, sampleOptions());
        Optional<String> input = request.textOption("input");
        List<Expression> trees = new ArrayList<>();
        if (input.isPresent()) {
            trees.add(Expression.parse(input.get()));
        } else {
            for (int i = 0; i < request.count(); i++) {
                trees.add(Expressions.draw(request.random(), testDepth));
            }
        }
        int[] p = predict(trees, 256);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            lines.add(trees.get(i).text() + " = " + trees.get(i).value() + " (predicted " + p[i] + ")");
        }
        return new Samples.Text(lines);
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
