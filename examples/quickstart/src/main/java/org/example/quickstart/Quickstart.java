package org.example.quickstart;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.TrainingReport;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.data.ArrayDataset;
import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.flows.Flows;
import dev.nabla.models.flows.TransformedDistribution;
import dev.nabla.models.flows.density.MleObjective;
import dev.nabla.models.flows.density.Sample;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.train.TrainingListener;
import dev.nabla.models.train.TrainingLoop;
import dev.nabla.models.train.TrainingOptions;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains a RealNVP normalizing flow on the two-moons data set with Nabla, in plain Java: the data, the model,
 * the optimizer, the training loop, a checkpoint written and read back, and samples drawn from the trained model.
 *
 * <pre>
 *   Quickstart [--steps N] [--out DIR] [--seed S]      (defaults: 1000 steps, target/quickstart-run, seed 1)
 * </pre>
 */
public final class Quickstart {
    private static final int DIM = 2;        // the points are 2-D
    private static final int COUPLINGS = 6;  // affine coupling layers
    private static final int HIDDEN = 64;    // width of each coupling's conditioner MLP
    private static final int BATCH = 256;

    private Quickstart() {
    }

    public static void main(String[] arguments) {
        // `mvn exec:exec -Dquickstart.args="--steps 300"` hands them over as one argument (empty when not set)
        String[] args = arguments.length == 1 ? arguments[0].trim().split("\\s+") : arguments;
        if (args.length == 1 && args[0].isEmpty()) {
            args = new String[0];
        }
        int steps = 1000;
        Path out = Path.of("target", "quickstart-run");
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("usage: Quickstart [--steps N] [--out DIR] [--seed S]; unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }

        // The backend: the highest-priority available one on the module path (-Dnabla.backend=reference picks one).
        TensorFactory f = Nabla.tensors();
        System.out.println("backend: " + f.backend().name());

        // 1. Data: 10,000 training, 2,000 validation and 2,000 test points of two moons, drawn from the seed.
        DataSplits data = DataCatalog.splits("moons", seed);
        System.out.printf(Locale.ROOT, "data: moons, %d train / %d validation / %d test points%n",
                data.train().size(), data.validation().size(), data.test().size());

        // 2. Model: RealNVP, a standard normal pushed through affine couplings; its parameters are seeded too.
        // 3. Optimizer: Adam over the model's named parameters (it holds off-heap state: close it).
        Path checkpoint = out.resolve("flow.safetensors");
        try (TransformedDistribution flow = Flows.realNvp(f, new Generator(seed), DIM, COUPLINGS, HIDDEN);
             Adam adam = new Adam(flow.namedParameters(), 1e-3)) {
            System.out.printf(Locale.ROOT, "model: RealNVP, %d couplings, hidden %d, %d parameters%n", COUPLINGS, HIDDEN,
                    flow.namedParameters().values().stream().mapToLong(t -> t.numel()).sum());
            double before = logLikelihood(flow, data.test());

            // 4. The training loop: maximum likelihood (loss = -mean log p(x)), mini-batches of 256, five
            //    validations, and a checkpoint (weights, optimizer and generator states) at the end.
            TrainingLoop loop = new TrainingLoop(new MleObjective(flow, data.train(), data.validation()), adam,
                    new TrainingOptions().batchSize(BATCH).epochs(steps).maxSteps(steps).seed(seed)
                            .validateEvery(Math.max(1, steps / 5)).checkpoint(checkpoint));
            double[] firstLoss = {Double.NaN};
            loop.addListener(new TrainingListener() {     // a listener hears every step, validation and epoch
                @Override
                public void onStep(long step, double loss) {
                    if (step == 1) {
                        firstLoss[0] = loss;
                    }
                }

                @Override
                public void onValidation(long step, int epoch, double loss) {
                    System.out.printf(Locale.ROOT, "  step %5d  validation loss %.4f%n", step, loss);
                }
            });
            long t0 = System.nanoTime();
            TrainingReport report = loop.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double after = logLikelihood(flow, data.test());
            System.out.printf(Locale.ROOT, "trained %d steps in %.1f s (%.0f steps/s)%n", report.steps(), seconds,
                    report.steps() / seconds);
            System.out.printf(Locale.ROOT, "training loss: first step %.4f, last epoch %.4f%n", firstLoss[0],
                    report.metrics().get("train_loss"));
            System.out.printf(Locale.ROOT, "test log-likelihood: %.6f nats before training, %.6f after%n", before, after);

            // 5. The checkpoint, read back into a model built from another seed: the same numbers come out.
            try (TransformedDistribution reloaded = Flows.realNvp(f, new Generator(seed + 1), DIM, COUPLINGS, HIDDEN);
                 Checkpoint ck = Checkpoint.load(checkpoint, f)) {
                reloaded.loadState(ck.model());
                reloaded.eval();
                System.out.printf(Locale.ROOT, "checkpoint %s (step %d) reloaded: test log-likelihood %.6f nats%n",
                        checkpoint, ck.step(), logLikelihood(reloaded, data.test()));
            }

            // 6. Sampling: points drawn from the trained flow, each with its log-density under the model.
            try (GradMode noGrad = Nabla.noGrad(); Scope scope = Nabla.scope()) {
                Sample sample = flow.sampleWithLogProb(2000, new Generator(seed + 2));
                float[] x = sample.value().toFloatArray();
                float[] logProb = sample.logProb().toFloatArray();
                double meanLogProb = 0;
                for (float lp : logProb) {
                    meanLogProb += lp / logProb.length;
                }
                float[] test = ((ArrayDataset) data.test()).values();
                System.out.printf(Locale.ROOT, "samples: %d drawn, mean log p %.4f nats; %.1f%% lie within 0.3 of a moon's "
                        + "arc (test points: %.1f%%)%n", logProb.length, meanLogProb, 100 * shareNearMoons(x),
                        100 * shareNearMoons(test));
                for (int i = 0; i < 3; i++) {
                    System.out.printf(Locale.ROOT, "  (%7.4f, %7.4f)  log p %.4f%n", x[2 * i], x[2 * i + 1], logProb[i]);
                }
            }
        }
    }

    /** The mean log p(x) over a data set, in nats, without recording gradients (minus the validation loss). */
    static double logLikelihood(TransformedDistribution flow, Dataset data) {
        try (GradMode noGrad = Nabla.noGrad()) {
            return -new MleObjective(flow, data, data).validationLoss(1024, null);
        }
    }

    /** The share of the points (row-major {@code [n, 2]}) that lie within 0.3 of one of the two moons' arcs. */
    static double shareNearMoons(float[] xy) {
        int near = 0;
        for (int i = 0; i < xy.length; i += 2) {
            near += distanceToMoons(xy[i], xy[i + 1]) < 0.3 ? 1 : 0;
        }
        return (double) near / (xy.length / 2);
    }

    /**
     * The distance of (x, y) to the nearer of the two arcs the moons are drawn around: the upper half of the unit
     * circle about (0, 0) and the lower half of the unit circle about (1, 0.5), in the coordinates before
     * {@code ToyDatasets} maps them by (2u - 1, 2v - 0.2); the distance is in the data's coordinates.
     */
    static double distanceToMoons(double x, double y) {
        double u = (x + 1) / 2;
        double v = (y + 0.2) / 2;
        return 2 * Math.min(distanceToHalfCircle(u, v, 0, 0, true), distanceToHalfCircle(u, v, 1, 0.5, false));
    }

    private static double distanceToHalfCircle(double u, double v, double cu, double cv, boolean upper) {
        double du = u - cu;
        double dv = v - cv;
        if (upper ? dv >= 0 : dv <= 0) {
            return Math.abs(Math.hypot(du, dv) - 1);
        }
        return Math.min(Math.hypot(du - 1, dv), Math.hypot(du + 1, dv));   // past the arc: its nearer end
    }
}
