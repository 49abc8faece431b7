package dev.nabla.models.nn;

import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.ShapeException;
import java.util.Objects;

/**
 * The self-attention block over convolutional feature maps of SAGAN (Zhang, Goodfellow, Metaxas and Odena,
 * "Self-Attention Generative Adversarial Networks", 2018). For an input {@code x [N, C, H, W]} with the
 * {@code n = H·W} positions {@code x_1 … x_n ∈ R^C} (row-major, {@code i = row·W + col}):
 * <pre>
 *   f(x) = W_f x,   g(x) = W_g x      (1×1 convolutions, C → C̄ = max(1, C/8) channels)
 *   h(x) = W_h x                      (1×1 convolution, C → C)
 *   s_{j,i} = f(x_i)ᵀ g(x_j)
 *   β_{j,i} = exp(s_{j,i}) / Σ_i exp(s_{j,i})     (softmax over the positions i; each row j sums to 1)
 *   o_j = Σ_i β_{j,i} h(x_i)
 *   y_j = γ·o_j + x_j,   γ a learned scalar, initialised to 0
 * </pre>
 * so a fresh block is exactly the identity and the network learns to lean on non-local evidence
 * gradually. {@code β_{j,·}} is where query position {@code j} looks. The 1×1 convolutions have no bias, as in
 * the paper's equations and its reference implementation, and may be spectrally normalised
 * ({@link SpectralNorm}) as SAGAN does in both players.
 *
 * <p>State: children {@code f}, {@code g}, {@code h} (each a {@code weight [C', C, 1, 1]}, PyTorch's layout of a
 * 1×1 {@code Conv2d}; under spectral normalisation {@code weight_orig}, {@code weight_u}, {@code weight_v}) and
 * the parameter {@code gamma [1]}. Weights start like PyTorch's {@code Conv2d} (uniform in {@code ±1/√C}).
 * {@link #attend} returns the output and the attention map {@code β [N, n, n]}; {@link #forward} the output.
 * Memory and time grow as {@code n²}: use it on small maps (the paper tries 8×8 to 64×64 maps of 128×128 images).
 */
public final class SelfAttention2d extends Block implements Layer {
    private final int channels;
    private final int reduced;
    private final Layer f;
    private final Layer g;
    private final Layer h;
    private final Tensor gamma;

    /**
     * A block over {@code channels} channels ({@code C/8}, at least 1, for f and g), γ = 0.
     *
     * @param spectralNorm whether W_f, W_g and W_h are spectrally normalised
     */
    public SelfAttention2d(TensorFactory factory, Generator random, int channels, boolean spectralNorm) {
        this(random, initial(factory, random, channels, reduced(channels)), initial(factory, random, channels,
                reduced(channels)), initial(factory, random, channels, channels), factory.zeros(1), spectralNorm,
                true);
    }

    /**
     * A block with explicit initial values (copied; any floating dtype, all the same): {@code wf} and {@code wg}
     * {@code [C', C, 1, 1]}, {@code wh [C, C, 1, 1]}, {@code gamma [1]}.
     *
     * @param random draws spectral normalisation's initial vectors (unused without it)
     * @throws ShapeException if the shapes do not fit together
     */
    public SelfAttention2d(Generator random, Tensor wf, Tensor wg, Tensor wh, Tensor gamma, boolean spectralNorm) {
        this(random, wf, wg, wh, gamma, spectralNorm, false);
    }

