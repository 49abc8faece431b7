package dev.nabla.models.flows;

import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.nn.MLP;
import dev.nabla.api.nn.Layer;

import java.util.Locale;

/**
 * A RealNVP affine coupling layer (Dinh et al., 2017) with a binary mask {@code b} (buffer
 * {@code mask}): the masked-in half passes through unchanged and conditions an affine map of the rest.
 * With {@code [ŝ, t] = net(b ⊙ x)} (child {@code net}: by default an MLP {@code D → hidden… → 2D}, or
 * any {@link Layer} mapping {@code [batch, D] → [batch, 2D]}, e.g. a plugin's) and the
 * stabilised scale {@code s = (1 − b) ⊙ scale ⊙ tanh(ŝ)} ({@code scale} a learnable per-dimension
 * parameter starting at 1, so {@code |s| ≤ |scale|}):
 *
 * <pre>
 *   forward:  z = x ⊙ exp(s) + (1 − b) ⊙ t,     log|det ∂z/∂x| = Σ_i s_i
 *   inverse:  x = (z − (1 − b) ⊙ t) ⊙ exp(−s),  log|det ∂x/∂z| = −Σ_i s_i     (s, t from b ⊙ z = b ⊙ x)
 * </pre>
 *
 * <p>Both directions take one network evaluation. Alternate the mask between layers
 * ({@link #mask(String, int, int)} with parity {@code 0, 1, 0, …}) so every dimension is transformed.
 */
public final class AffineCoupling extends FlowBlock {
    private final Tensor mask;
    private final Tensor inverseMask;
    private final Tensor scale;
    private final Layer net;

    /**
     * @param mask   {@code D} values of 0/1, 1 = passed through ({@link #mask(String, int, int)})
     * @param hidden width of the conditioner's hidden layers
     * @param layers number of hidden layers
     */
    public AffineCoupling(TensorFactory f, Generator g, double[] mask, int hidden, int layers, String activation,
            DType dtype) {
        checkMask(mask);
        this(f, mask, dtype, new MLP(f, g, MLP.sizes(mask.length, hidden, layers, 2 * mask.length), activation, dtype),
                false);
    }

    /**
     * A coupling whose conditioner is {@code net}, any layer mapping {@code [batch, D] → [batch, 2D]}
     * (checked once here on a zero batch); the coupling owns it from now on.
     *
     * @param mask  {@code D} values of 0/1, 1 = passed through ({@link #mask(String, int, int)})
     * @param dtype parameter dtype
     * @param net   the conditioner
     * @throws IllegalArgumentException if {@code net} does not map {@code [2, D]} to {@code [2, 2D]}
     */
    public AffineCoupling(TensorFactory f, double[] mask, DType dtype, Layer net) {
        checkMask(mask);
        this(f, mask, dtype, net, true);
    }

    private AffineCoupling(TensorFactory f, double[] mask, DType dtype, Layer net, boolean probe) {
        super(mask.length);
        int d = mask.length;
        if (probe) {
            checkConditioner(f, d, dtype, net);
        }
        double[] inv = new double[d];
        for (int i = 0; i < d; i++) {
            inv[i] = 1 - mask[i];
        }
        try (Scope ignored = Scope.open()) {
            this.mask = buffer("mask", f.of(mask, d).to(dtype));
            this.inverseMask = buffer("inverse_mask", f.of(inv, d).to(dtype));
            this.scale = parameter("scale", f.ones(d).to(dtype));
        }
        this.net = childLayer("net", net);
    }

    private static void checkMask(double[] mask) {
        int ones = 0;
        for (double m : mask) {
            if (m != 0 && m != 1) {
                throw new IllegalArgumentException("AffineCoupling: mask values must be 0 or 1, got " + m);
            }
            ones += (int) m;
        }
        if (mask.length > 1 && (ones == 0 || ones == mask.length)) {
            throw new IllegalArgumentException("AffineCoupling: the mask must pass some but not all dimensions");
        }
    }

    /** A conditioner must map {@code [2, D]} to {@code [2, 2D]}: checked on zeros, without recording gradients. */
    private static void checkConditioner(TensorFactory f, int d, DType dtype, Layer net) {
        net.train(false);   // no batch statistics or dropout state may change on the probe
        try (var ng = dev.nabla.api.tensor.Autograd.noGrad(); Scope ignored = Scope.open()) {
            Tensor probe = net.forward(f.zeros(2, d).to(dtype));
            if (probe.shape().rank() != 2 || probe.shape().dim(0) != 2 || probe.shape().dim(1) != 2 * d) {
                throw new IllegalArgumentException("AffineCoupling: the conditioner " + net.getClass().getSimpleName()
                        + " maps [2, " + d + "] to " + probe.shape() + ", expected [2, " + 2 * d + "]");
            }
            if (probe.dtype() != dtype) {
                throw new IllegalArgumentException("AffineCoupling: the conditioner " + net.getClass().getSimpleName()
                        + " returns " + probe.dtype() + ", expected " + dtype);
            }
        } finally {
            net.train(true);
        }
    }

    /**
     * A coupling mask over {@code D} dimensions: {@code "checkerboard"} ({@code b_i = 1} for
     * {@code (i + parity)} even) or {@code "half"} (the first {@code ⌈D/2⌉} for parity 0, the rest for
     * parity 1). For {@code D = 2} both give {@code [1, 0]} and {@code [0, 1]}.
     *
     * @throws IllegalArgumentException naming the valid kinds
     */
    public static double[] mask(String kind, int d, int parity) {
        double[] m = new double[d];
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "checkerboard" -> {
                for (int i = 0; i < d; i++) {
                    m[i] = (i + parity) % 2 == 0 ? 1 : 0;
                }
            }
            case "half" -> {
                int h = (d + 1) / 2;
                for (int i = 0; i < d; i++) {
                    m[i] = (i < h) == (parity % 2 == 0) ? 1 : 0;
                }
            }
            default -> throw new IllegalArgumentException("mask '" + kind + "' is not one of checkerboard, half");
        }
        return m;
    }

    /** The conditioner network. */
    public Layer net() {
        return net;
    }

    /** {@code s} and {@code (1 − b) ⊙ t} from the pass-through part. */
    private Tensor[] scaleAndShift(Tensor passThrough) {
        Tensor h = net.forward(passThrough);
        int d = dim();
        Tensor s = h.slice(1, 0, d).tanh().mul(scale).mul(inverseMask);
        Tensor t = h.slice(1, d, 2 * d).mul(inverseMask);
        return new Tensor[] {s, t};
    }

    @Override
    public FlowResult forward(Tensor x) {
        checkInput("forward", x);
        Tensor[] st = scaleAndShift(x.mul(mask));
        return new FlowResult(x.mul(st[0].exp()).add(st[1]), st[0].sum(1, false));
    }

    @Override
    public FlowResult inverse(Tensor z) {
        checkInput("inverse", z);
        Tensor[] st = scaleAndShift(z.mul(mask));
        return new FlowResult(z.sub(st[1]).mul(st[0].neg().exp()), st[0].sum(1, false).neg());
    }

    @Override
    public String toString() {
        return "AffineCoupling(" + dim() + ")";
    }
}
