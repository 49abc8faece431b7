package dev.nabla.models.flows.bench;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.models.data.ArrayDataset;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.ToyDatasets;
import dev.nabla.models.flows.Flows;
import dev.nabla.models.flows.TransformedDistribution;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.flows.density.MleObjective;
import dev.nabla.models.train.TrainingLoop;
import dev.nabla.models.train.TrainingOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The Nabla half of {@code scripts/compare-flows}: draws two-moons train/test sets from a seed, builds
 * a RealNVP or MAF model, writes the data and the model's initial state to a folder for the PyTorch
 * peer ({@code scripts/compare-flows-torch.py}), trains it through the library's {@link TrainingLoop} with
 * {@link MleObjective} and Adam, unshuffled ({@code shuffle(false)}: every epoch takes the training rows
 * in order, in batches of {@code batch}, the last one short if {@code batch} does not divide them), stops
 * after {@code steps} steps and writes the test log-likelihood. The PyTorch peer replays the same order.
 *
 * <pre>
 *   CompareFlowsMain MODEL OUT_DIR [steps=2000] [blocks=4] [hidden=64] [batch=256] [lr=1e-3] [seed=1]
 * </pre>
 *
 * Files: {@code train.csv}, {@code test.csv} (one point a line), {@code init.txt} (every parameter and
 * buffer: {@code name<TAB>dims<TAB>values}), {@code config.txt}, {@code nabla.txt} (the results).
 */
public final class CompareFlowsMain {
    private CompareFlowsMain() {
    }

    /** Runs the measurement; arguments as in the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: CompareFlowsMain realnvp|maf OUT_DIR [steps] [blocks] [hidden] [batch] [lr] [seed]");
            System.exit(2);
        }
        String model = args[0];
        Path out = Path.of(args[1]);
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int blocks = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int hidden = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        int batch = args.length > 5 ? Integer.parseInt(args[5]) : 256;
        double lr = args.length > 6 ? Double.parseDouble(args[6]) : 1e-3;
        long seed = args.length > 7 ? Long.parseLong(args[7]) : 1;
        Files.createDirectories(out);

        TensorFactory f = TensorFactory.on(Nabla.backend());
        DataSplits data = ToyDatasets.splits("moons", 4096, 1024, 4096, seed);
        write(out.resolve("train.csv"), (ArrayDataset) data.train());
        write(out.resolve("test.csv"), (ArrayDataset) data.test());
        String activation = model.equals("realnvp") ? "relu" : "tanh"; // the builders' defaults, written down for the peer
        try (TransformedDistribution flow = Flows.model(model, f, new Generator(seed + 1000),
                Map.of("dim", 2, "blocks", blocks, "hidden", hidden, "activation", activation));
             Adam adam = new Adam(flow.namedParameters(), lr)) {
            writeState(out.resolve("init.txt"), flow.state());
            Files.writeString(out.resolve("config.txt"), String.format(Locale.ROOT,
                    "model=%s%nsteps=%d%nblocks=%d%nhidden=%d%nbatch=%d%nlr=%s%nseed=%d%nactivation=%s%n", model, steps, blocks,
                    hidden, batch, lr, seed, activation));
            // Validation set = the test set: it is only evaluated, once, after the last step (validateEvery = steps).
            TrainingLoop loop = new TrainingLoop(new MleObjective(flow, data.train(), data.test()), adam,
                    new TrainingOptions().batchSize(batch).shuffle(false).seed(seed).maxSteps(steps)
                            .epochs(epochsFor(steps, data.train().size(), batch)).validateEvery(steps));
            loop.addListener(new StepLog(Math.max(1, steps / 10), "loss", System.out));
            System.out.printf("nabla %s on %s backend: %d parameter tensors, %d steps, batch %d, %d steps an epoch "
                    + "(unshuffled)%n", model, f.backend().name(), flow.namedParameters().size(), steps, batch,
                    loop.stepsPerEpoch());
            long t0 = System.nanoTime();
            TrainingReport report = loop.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double testLl = -report.metrics().get("val_loss");
            flow.eval();
            double trainLl = StepLog.meanLogProb(flow, data.train());
            String result = String.format(Locale.ROOT, "test_ll=%.6f%ntrain_ll=%.6f%nlast_epoch_loss=%.6f%nseconds=%.1f%n",
                    testLl, trainLl, report.metrics().get("train_loss"), seconds);
            Files.writeString(out.resolve("nabla.txt"), result);
            System.out.print(result);
        }
    }

    /** Epochs enough for {@code steps} steps of {@code batch} over {@code n} examples (a short last batch counts). */
    static int epochsFor(long steps, int n, int batch) {
        long perEpoch = Batches.count(n, batch, false);
        return (int) Math.max(1, (steps + perEpoch - 1) / perEpoch);
    }

    static void write(Path p, ArrayDataset d) throws IOException {
        float[] v = d.values();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(p))) {
            for (int i = 0; i < v.length; i += 2) {
                w.printf(Locale.ROOT, "%.9g,%.9g%n", v[i], v[i + 1]);
            }
        }
    }

    static void writeState(Path p, Map<String, Tensor> state) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(p))) {
            for (var e : state.entrySet()) {
                int[] dims = e.getValue().shape().dims();
                StringBuilder sb = new StringBuilder(e.getKey()).append('\t');
                for (int i = 0; i < dims.length; i++) {
                    sb.append(i > 0 ? "," : "").append(dims[i]);
                }
                sb.append('\t');
                double[] vals = e.getValue().toDoubleArray();
                for (int i = 0; i < vals.length; i++) {
                    sb.append(i > 0 ? " " : "").append(String.format(Locale.ROOT, "%.9g", vals[i]));
                }
                w.println(sb);
            }
        }
    }
}
