package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;
import java.util.Objects;

/**
 * Spectral normalisation (Miyato et al., 2018) of a layer's weight, as PyTorch's
 * {@code torch.nn.utils.spectral_norm}: the layer is applied with
 * <pre>
 *   W_SN = W / σ(W),     σ(W) = max_{‖h‖=1} ‖W h‖  (the largest singular value)
 * </pre>
 * where {@code W} is viewed as a matrix {@code [out, rest]} (the output axis first, every other axis
 * flattened). σ is estimated by power iteration: every forward pass in training mode does one step
 * <pre>
 *   v ← Wᵀu / ‖Wᵀu‖,   u ← W v / ‖W v‖,   σ = uᵀ W v
 * </pre>
 * with {@code u} and {@code v} kept between passes, so the estimate converges as training proceeds (one
 * step per pass is enough because {@code W} changes slowly). {@code u} and {@code v} are not differentiated
 * (the gradient flows through {@code W} in {@code uᵀ W v} and in {@code W / σ}); in evaluation mode they are
 * not updated and σ comes from the stored vectors. Norms are clamped below at {@code ε = 1e-12}, as PyTorch.
 *
 * <p>State, with PyTorch's names: the parameter {@code weight_orig} (the unnormalised {@code W}), the
 * parameter {@code bias} when the layer has one, and the buffers {@code weight_u [out]} and
 * {@code weight_v [rest]} (saved in checkpoints, like {@link BatchNorm}'s running statistics, so a resumed
 * run continues the same iteration). {@code u} and {@code v} start as normalised Gaussian vectors.
 *
 * <p>The output axis: 0 for {@link Conv2d} ({@code [O, C, k, k]}), 1 for {@link ConvTranspose2d}
 * ({@code [Cin, Cout, k, k]}, as PyTorch) and 1 for Nabla's {@link Linear} (whose weight is {@code [in, out]};
 * σ does not depend on the choice, only the lengths of {@code u} and {@code v} do). The factories
 * {@link #linear}, {@link #conv2d} and {@link #convTranspose2d} build the usual layers, initialised as the
 * plain ones; {@link #SpectralNorm(Generator, Tensor, Tensor, int, WeightedOp, String)} wraps any weighted op.
 */
public final class SpectralNorm extends Block implements Layer {
    private static final double EPS = 1e-12;

    /** A layer's computation with its weight and bias given: {@code y = op(x, W_SN, b)} ({@code b} may be null). */
    @FunctionalInterface
    public interface WeightedOp {
        /** Applies the layer to {@code x} with the given weight and bias. */
        Tensor apply(Tensor x, Tensor weight, Tensor bias);
    }

    private final Tensor weightOrig;
    private final Tensor bias;
    private final Tensor u;
    private final Tensor v;
    private final int outAxis;
    private final int rows;
    private final int cols;
    private final WeightedOp op;
    private final String description;

    /**
     * Spectral normalisation of {@code weight} (copied into {@code weight_orig}) for the computation
     * {@code op}; {@code bias} is copied into {@code bias} unless null.
     *
     * @param random      draws the initial {@code u} and {@code v}
     * @param outAxis     the axis of {@code weight} that indexes the outputs ({@code u}'s length)
     * @param description how {@link #toString()} names the layer, e.g. {@code Conv2d(3 -> 8, k3, s1, p1)}
     * @throws IllegalArgumentException if the weight has rank 0, is not floating point, or the axis is out of range
     */
    public SpectralNorm(Generator random, Tensor weight, Tensor bias, int outAxis, WeightedOp op, String description) {
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(op, "op");
        if (weight.rank() < 1 || outAxis < 0 || outAxis >= weight.rank() || !weight.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("SpectralNorm: weight " + weight.describe()
                    + " must be floating point with an output axis " + outAxis + " in range");
        }
        this.outAxis = outAxis;
        this.rows = weight.dim(outAxis);
        this.cols = (int) (weight.numel() / rows);
        this.op = op;
        this.description = description;
        TensorFactory f = weight.factory();
        try (Scope ignored = Scope.open()) {
            this.weightOrig = parameter("weight_orig", weight);
            this.bias = bias == null ? null : parameter("bias", bias);
            this.u = buffer("weight_u", normalise(f.normal(random, 0, 1, Shape.of(rows), weight.dtype())));
            this.v = buffer("weight_v", normalise(f.normal(random, 0, 1, Shape.of(cols), weight.dtype())));
        }
    }

    /** A spectrally normalised {@link Linear} ({@code y = x·W_SN + b}, {@code W [in, out]}), initialised as {@code Linear}. */
    public static SpectralNorm linear(TensorFactory f, Generator random, int in, int out, boolean withBias) {
        try (Linear plain = new Linear(f, random, in, out, withBias); Scope ignored = Scope.open()) {
            return new SpectralNorm(random, plain.weight(), plain.bias(), 1, (x, w, b) -> {
                if (x.rank() == 0 || x.dim(-1) != in) {
                    throw new dev.nabla.api.types.ShapeException("SpectralNorm(Linear(" + in + " -> " + out + ")): input "
                            + x.shape() + " must end in " + in);
                }
                Tensor y = x.matmul(w);
                return b == null ? y : y.add(b);
            }, "Linear(" + in + " -> " + out + (withBias ? ")" : ", no bias)"));
        }
    }

