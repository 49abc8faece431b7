package dev.nabla.models.flows.bench;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.FashionMnist;
import dev.nabla.models.flows.Flows;
import dev.nabla.models.flows.TransformedDistribution;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.flows.density.MleObjective;
import dev.nabla.models.train.TrainingLoop;
import dev.nabla.models.train.TrainingOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * MAF on Fashion-MNIST (784 dimensions, dequantised and logit-transformed, see {@link FashionMnist}):
 * {@code blocks} × [MADE with one hidden layer, BatchNormFlow], Reverse between blocks, trained by
 * maximum likelihood ({@link MleObjective}, shuffled batches, through {@link TrainingLoop}) with Adam; reports test bits per dimension in dequantised pixel space. Runs on
 * whichever backend {@link Nabla#backend()} selects ({@code -Dnabla.backend=NAME} to choose).
 *
 * <pre>
 *   FashionMnistMafMain [trainImages=10000] [testImages=2000] [steps=300] [batch=100] [blocks=5] [hidden=256]
 *                       [lr=1e-3] [seed=1] [dataDir=/usr/share/datasets/fashion-mnist]
 * </pre>
 *
 * ({@code trainImages=0} and {@code testImages=0} mean all 60,000 − 5,000 validation and all 10,000.)
 */
public final class FashionMnistMafMain {
    private FashionMnistMafMain() {
    }

    /** Runs the measurement; arguments as in the class comment. */
    public static void main(String[] args) throws IOException {
        int trainImages = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int testImages = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int blocks = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        int hidden = args.length > 5 ? Integer.parseInt(args[5]) : 256;
        double lr = args.length > 6 ? Double.parseDouble(args[6]) : 1e-3;
        long seed = args.length > 7 ? Long.parseLong(args[7]) : 1;
        Path dir = args.length > 8 ? Path.of(args[8]) : FashionMnist.DEFAULT_DIR;

        TensorFactory f = TensorFactory.on(Nabla.backend());
        long t0 = System.nanoTime();
        int validation = trainImages <= 0 ? 5_000 : Math.max(1, trainImages / 10);
        int load = trainImages <= 0 ? 0 : trainImages + validation;
        DataSplits data = FashionMnist.load(dir, seed, load, validation, testImages);
        System.out.printf(Locale.ROOT, "Fashion-MNIST: %d train, %d validation, %d test, loaded in %.1f s; backend %s%n",
                data.train().size(), data.validation().size(), data.test().size(), (System.nanoTime() - t0) / 1e9,
                f.backend().name());
        Tensor test = data.test().all(f).get(dev.nabla.models.data.Dataset.X);
        Flows.Options o = new Flows.Options(hidden, 1, "tanh", DType.FLOAT32, false, true);
        try (TransformedDistribution maf = Flows.maf(f, new Generator(seed + 1000), FashionMnist.DIM, blocks, o);
             Adam adam = new Adam(maf.namedParameters(), lr)) {
            System.out.printf("MAF: %d blocks, MADE 784 -> %d -> 1568 (tanh), BatchNorm; %d steps of %d, Adam lr %s%n",
                    blocks, hidden, steps, batch, lr);
            double before = bitsPerDim(maf, test);
            TrainingLoop loop = new TrainingLoop(new MleObjective(maf, data.train(), data.validation()), adam,
                    new TrainingOptions().batchSize(batch).seed(seed).maxSteps(steps)
                            .epochs(CompareFlowsMain.epochsFor(steps, data.train().size(), batch))
                            .validateEvery(Math.max(1, steps / 5)));
            loop.addListener(new StepLog(Math.max(1, steps / 10), "loss", System.out));
            long t1 = System.nanoTime();
            loop.run();
            double seconds = (System.nanoTime() - t1) / 1e9;
            double[] perImage = perImageBitsPerDim(maf, test);
            double after = Arrays.stream(perImage).average().orElse(Double.NaN);
            double[] sorted = perImage.clone();
            Arrays.sort(sorted);
            double median = sorted[sorted.length / 2];
            long outliers = Arrays.stream(perImage).filter(b -> b > median + 1.0).count();
            System.out.printf(Locale.ROOT, "RESULT test bits/dim %.4f (untrained %.4f) after %d steps in %.1f s "
                    + "(%.3f s/step) on %s%n", after, before, steps, seconds, seconds / steps, f.backend().name());
            System.out.printf(Locale.ROOT, "per test image: median %.4f bits/dim, worst %.4f; %d of %d images more "
                    + "than 1 bit/dim above the median%n", median, sorted[sorted.length - 1], outliers, perImage.length);
        }
    }

    /** Bits per dimension of each image in dequantised pixel space, in eval mode (BatchNorm running averages). */
    static double[] perImageBitsPerDim(TransformedDistribution model, Tensor data) {
        model.eval();
        int n = data.dim(0);
        double[] out = new double[n];
        try (GradMode ignored = Nabla.noGrad()) {
            for (int a = 0; a < n; a += 500) {
                try (Scope s = Scope.open()) {
                    Tensor y = data.slice(0, a, Math.min(n, a + 500));
                    double[] lp = FashionMnist.pixelLogProb(model.logProb(y), y).to(DType.FLOAT64).toDoubleArray();
                    for (int i = 0; i < lp.length; i++) {
                        out[a + i] = FashionMnist.bitsPerDim(lp[i], FashionMnist.DIM);
                    }
                }
            }
        }
        return out;
    }

    /** Test bits per dimension (the mean over images) in dequantised pixel space, in eval mode. */
    static double bitsPerDim(TransformedDistribution model, Tensor data) {
        return Arrays.stream(perImageBitsPerDim(model, data)).average().orElse(Double.NaN);
    }
}
