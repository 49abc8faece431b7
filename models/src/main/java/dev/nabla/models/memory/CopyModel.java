package dev.nabla.models.memory;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.SampleRequest;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.Scatter;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.loss.Reduction;
import dev.nabla.models.train.Objective;
import dev.nabla.models.train.ObjectiveTrainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link CopyNetwork} on the copy task as the {@code nabla} command sees it ({@code ntm}, {@code copy-lstm}
 * on {@code --dataset copy}).
 *
 * <ul>
 *   <li><b>Training</b> (trainer {@code objective}): every step draws a fresh batch from the run's seeded
 *       sampling generator, one length {@code L} uniform in {@code [1, length]} for the whole batch, and
 *       minimises the Bernoulli negative log-likelihood of the output bits,
 *       {@code −(1/(8·Σ mask)) Σ_{t,j} mask_t [y_{tj} log σ(z_{tj}) + (1 − y_{tj}) log(1 − σ(z_{tj}))]}, in nats per
 *       bit; an epoch ({@code stepsPerEpoch}) is as many sequences as the training split holds (a seeded sample of
 *       the same distribution, {@value CopyTask#TRAIN_SAMPLE} sequences). Validation: the same loss on the
 *       validation sequences.</li>
 *   <li><b>eval</b>: bit errors per sequence — the output bits whose {@code σ(z) > 1/2} disagrees with the
 *       target, summed over a sequence's {@code L} output steps, averaged over the sequences — at each test
 *       length (20 and 40 on the test split), then over all sequences.</li>
 *   <li><b>sample</b> ({@code --length L}, default the key {@code length}): one random sequence per
 *       {@code --count}, drawn as an image over time (one column per step): the input bits and delimiter,
 *       the target, the output probabilities and, for the NTM, the write and then the read weighting over the
 *       memory locations (one row per location, white = 1), panels separated by grey bands.</li>
 * </ul>
 */
public final class CopyModel implements FamilyModel {
    /** Sequences per forward pass in {@code eval} (the NTM keeps the memory of every step until the batch is done). */
    static final int EVAL_BATCH = 32;

    private final String name;
    private final CopyNetwork net;
    private final int trainLength;

    /**
     * The model {@code name} over {@code net}, trained on lengths 1 to {@code trainLength}.
     *
     * @throws IllegalArgumentException for a length outside {@code [1, }{@value CopyTask#MAX_LENGTH}{@code ]}
     */
    public CopyModel(String name, CopyNetwork net, int trainLength) {
        if (trainLength < 1 || trainLength > CopyTask.MAX_LENGTH) {
            throw new IllegalArgumentException(name + ": length must be from 1 to " + CopyTask.MAX_LENGTH + ", got "
                    + trainLength);
        }
        this.name = name;
        this.net = net;
        this.trainLength = trainLength;
    }

    /** The network. */
    public CopyNetwork network() {
        return net;
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
        // no dropout, no batch statistics: nothing changes between training and evaluation
    }

    @Override
    public String defaultTrainer() {
        return ObjectiveTrainer.NAME;
    }

    @Override
    public Map<String, Object> trainingParts(TrainingRequest r) {
        ObjectiveTrainer.requireFor(name, r.trainer(), "the Bernoulli loss of the copied bits");
        Object b = r.settings().getOrDefault("batchSize", 64);
        int batch = b instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(b));
        r.settings().putIfAbsent("stepsPerEpoch", (long) dev.nabla.models.data.Batches.count(r.data().train().size(),
                Math.max(1, batch), false));
        return Map.of("objective", objective(net, trainLength, sequences(r.data().validation())));
    }

    private static CopyTask.Sequences sequences(Dataset d) {
        if (!(d instanceof CopyTask.Sequences s)) {
            throw new IllegalArgumentException("a copy model needs copy sequences, got " + d.getClass().getSimpleName());
        }
        return s;
    }

    /** The masked Bernoulli negative log-likelihood per scored bit, in nats. */
    public static Tensor loss(CopyNetwork net, Batch b) {
        Tensor logits = net.logits(b.get(CopyTask.INPUT));
        Tensor mask = b.get(CopyTask.MASK).to(logits.dtype());
        Tensor target = b.get(CopyTask.TARGET).to(logits.dtype());
        Tensor perBit = Losses.binaryCrossEntropyWithLogits(logits, target, Reduction.NONE);
        return perBit.mul(mask.unsqueeze(2)).sum().div(mask.sum().mul(logits.dim(2)));
    }

    /**
     * The training objective: each step a fresh batch of {@code batchSize} sequences of one length uniform in
     * {@code [1, trainLength]}, drawn from the loop's generator; validation on {@code validation}.
     */
    public static Objective objective(CopyNetwork net, int trainLength, CopyTask.Sequences validation) {
        return new Objective() {
            @Override
            public int trainingSize() {
                return 0;   // draws its own sequences
            }

            @Override
            public Tensor loss(int[] batch, int batchSize, Generator random) {
                int length = 1 + (int) random.nextLong(trainLength);
                return CopyModel.loss(net, CopyTask.batch(tensors(), CopyTask.draw(random, batchSize, length, length)));
            }

            @Override
            public double validationLoss(int batchSize, Generator random) {
                double sum = 0;
                long bits = 0;
                for (int start = 0; start < validation.size(); start += EVAL_BATCH) {
                    try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                        int[] idx = range(start, Math.min(validation.size(), start + EVAL_BATCH));
                        Batch b = validation.batch(tensors(), idx);
                        long n = (long) b.get(CopyTask.MASK).sum().item();
                        sum += CopyModel.loss(net, b).item() * n;
                        bits += n;
                    }
                }
                return bits == 0 ? Double.NaN : sum / bits;
            }

            @Override
            public Map<String, Tensor> parameters() {
                return net.namedParameters();
            }

            @Override
            public Map<String, Tensor> state() {
                return net.state();
            }
        };
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    @Override
    public String lossLabel(String trainer) {
        return "loss: Bernoulli negative log-likelihood per output bit (nats)";
    }

    /**
     * The bit errors of each sequence of {@code b}: output bits with {@code σ(z) > 1/2} unlike the target, over
     * the scored steps.
     */
    public static double[] bitErrors(CopyNetwork net, Batch b) {
        Tensor logits = net.logits(b.get(CopyTask.INPUT));
        Tensor predicted = logits.gt(0.0).to(logits.dtype());
        Tensor target = b.get(CopyTask.TARGET).to(logits.dtype());
        Tensor mask = b.get(CopyTask.MASK).to(logits.dtype());
        return predicted.sub(target).abs().mul(mask.unsqueeze(2)).sum(new int[] {1, 2}, false).toDoubleArray();
    }

    /** Bit errors per sequence at each test length present ({@code bit_errors_20}, {@code bit_errors_40}), then over all. */
    @Override
    public Evaluation evaluate(Dataset data, int batchSize) {
        CopyTask.Sequences seqs = sequences(data);
        if (seqs.size() == 0) {
            throw new IllegalArgumentException("the data set has no sequences to copy");
        }
        TensorFactory f = net.namedParameters().values().iterator().next().factory();
        Map<Integer, List<Integer>> byLength = new TreeMap<>();
        for (int i = 0; i < seqs.size(); i++) {
            byLength.computeIfAbsent(seqs.sequence(i).length, k -> new ArrayList<>()).add(i);
        }
        Map<Integer, double[]> errors = new LinkedHashMap<>();   // length -> (sum, count)
        for (var e : byLength.entrySet()) {
            List<Integer> idx = e.getValue();
            double sum = 0;
            for (int start = 0; start < idx.size(); start += EVAL_BATCH) {
                int[] part = idx.subList(start, Math.min(idx.size(), start + EVAL_BATCH)).stream().mapToInt(Integer::intValue)
                        .toArray();
                try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                    for (double x : bitErrors(net, seqs.batch(f, part))) {
                        sum += x;
                    }
                }
            }
            errors.put(e.getKey(), new double[] {sum, idx.size()});
        }
        List<Evaluation.Metric> metrics = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (int l : CopyTask.TEST_LENGTHS) {
            double[] se = errors.get(l);
            if (se != null) {
                metrics.add(new Evaluation.Metric("bit_errors_" + l, "bit errors per sequence at length " + l,
                        se[0] / se[1], "bits"));
                parts.add(String.format(Locale.ROOT, "%.3f at length %d", se[0] / se[1], l));
            }
        }
        double total = errors.values().stream().mapToDouble(x -> x[0]).sum();
        double mean = total / seqs.size();
        metrics.add(new Evaluation.Metric("bit_errors", "bit errors per sequence", mean, "bits"));
        String summary = String.format(Locale.ROOT, "bit errors per sequence: %s%.3f over all %d sequences (lengths %d to %d)",
                parts.isEmpty() ? "" : String.join(", ", parts) + "; ", mean, seqs.size(),
                byLength.keySet().iterator().next(), ((TreeMap<Integer, ?>) byLength).lastKey());
        return new Evaluation(metrics, summary);
    }

    @Override
    public Set<String> sampleOptions() {
        return Set.of("length");
    }

    @Override
    public Samples sample(int n, Generator random) {
        return sample(new SampleRequest(n, random));
    }

    /**
     * {@code count} random sequences of {@code --length L} (default: the key {@code length}) drawn as images
     * (see the class comment).
     */
    @Override
    public Samples sample(SampleRequest request) {
        request.requireOnly(name, sampleOptions());
        int length = request.intOption("length", trainLength, 1, CopyTask.MAX_LENGTH);
        TensorFactory f = net.namedParameters().values().iterator().next().factory();
        List<byte[][]> seqs = CopyTask.draw(request.random(), request.count(), length, length);
        List<float[]> images = new ArrayList<>();
        WeightingPicture picture = null;
        for (byte[][] seq : seqs) {
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                Batch b = CopyTask.batch(f, java.util.Collections.singletonList(seq));
                Tensor logits;
                Tensor reads = null;
                Tensor writes = null;
                if (net instanceof NeuralTuringMachine ntm) {
                    NeuralTuringMachine.Trace trace = ntm.trace(b.get(CopyTask.INPUT), true);
                    logits = trace.logits();
                    reads = trace.readWeights();
                    writes = trace.writeWeights();
                } else {
                    logits = net.logits(b.get(CopyTask.INPUT));
                }
                picture = WeightingPicture.of(b.get(CopyTask.INPUT), b.get(CopyTask.TARGET), logits.sigmoid(), writes, reads);
                images.add(picture.pixels());
            }
        }
        float[] all = new float[images.size() * images.getFirst().length];
        for (int i = 0; i < images.size(); i++) {
            System.arraycopy(images.get(i), 0, all, i * images.getFirst().length, images.getFirst().length);
        }
        return new Samples.Images(all, images.size(), picture.height(), picture.width());
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
