package dev.nabla.models.flows;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Activation;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.ModuleList;

import java.util.Arrays;
import java.util.Locale;

/**
 * MADE, the masked autoencoder for distribution estimation (Germain et al., 2015): an MLP
 * {@code D → H_1 → … → H_L → k·D} whose weights are masked so that output group {@code g}, unit
 * {@code i} depends only on the inputs that come before {@code i} in a chosen autoregressive order.
 *
 * <p><b>Degrees.</b> Input {@code i} has degree {@code m(i) = rank of i in the order + 1 ∈ [1, D]}.
 * Hidden unit {@code k} of every hidden layer has degree {@code m(k) = (k mod max(1, D-1)) + min(1, D-1)}
 * ∈ {@code [1, D-1]} (nflows' deterministic assignment). Hidden masks connect {@code j → k} iff
 * {@code m(k) ≥ m(j)}; the output mask connects {@code j → (g, i)} iff {@code m(i) > m(j)} (strict),
 * so output {@code (g, i)} is a function of {@code x_<i} in the order only.
 *
 * <p>The output {@code [batch, k·D]} holds the groups one after another: for the affine flows
 * ({@code k = 2}) columns {@code [0, D)} are the shifts {@code μ} and {@code [D, 2D)} the log-scales
 * {@code α}, each in natural (not autoregressive) index order.
 *
 * <p>Children: {@code layers.0, layers.1, …} ({@link MaskedLinear}s) — names like
 * {@code layers.0.weight}, {@code layers.0.mask}.
 */
public final class MADE extends Block implements Layer {
    private final int dim;
    private final int groups;
    private final int[] order;
    private final MaskedLinear[] linears;
    private final Activation.Kind activation;

    /**
     * @param order      a permutation of {@code 0 … D-1}: {@code order[r]} is the variable that comes
     *                   {@code r}-th ({@link #order(String, int, Generator)} builds the usual ones)
     * @param hidden     widths of the hidden layers (at least one)
     * @param groups     outputs per input dimension ({@code 2} for shift and log-scale)
     * @param activation hidden activation name ({@code "relu"}, {@code "tanh"}, …)
     */
    public MADE(TensorFactory f, Generator g, int[] order, int[] hidden, int groups, String activation, DType dtype) {
        int d = order.length;
        checkPermutation("MADE", order);
        if (hidden.length < 1 || Arrays.stream(hidden).anyMatch(h -> h < 1) || groups < 1) {
            throw new IllegalArgumentException("MADE: needs at least one positive hidden width and groups >= 1, got hidden "
                    + Arrays.toString(hidden) + ", groups " + groups);
        }
        this.dim = d;
        this.groups = groups;
        this.order = order.clone();
        this.activation = Activation.Kind.parse(activation);
        int[] inDeg = inputDegrees(this.order);
        ModuleList layers = child("layers", new ModuleList());
        this.linears = new MaskedLinear[hidden.length + 1];
        int[] prev = inDeg;
        for (int l = 0; l <= hidden.length; l++) {
            boolean last = l == hidden.length;
            int outSize = last ? groups * d : hidden[l];
            int[] outDeg = new int[outSize];
            for (int k = 0; k < outSize; k++) {
                outDeg[k] = last ? inDeg[k % d] : hiddenDegree(k, d);
            }
            double[] mask = new double[prev.length * outSize];
            for (int j = 0; j < prev.length; j++) {
                for (int k = 0; k < outSize; k++) {
                    boolean on = last ? outDeg[k] > prev[j] : outDeg[k] >= prev[j];
                    mask[j * outSize + k] = on ? 1 : 0;
                }
            }
            linears[l] = new MaskedLinear(f, g, prev.length, outSize, mask, dtype);
            layers.append(linears[l]);
            prev = outDeg;
        }
    }

    /** Degree of hidden unit {@code k} for {@code D} inputs. */
    static int hiddenDegree(int k, int d) {
        return k % Math.max(1, d - 1) + Math.min(1, d - 1);
    }

    /** Degrees of the inputs: {@code m(order[r]) = r + 1}. */
    static int[] inputDegrees(int[] order) {
        int[] deg = new int[order.length];
        for (int r = 0; r < order.length; r++) {
            deg[order[r]] = r + 1;
        }
        return deg;
    }

    /**
     * A standard order over {@code D} variables: {@code "natural"} ({@code 0, 1, …}), {@code "reversed"}
     * or {@code "random"} (a seeded uniform permutation drawn from {@code g}).
     *
     * @throws IllegalArgumentException naming the valid orders
     */
    public static int[] order(String name, int d, Generator g) {
        int[] o = new int[d];
        for (int i = 0; i < d; i++) {
            o[i] = i;
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "natural" -> { }
            case "reversed" -> {
                for (int i = 0; i < d; i++) {
                    o[i] = d - 1 - i;
                }
            }
            case "random" -> {
                for (int i = d - 1; i > 0; i--) {
                    int j = (int) g.nextLong(i + 1);
                    int t = o[i];
                    o[i] = o[j];
                    o[j] = t;
                }
            }
            default -> throw new IllegalArgumentException("order '" + name + "' is not one of natural, reversed, random");
        }
        return o;
    }

    static void checkPermutation(String who, int[] p) {
        boolean[] seen = new boolean[p.length];
        for (int v : p) {
            if (v < 0 || v >= p.length || seen[v]) {
                throw new IllegalArgumentException(who + ": " + Arrays.toString(p) + " is not a permutation of 0.."
                        + (p.length - 1));
            }
            seen[v] = true;
        }
        if (p.length < 1) {
            throw new IllegalArgumentException(who + ": the order must have at least one element");
        }
    }

    /** The autoregressive order ({@code order[r]} comes {@code r}-th). */
    public int[] order() {
        return order.clone();
    }

    /** The input dimension {@code D}. */
    public int dim() {
        return dim;
    }

    /** Output groups {@code k}. */
    public int groups() {
        return groups;
    }

    /** {@code [batch, D] → [batch, k·D]}. */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != dim) {
            throw new ShapeException("MADE: input " + x.shape() + " must be [batch, " + dim + "]");
        }
        Tensor h = x;
        for (int l = 0; l < linears.length; l++) {
            h = linears[l].forward(h);
            if (l + 1 < linears.length) {
                h = activation.apply(h);
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return "MADE(" + dim + ", hidden " + linears.length + " layers, groups " + groups + ")";
    }
}
