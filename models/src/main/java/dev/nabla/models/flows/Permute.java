package dev.nabla.models.flows;

import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;

/**
 * A fixed permutation of the dimensions, {@code z_i = x_{π(i)}}, inverse {@code x_{π(i)} = z_i}; the
 * Jacobian is a permutation matrix, so both log-dets are 0. The permutation is kept in two buffers
 * ({@code permutation} and {@code inverse_permutation}, as float values) so a checkpoint restores it.
 */
public final class Permute extends FlowBlock {
    private final TensorFactory f;
    private final DType dtype;
    private final Tensor permutation;
    private final Tensor inversePermutation;

    /** The permutation {@code π} ({@code z_i = x_{perm[i]}}). */
    public Permute(TensorFactory f, int[] perm, DType dtype) {
        super(perm.length);
        MADE.checkPermutation("Permute", perm);
        this.f = f;
        this.dtype = dtype;
        double[] p = new double[perm.length];
        double[] inv = new double[perm.length];
        for (int i = 0; i < perm.length; i++) {
            p[i] = perm[i];
            inv[perm[i]] = i;
        }
        try (Scope ignored = Scope.open()) {
            this.permutation = buffer("permutation", f.of(p, p.length).to(DType.FLOAT64));
            this.inversePermutation = buffer("inverse_permutation", f.of(inv, inv.length).to(DType.FLOAT64));
        }
    }

    /** A uniformly random permutation of {@code 0 … D-1} drawn from {@code g} (Fisher–Yates). */
    public static Permute random(TensorFactory f, Generator g, int d, DType dtype) {
        return new Permute(f, MADE.order("random", d, g), dtype);
    }

    /** The permutation as an int array. */
    public int[] permutation() {
        double[] p = permutation.toDoubleArray();
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (int) p[i];
        }
        return out;
    }

    private FlowResult apply(Tensor x, Tensor index) {
        Tensor idx = index.to(DType.INT64);
        return new FlowResult(x.indexSelect(1, idx), f.zeros(Shape.of(x.dim(0)), x.dtype()));
    }

    @Override
    public FlowResult forward(Tensor x) {
        checkInput("forward", x);
        return apply(x, permutation);
    }

    @Override
    public FlowResult inverse(Tensor z) {
        checkInput("inverse", z);
        return apply(z, inversePermutation);
    }

    @Override
    public String toString() {
        return "Permute(" + dim() + ", " + dtype + ")";
    }
}
