package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.Shape;

/**
 * Inverted dropout (Srivastava et al., 2014), as PyTorch's {@code nn.Dropout}: in training,
 * <pre>
 *   y = x · b / (1 - p),   b ~ Bernoulli(1 - p) elementwise
 * </pre>
 * so {@code E[y] = x}; in evaluation {@code y = x}. The mask is drawn from the layer's own seeded
 * {@link Generator}, so runs are reproducible; {@link #generator()} and {@link #generator(Generator)}
 * let a checkpoint save and restore its position.
 */
public class Dropout extends Block implements Layer, dev.nabla.models.nn.Stochastic {
    private final double p;
    private Generator random;

    /**
     * @param p      probability of zeroing an element, in {@code [0, 1]}
     * @param random where the masks come from
     */
    public Dropout(double p, Generator random) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: p must be in [0, 1], got " + p);
        }
        this.p = p;
        this.random = java.util.Objects.requireNonNull(random, "random");
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    /** The generator the masks are drawn from. */
    @Override
    public Generator generator() {
        return random;
    }

    /** Replaces the generator (restoring a checkpointed state with {@link Generator#fromState}). */
    @Override
    public void generator(Generator random) {
        this.random = java.util.Objects.requireNonNull(random, "random");
    }

    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        if (p == 1) {
            return x.mul(0.0);
        }
        Tensor mask = x.factory().bernoulli(random, 1 - p, Shape.of(x.shape().dims()), x.dtype());
        return x.mul(mask.div(1 - p));
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
