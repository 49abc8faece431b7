package dev.nabla.models.serve;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.flows.density.Sample;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A thread-safe inference handle over one trained model: what a service holds once and calls from every
 * request thread — platform or virtual, any number at once.
 *
 * <pre>{@code
 * // given: TransformedDistribution model
 * try (Predictor p = Predictor.forFlow(model, Predictor.Limits.DEFAULT)) {
 *     double[] logProb = p.logProb(new double[][] {{0.1, 0.2}, {1.5, -0.3}});
 *     Predictor.Samples s = p.sample(16, 1);          // s.x() [16][D], s.logProb() [16]
 * }
 * }</pre>
 *
 * <p><b>What it guarantees.</b> Each call runs on the calling thread with gradient recording off and in a
 * {@link Scope} of its own, which it closes before returning: callers pass and receive Java arrays, never
 * tensors, and never manage scopes. Calls never write to the model (it is put in evaluation mode once,
 * here), so any number may run at once and each returns exactly the bits a single-threaded call with
 * the same input (and seed) returns. Bad input — a wrong row length, a non-finite value, more rows than
 * {@link Limits#maxRows()} — throws {@link IllegalArgumentException} with a one-line message, before any
 * tensor is made.
 *
 * <p><b>What it asks.</b> No one trains, reloads or otherwise changes the model while the predictor serves
 * it: parameters are read without a lock. {@link #close()} stops admitting calls (later ones throw
 * {@link IllegalStateException}), waits for those in flight, and then closes the model if the predictor
 * owns it.
 *
 * <p>The model family is reached through one small adapter ({@link DensityAdapter}: {@code logProb} and
 * {@code sample} of a density model); other families add their operations beside these.
 */
public final class Predictor implements AutoCloseable {
    /**
     * Bounds on one call, so that one request cannot take the service's memory.
     *
     * @param maxRows the most rows of {@code logProb} input, and the most samples of {@code sample}
     */
    public record Limits(int maxRows) {
        /** 65,536 rows a call. */
        public static final Limits DEFAULT = new Limits(1 << 16);

        /** Checks the bound. */
        public Limits {
            if (maxRows < 1) {
                throw new IllegalArgumentException("predictor: maxRows must be at least 1, got " + maxRows);
            }
        }
    }

    /**
     * Samples and their log-probabilities.
     *
     * @param x       {@code [n][dim]}
     * @param logProb {@code [n]}
     */
    public record Samples(double[][] x, double[] logProb) {
    }

    private final DensityAdapter model;
    private final Limits limits;
    private final boolean owns;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong calls = new AtomicLong();
    private final Object drained = new Object();
    private volatile boolean closed;

    private Predictor(DensityAdapter model, Limits limits, boolean owns) {
        this.model = model;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.owns = owns;
    }

    /**
     * A predictor over a normalizing flow (a {@code TransformedDistribution}), which it puts in evaluation
     * mode and owns: {@link #close()} closes it.
     */
    public static Predictor forFlow(dev.nabla.models.flows.TransformedDistribution model, Limits limits) {
        return new Predictor(DensityAdapter.of(model), limits, true);
    }

    /**
     * A predictor over a model a family built (from a checkpoint, say), which it owns: {@link #close()}
     * closes it. Serving needs a density with {@code logProb} and {@code sample}, which flows offer.
     *
     * @throws IllegalArgumentException if the model offers nothing to serve, naming it
     */
    public static Predictor forModel(dev.nabla.models.family.FamilyModel model, String name, Limits limits) {
        var density = model.unwrap(dev.nabla.models.flows.TransformedDistribution.class).orElseThrow(() ->
                new IllegalArgumentException("serve: model '" + name + "' has no density to serve (log_prob and sample);"
                        + " the flow models (realnvp, maf, iaf, …) do"));
        return new Predictor(DensityAdapter.of(density), limits, true);   // closing the density closes the model's parameters
    }

    /**
     * As {@link #forFlow}, but the caller keeps the model: {@link #close()} leaves it open.
     */
    public static Predictor borrowing(dev.nabla.models.flows.TransformedDistribution model, Limits limits) {
        return new Predictor(DensityAdapter.of(model), limits, false);
    }

    /** The dimension of a data point. */
    public int dim() {
        return model.dim();
    }

    /** The element type the model computes in. */
    public DType dtype() {
        return model.dtype();
    }

    /** The backend's name. */
    public String backend() {
        return model.tensors().backend().name();
    }

    /** The limits of one call. */
    public Limits limits() {
        return limits;
    }

    /** Calls completed so far (successful or not). */
    public long calls() {
        return calls.get();
    }

    /**
     * {@code log p(x)} of each row.
     *
     * @param x {@code [rows][dim]}, 1 to {@link Limits#maxRows()} rows of finite values
     * @return {@code [rows]}
     * @throws IllegalArgumentException if {@code x} is empty, too large, ragged, of the wrong width or not finite
     * @throws IllegalStateException    if the predictor is closed
     */
    public double[] logProb(double[][] x) {
        int d = dim();
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("log_prob: x must hold at least one row of " + d + " numbers");
        }
        if (x.length > limits.maxRows()) {
            throw new IllegalArgumentException("log_prob: " + x.length + " rows exceed the limit of "
                    + limits.maxRows() + " a request");
        }
        for (int i = 0; i < x.length; i++) {
            double[] row = x[i];
            if (row == null || row.length != d) {
                throw new IllegalArgumentException("log_prob: row " + i + " has " + (row == null ? 0 : row.length)
                        + " numbers; the model's points have " + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(row[j])) {
                    throw new IllegalArgumentException("log_prob: x[" + i + "][" + j + "] is " + row[j]
                            + "; values must be finite");
                }
            }
        }
        return call(f -> model.logProb(tensor(f, x, d)).toDoubleArray());
    }

    /**
     * {@code n} samples drawn with a generator seeded with {@code seed} (the same seed gives the same samples),
     * with their log-probabilities.
     *
     * @throws IllegalArgumentException if {@code n} is not in {@code [1, maxRows]}
     * @throws IllegalStateException    if the predictor is closed
     */
    public Samples sample(int n, long seed) {
        if (n < 1 || n > limits.maxRows()) {
            throw new IllegalArgumentException("sample: n must be between 1 and " + limits.maxRows() + ", got " + n);
        }
        int d = dim();
        return call(f -> {
            Sample s = model.sample(n, new Generator(seed));
            double[] flat = s.value().toDoubleArray();
            double[][] x = new double[n][];
            for (int i = 0; i < n; i++) {
                x[i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
            }
            return new Samples(x, s.logProb().toDoubleArray());
        });
    }

    /**
     * Runs {@code work} as every call runs: admitted only while open, gradient recording off, inside a scope
     * of its own that is closed before this returns. {@code work} must return no tensor (it is released).
     */
    public <T> T call(Function<TensorFactory, T> work) {
        inFlight.incrementAndGet();
        try {
            if (closed) {
                throw new IllegalStateException("predictor: closed; no new calls are admitted");
            }
            try (GradMode g = Autograd.noGrad(); Scope s = Scope.open()) {
                return work.apply(model.tensors());
            } finally {
                calls.incrementAndGet();
            }
        } finally {
            if (inFlight.decrementAndGet() == 0 && closed) {
                synchronized (drained) {
                    drained.notifyAll();
                }
            }
        }
    }

    private Tensor tensor(TensorFactory f, double[][] x, int d) {
        int rows = x.length;
        if (model.dtype() == DType.FLOAT64) {
            double[] flat = new double[rows * d];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(x[i], 0, flat, i * d, d);
            }
            return f.of(flat, rows, d);
        }
        float[] flat = new float[rows * d];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                flat[i * d + j] = (float) x[i][j];
            }
        }
        return f.of(flat, rows, d);
    }

    /** Calls in flight right now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** True once {@link #close()} has begun. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops admitting calls, waits for those in flight to finish, then closes the model if this predictor owns
     * it. Idempotent. If interrupted while waiting, the model is left open and the interrupt status kept.
     */
    @Override
    public void close() {
        closed = true;
        synchronized (drained) {
            while (inFlight.get() > 0) {
                try {
                    drained.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (owns) {
            model.close();
        }
    }

    @Override
    public String toString() {
        return "Predictor[" + model + ", dim " + dim() + ", " + dtype() + ", " + backend() + "]";
    }
}