    private SelfAttention2d(Generator random, Tensor wf, Tensor wg, Tensor wh, Tensor gamma, boolean spectralNorm,
            boolean owned) {
        try {
            Objects.requireNonNull(wf, "wf");
            Objects.requireNonNull(wg, "wg");
            Objects.requireNonNull(wh, "wh");
            Objects.requireNonNull(gamma, "gamma");
            int c = wh.rank() == 4 ? wh.dim(0) : -1;
            int r = wf.rank() == 4 ? wf.dim(0) : -1;
            if (c < 1 || r < 1 || !wh.shape().equals(dev.nabla.api.types.Shape.of(c, c, 1, 1))
                    || !wf.shape().equals(dev.nabla.api.types.Shape.of(r, c, 1, 1)) || !wg.shape().equals(wf.shape())
                    || gamma.numel() != 1) {
                throw new ShapeException("SelfAttention2d: need wf and wg [C', C, 1, 1], wh [C, C, 1, 1] and gamma [1], got "
                        + wf.shape() + ", " + wg.shape() + ", " + wh.shape() + " and " + gamma.shape());
            }
            this.channels = c;
            this.reduced = r;
            this.f = childLayer("f", projection(random, wf, spectralNorm));
            this.g = childLayer("g", projection(random, wg, spectralNorm));
            this.h = childLayer("h", projection(random, wh, spectralNorm));
            this.gamma = parameter("gamma", gamma.reshape(1));
        } finally {
            if (owned) {
                wf.close();
                wg.close();
                wh.close();
                gamma.close();
            }
        }
    }

    private static int reduced(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("SelfAttention2d: channels must be positive, got " + channels);
        }
        return Math.max(1, channels / 8);
    }

    private static Tensor initial(TensorFactory factory, Generator random, int in, int out) {
        return Init.lecunUniform(factory, random, in, out, in, 1, 1);
    }

    /** {@code y = W x} for {@code x [N, C, n]}, {@code W [C', C, 1, 1]}. */
    private static Tensor pointwise(Tensor x, Tensor w) {
        return w.reshape(w.dim(0), w.dim(1)).matmul(x);
    }

    private static Layer projection(Generator random, Tensor w, boolean spectralNorm) {
        String name = "Conv1x1(" + w.dim(1) + " -> " + w.dim(0) + ", no bias)";
        if (spectralNorm) {
            return new SpectralNorm(random, w, null, 0, (x, weight, b) -> pointwise(x, weight), name);
        }
        return new Pointwise(w);
    }

    /** A 1×1 convolution without bias, on positions flattened to {@code [N, C, n]}. */
    private static final class Pointwise extends Block implements Layer {
        private final Tensor weight;

        Pointwise(Tensor w) {
            this.weight = parameter("weight", w);
        }

        @Override
        public Tensor forward(Tensor x) {
            return pointwise(x, weight);
        }

        @Override
        public String toString() {
            return "Conv1x1(" + weight.dim(1) + " -> " + weight.dim(0) + ", no bias)";
        }
    }

    /** Input and output channels {@code C}. */
    public int channels() {
        return channels;
    }

    /** The channels {@code C'} of f and g. */
    public int reducedChannels() {
        return reduced;
    }

    /** The parameter γ {@code [1]}. */
    public Tensor gamma() {
        return gamma;
    }

    /**
     * Applies the block: the output {@code y [N, C, H, W]} and the attention map {@code β [N, H·W, H·W]} (row
     * {@code j} is query position {@code j}'s distribution over the positions {@code i}).
     *
     * @throws ShapeException if {@code x} is not {@code [N, C, H, W]}
     */
    public AttentionResult attend(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != channels) {
            throw new ShapeException("SelfAttention2d(" + channels + "): input " + x.shape() + " must be [N, " + channels
                    + ", H, W]");
        }
        int n = x.dim(0);
        int positions = x.dim(2) * x.dim(3);
        Tensor flat = x.reshape(n, channels, positions);
        Tensor fx = f.forward(flat);                       // [N, C', n]: keys, index i
        Tensor gx = g.forward(flat);                       // [N, C', n]: queries, index j
        Tensor hx = h.forward(flat);                       // [N, C, n]
        Tensor beta = gx.mT().matmul(fx).softmax(-1);      // [N, j, i]
        Tensor o = hx.matmul(beta.mT());                   // [N, C, j] = Σ_i h[:, i] β[j, i]
        Tensor y = o.mul(gamma).add(flat).reshape(x.shape().dims());
        return new AttentionResult(y, beta);
    }

    @Override
    public Tensor forward(Tensor x) {
        return attend(x).output();
    }

    @Override
    public String toString() {
        return "SelfAttention2d(" + channels + ", f/g " + reduced + " channels"
                + (f instanceof SpectralNorm ? ", spectral norm)" : ")");
    }
}
