package dev.nabla.launcher.bench;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.data.ToyDatasets;
import dev.nabla.models.flows.Flows;
import dev.nabla.models.flows.TransformedDistribution;
import dev.nabla.models.optim.Adam;

import java.util.Map;

/**
 * The standard workloads of {@code nabla bench}, in the order of the table's rows. Each is prepared on
 * one backend through its {@link TensorFactory} and run by {@link Timing}; what one call does is
 * documented on each constant. Inputs are drawn from {@link BenchSettings#seed()}, so every backend
 * does the same work on the same numbers.
 */
public enum Workload {
    /**
     * {@code a.matmul(b)} of two N×N float32 matrices; the product is freed at once, as a training
     * loop's scope would. Reported as GFLOP/s, counting 2·N³ floating-point operations per call.
     */
    MATMUL("matmul", Unit.GFLOPS) {
        @Override
        public String label(BenchSettings s) {
            return "matmul " + s.matmulSize() + "×" + s.matmulSize() + " float32";
        }

        @Override
        public double flopsPerCall(BenchSettings s) {
            double n = s.matmulSize();
            return 2 * n * n * n;
        }

        @Override
        Trial prepare(TensorFactory f, BenchSettings s) {
            Generator g = new Generator(s.seed());
            Tensor a = f.randn(g, s.matmulSize(), s.matmulSize());
            Tensor b = f.randn(g, s.matmulSize(), s.matmulSize());
            return calls -> {
                for (int i = 0; i < calls; i++) {
                    a.matmul(b).close();
                }
            };
        }
    },
    /**
     * {@code x.add(y)} on 16 float32 elements with {@code x} requiring a gradient, so each add is
     * recorded on the autodiff tape; the results are freed in scopes of {@value #OPS_PER_SCOPE} ops,
     * and the freeing is part of the cost. This is the per-op overhead that dominates small models.
     */
    ADD_GRAD("add-grad", Unit.MICROS) {
        @Override
        public String label(BenchSettings s) {
            return "add 16 floats, recording grad";
        }

        @Override
        Trial prepare(TensorFactory f, BenchSettings s) {
            Generator g = new Generator(s.seed());
            Tensor x = f.randn(g, 16).requiresGrad(true);
            Tensor y = f.randn(g, 16);
            try (Tensor probe = x.add(y)) {
                if (!probe.requiresGrad()) {
                    throw new IllegalStateException("add-grad: the add was not recorded for autodiff; are gradients "
                            + "turned off on this thread?");
                }
            }
            return calls -> adds(x, y, calls);
        }
    },
    /** The same add with gradients off ({@link Autograd#noGrad()}) and no input requiring one. */
    ADD("add", Unit.MICROS) {
        @Override
        public String label(BenchSettings s) {
            return "add 16 floats, no grad";
        }

        @Override
        Trial prepare(TensorFactory f, BenchSettings s) {
            Generator g = new Generator(s.seed());
            Tensor x = f.randn(g, 16);
            Tensor y = f.randn(g, 16);
            return calls -> {
                try (GradMode ignored = Autograd.noGrad()) {
                    adds(x, y, calls);
                }
            };
        }
    },
    /**
     * One training step of RealNVP ({@link Flows#model} with {@code dim} 2 and its defaults: 4 affine
     * couplings with ActNorm, conditioners of 2 hidden layers of 64) on a batch of
     * {@link BenchSettings#flowBatch()} points of the moons training set: zero the gradients, copy the
     * batch to the backend, the mean negative log-likelihood ({@code logProb}), reading its value,
     * {@code backward}, and an {@link Adam} step (lr 1e-3). Batches cycle through a seeded shuffle of
     * the training set.
     */
    FLOW_STEP("realnvp-step", Unit.MILLIS) {
        @Override
        public String label(BenchSettings s) {
            return "RealNVP step, moons batch " + s.flowBatch();
        }

        @Override
        Trial prepare(TensorFactory f, BenchSettings s) {
            Dataset train = ToyDatasets.splits("moons", s.seed()).train();
            Generator g = new Generator(s.seed());
            int[] order = Batches.permutation(g.split(), train.size());
            int batches = Math.max(1, train.size() / s.flowBatch());
            TransformedDistribution model = Flows.model("realnvp", f, g, Map.of("dim", 2));
            Adam adam;
            try {
                adam = new Adam(model.namedParameters(), 1e-3);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            return new Trial() {
                private int next;

                @Override
                public void run(int calls) {
                    for (int i = 0; i < calls; i++) {
                        int[] batch = Batches.batch(order, s.flowBatch(), next++ % batches);
                        try (Scope ignored = Scope.open()) {
                            adam.zeroGrad();
                            Tensor loss = model.logProb(train.batch(f, batch).get(dev.nabla.models.data.Dataset.X)).mean().neg();
                            double value = loss.item();
                            if (!Double.isFinite(value)) {
                                throw new IllegalStateException("the RealNVP loss became " + value + " at step "
                                        + adam.steps());
                            }
                            loss.backward();
                        }
                        adam.step();
                    }
                }

                @Override
                public void close() {
                    adam.close();
                    model.close();
                }
            };
        }
    };

    /** How many recorded adds share one scope in {@link #ADD_GRAD} and {@link #ADD}. */
    public static final int OPS_PER_SCOPE = 1024;

    /** How a workload's time per call is shown. */
    public enum Unit {
        /** Billions of floating-point operations per second (higher is faster). */
        GFLOPS("GFLOP/s"),
        /** Microseconds per call (lower is faster). */
        MICROS("µs/op"),
        /** Milliseconds per call (lower is faster). */
        MILLIS("ms/step");

        private final String symbol;

        Unit(String symbol) {
            this.symbol = symbol;
        }

        /** The unit as printed in the table. */
        public String symbol() {
            return symbol;
        }
    }

    private final String id;
    private final Unit unit;

    Workload(String id, Unit unit) {
        this.id = id;
        this.unit = unit;
    }

    /** A short, stable name ({@code matmul}, {@code add-grad}, {@code add}, {@code realnvp-step}). */
    public String id() {
        return id;
    }

    /** The unit its figures are shown in. */
    public Unit unit() {
        return unit;
    }

    /** The row's label in the table. */
    public abstract String label(BenchSettings s);

    /** Floating-point operations per call, for {@link Unit#GFLOPS} workloads; 0 otherwise. */
    public double flopsPerCall(BenchSettings s) {
        return 0;
    }

    /**
     * The figure shown for {@code secondsPerCall}: GFLOP/s, µs or ms; NaN stays NaN.
     */
    public double figure(double secondsPerCall, BenchSettings s) {
        return switch (unit) {
            case GFLOPS -> flopsPerCall(s) / secondsPerCall / 1e9;
            case MICROS -> secondsPerCall * 1e6;
            case MILLIS -> secondsPerCall * 1e3;
        };
    }

    /**
     * Allocates the workload's inputs on {@code f}'s backend. Tensors are created in the caller's
     * current scope; parameters and optimizer state belong to the returned trial, which frees them
     * when closed.
     */
    abstract Trial prepare(TensorFactory f, BenchSettings s);

    private static void adds(Tensor x, Tensor y, int calls) {
        for (int done = 0; done < calls; ) {
            int n = Math.min(OPS_PER_SCOPE, calls - done);
            try (Scope ignored = Scope.open()) {
                for (int i = 0; i < n; i++) {
                    x.add(y);
                }
            }
            done += n;
        }
    }
}