    /** A spectrally normalised {@link Conv2d} (weight {@code [O, C, k, k]}, output axis 0), initialised as {@code Conv2d}. */
    public static SpectralNorm conv2d(TensorFactory f, Generator random, int in, int out, int kernel, int stride,
            int padding) {
        try (Conv2d plain = new Conv2d(f, random, in, out, kernel, stride, padding); Scope ignored = Scope.open()) {
            var p = plain.namedParameters();
            int[] s = {stride, stride};
            int[] pad = {padding, padding};
            int[] dil = {1, 1};
            return new SpectralNorm(random, p.get("weight"), p.get("bias"), 0, (x, w, b) -> {
                if (x.rank() != 4 || x.dim(1) != in) {
                    throw new dev.nabla.api.types.ShapeException("SpectralNorm(Conv2d(" + in + " -> " + out + ")): input "
                            + x.shape() + " must be [N, " + in + ", H, W]");
                }
                return x.conv2d(w, b, s, pad, dil);
            }, plain.toString());
        }
    }

    /**
     * A spectrally normalised {@link ConvTranspose2d} (weight {@code [Cin, Cout, k, k]}, output axis 1 as in
     * PyTorch), initialised as {@code ConvTranspose2d}.
     */
    public static SpectralNorm convTranspose2d(TensorFactory f, Generator random, int in, int out, int kernel,
            int stride, int padding, int outputPadding) {
        try (ConvTranspose2d plain = new ConvTranspose2d(f, random, in, out, kernel, stride, padding, outputPadding);
                Scope ignored = Scope.open()) {
            var p = plain.namedParameters();
            int[] s = {stride, stride};
            int[] pad = {padding, padding};
            int[] outPad = {outputPadding, outputPadding};
            return new SpectralNorm(random, p.get("weight"), p.get("bias"), 1, (x, w, b) -> {
                if (x.rank() != 4 || x.dim(1) != in) {
                    throw new dev.nabla.api.types.ShapeException("SpectralNorm(ConvTranspose2d(" + in + " -> " + out
                            + ")): input " + x.shape() + " must be [N, " + in + ", H, W]");
                }
                return x.convTranspose2d(w, b, s, pad, outPad);
            }, plain.toString());
        }
    }

    private static Tensor normalise(Tensor x) {
        return x.div(x.square().sum().sqrt().maximum(EPS));
    }

    /** {@code W} as the matrix {@code [out, rest]}: the output axis moved first, the others in order (as PyTorch). */
    private Tensor matrix(Tensor w) {
        if (outAxis == 0) {
            return w.reshape(rows, cols);
        }
        int[] axes = new int[w.rank()];
        axes[0] = outAxis;
        for (int i = 0, k = 1; i < w.rank(); i++) {
            if (i != outAxis) {
                axes[k++] = i;
            }
        }
        return w.permute(axes).reshape(rows, cols);
    }

    /** The unnormalised weight {@code W} (the parameter {@code weight_orig}). */
    public Tensor weightOrig() {
        return weightOrig;
    }

    /** The bias parameter, or null. */
    public Tensor bias() {
        return bias;
    }

    /** The buffer {@code u} ({@code [out]}, unit length). */
    public Tensor u() {
        return u;
    }

    /** The buffer {@code v} ({@code [rest]}, unit length). */
    public Tensor v() {
        return v;
    }

    /**
     * The normalised weight {@code W / σ}, differentiable with respect to {@code weight_orig}. In training mode
     * it first does one power-iteration step, updating {@code u} and {@code v} in place.
     */
    public Tensor weight() {
        if (isTraining()) {
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                Tensor m = matrix(weightOrig.detach());
                Tensor nv = normalise(m.t().matmul(u.reshape(rows, 1)).reshape(cols));
                Tensor nu = normalise(m.matmul(nv.reshape(cols, 1)).reshape(rows));
                v.assign(nv);
                u.assign(nu);
            }
        }
        Tensor sigma = u.reshape(1, rows).matmul(matrix(weightOrig)).matmul(v.reshape(cols, 1)).reshape();
        return weightOrig.div(sigma);
    }

    /** The current estimate {@code σ = uᵀ W v} from the stored vectors (no iteration step, no gradient). */
    public double sigma() {
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            return u.reshape(1, rows).matmul(matrix(weightOrig)).matmul(v.reshape(cols, 1)).item();
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return op.apply(x, weight(), bias);
    }

    @Override
    public String toString() {
        return "SpectralNorm(" + description + ")";
    }
}
