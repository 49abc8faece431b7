package dev.nabla.api.tensor;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.LinearKernel;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Matrix products. {@link #matmul} gives NumPy semantics on top of one batched kernel call with
 * transpose flags; the gradients are products with the same kernel and flags, so no transpose is
 * ever materialised:
 * <pre>
 *   C = op(A)·op(B)   ⇒   ∂L/∂A = ∂L/∂C · op(B)ᵀ   (transposed again if A was),
 *                         ∂L/∂B = op(A)ᵀ · ∂L/∂C   (transposed again if B was),
 * </pre>
 * each summed over broadcast batch axes. A stack of matrices times one matrix ({@code [..., m, k] · [k, n]},
 * as every linear layer applied to a batch of sequences) is one product of all the rows: one GEMM forward and
 * one per gradient, rather than one per batch entry and a sum over the entries of the weight's gradient.
 */
final class LinearAlgebra {
    private LinearAlgebra() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        String op = "matmul";
        a.checkLive(op);
        b.checkLive(op);
        Ops.sameBackend(op, a, b);
        Ops.sameDType(op, a, b);
        Ops.requireFloat(op, a);
        if (a.rank() == 0 || b.rank() == 0) {
            throw new ShapeException(op + ": operands must have rank >= 1, got shapes " + a.shape() + " and "
                    + b.shape() + "; use mul for scalars");
        }
        boolean aVec = a.rank() == 1;
        boolean bVec = b.rank() == 1;
        if (aVec && b.dim(bVec ? 0 : -2) != a.dim(0) || bVec && !aVec && a.dim(-1) != b.dim(0)) {
            throw innerMismatch(a.shape(), b.shape(), aVec ? a.dim(0) : a.dim(-1), bVec ? b.dim(0) : b.dim(-2));
        }
        if (!aVec && !bVec && a.rank() > 2 && b.rank() == 2) {
            // a stack of matrices times one matrix: one product of all their rows (one large GEMM, and one for
            // each gradient, instead of one per batch entry and a sum of the weight's per-entry gradients)
            return foldRows(a, r -> mm(r, false, b, false, a.shape(), b.shape()), b.dim(1));
        }
        Tensor c = mm(aVec ? a.unsqueeze(0) : a, false, bVec ? b.unsqueeze(-1) : b, false, a.shape(), b.shape());
        if (aVec) {
            c = c.squeeze(-2);
        }
        if (bVec) {
            c = c.squeeze(-1);
        }
        return c;
    }

    /**
     * {@code x · wᵀ + b} with {@code w} {@code [out, in]}: one product of all of {@code x}'s rows with the transpose
     * flag set, the bias added into its result in place, recorded as one node.
     */
    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        LinearKernel kernel = b == null ? null : x.backend().fused(LinearKernel.class).orElse(null);
        return linear(x, w, b, kernel);
    }

    /** {@link #linear} with the bias in the backend's product ({@code kernel}), for the conformance kit. */
    static Tensor linearFused(Tensor x, Tensor w, Tensor b, LinearKernel kernel) {
        return linear(x, w, java.util.Objects.requireNonNull(b, "linear: the fused form needs a bias"),
                java.util.Objects.requireNonNull(kernel, "kernel"));
    }

    /** {@link #linear} composed: the product, then the bias added to every row of it. */
    static Tensor linearComposed(Tensor x, Tensor w, Tensor b) {
        return linear(x, w, b, null);
    }

    private static Tensor linear(Tensor x, Tensor w, Tensor b, LinearKernel kernel) {
        String op = "linear";
        x.checkLive(op);
        w.checkLive(op);
        Ops.sameBackend(op, x, w);
        Ops.sameDType(op, x, w);
        Ops.requireFloat(op, x);
        if (w.rank() != 2) {
            throw new ShapeException(op + ": weight must be a matrix [out, in], got shape " + w.shape());
        }
        if (x.rank() == 0 || x.dim(-1) != w.dim(1)) {
            throw new ShapeException(op + ": input " + x.shape() + " has " + (x.rank() == 0 ? "no" : x.dim(-1))
                    + " features on its last axis but weight " + w.shape() + " ([out, in]) expects " + w.dim(1));
        }
        if (b != null) {
            b.checkLive(op);
            Ops.sameBackend(op, x, b);
            Ops.sameDType(op, x, b);
            if (b.rank() != 1 || b.dim(0) != w.dim(0)) {
                throw new ShapeException(op + ": bias has shape " + b.shape() + " but must be [" + w.dim(0)
                        + "] for weight " + w.shape());
            }
        }
        // x as the matrix of its rows (a view): one product for all of them, the bias added into it in place,
        // one node whose backward is two products (and the bias gradient, summed down by the engine)
        int[] dims = x.shape().dims();
        int in = w.dim(1);
        int out = w.dim(0);
        int rows = Math.toIntExact(Shape.of(Arrays.copyOf(dims, dims.length - 1)).size());
        Tensor x2 = x.reshape(rows, in);
        Tensor y2;
        try (GradMode ignored = Autograd.noGrad()) {
            if (kernel != null && b != null) {
                y2 = Ops.alloc(x.backend(), x.dtype(), Shape.of(rows, out));
                kernel.linear(x2.storage(op), w.storage(op), b.storage(op), rows, in, out, y2.storage());
            } else {
                y2 = mm(x2, false, w, true, x.shape(), w.shape());
            }
            if (b != null && kernel == null) {
                Ops.k(y2).binary(BinaryOp.ADD, y2.storage(op), y2.shape(), b.storage(op), Shape.of(1, out),
                        y2.storage(op), y2.shape());
            }
        }
        int[] outDims = dims.clone();
        outDims[outDims.length - 1] = out;
        Tensor y = Ops.view(y2, Shape.of(outDims));
        return Ops.record(y, op, g -> {
            Tensor g2 = g.reshape(rows, out);
            return new Tensor[] {
                x.requiresGrad() ? mm(g2, false, w, false, g2.shape(), w.shape()).reshape(dims) : null,
                w.requiresGrad() ? mm(g2, true, x2, false, g2.shape(), x2.shape()) : null,
                b != null && b.requiresGrad() ? g2 : null};
        }, x, w, b);
    }

    /**
     * {@code product} applied to {@code a [..., m, k]} viewed as the matrix {@code [(…·m), k]} of all its rows,
     * and its {@code [(…·m), n]} result viewed as {@code [..., m, n]} (tensors are dense, so both are views).
     */
    private static Tensor foldRows(Tensor a, UnaryOperator<Tensor> product, int n) {
        int[] dims = a.shape().dims();
        int k = dims[dims.length - 1];
        int rows = Math.toIntExact(Shape.of(Arrays.copyOf(dims, dims.length - 1)).size());
        Tensor c = product.apply(a.reshape(rows, k));
        int[] out = dims.clone();
        out[out.length - 1] = n;
        return c.reshape(out);
    }

    private static ShapeException innerMismatch(Shape a, Shape b, int ka, int kb) {
        return new ShapeException("matmul: shapes " + a + " and " + b
                + " do not match on the inner dimension (" + ka + " vs " + kb + ")");
    }

    /** {@code op(a) · op(b)} for operands of rank >= 2, batch axes broadcast; recorded. */
    static Tensor mm(Tensor a, boolean ta, Tensor b, boolean tb, Shape userA, Shape userB) {
        int m = ta ? a.dim(-1) : a.dim(-2);
        int k = ta ? a.dim(-2) : a.dim(-1);
        int kb = tb ? b.dim(-1) : b.dim(-2);
        int n = tb ? b.dim(-2) : b.dim(-1);
        if (k != kb) {
            throw innerMismatch(userA, userB, k, kb);
        }
        Shape batchA = Shape.of(Arrays.copyOf(a.shape().dims(), a.rank() - 2));
        Shape batchB = Shape.of(Arrays.copyOf(b.shape().dims(), b.rank() - 2));
        Shape batch;
        try {
            batch = Shape.broadcast("matmul", batchA, batchB);
        } catch (ShapeException e) {
            throw new ShapeException("matmul: batch dimensions of " + userA + " and " + userB
                    + " cannot be broadcast (" + batchA + " vs " + batchB + ")");
        }
        int r = batch.rank() + 2;
        int[] od = Arrays.copyOf(batch.dims(), r);
        od[r - 2] = m;
        od[r - 1] = n;
        Shape out = Shape.of(od);
        Tensor c = Ops.alloc(a.backend(), a.dtype(), out);
        Ops.k(a).matmul(a.storage("matmul"), a.shape().padLeft(r), ta, b.storage("matmul"), b.shape().padLeft(r), tb,
                c.storage(), out);
        return Ops.record(c, "matmul", g -> new Tensor[] {
            a.requiresGrad() ? (ta ? mm(b, tb, g, true, b.shape(), g.shape()) : mm(g, false, b, !tb, g.shape(), b.shape())) : null,
            b.requiresGrad() ? (tb ? mm(g, true, a, ta, g.shape(), a.shape()) : mm(a, !ta, g, false, a.shape(), g.shape())) : null
        }, a, b);
    }
}
