package dev.nabla.models.nn;

import dev.nabla.api.nn.Attention;
import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.tensor.AttentionOutput;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Scaled dot-product attention (Vaswani et al., 2017), without parameters:
 * <pre>
 *   weights = softmax(Q·Kᵀ / √d_k + M),   output = weights · V
 * </pre>
 * where {@code M} is 0 where a query may attend to a key and {@code -∞} where it may not (from a bool
 * mask, true = may attend, as in PyTorch's {@code F.scaled_dot_product_attention}), or the given
 * floating mask itself. Shapes as in {@link Attention}: {@code Q [..., tq, d_k]},
 * {@code K [..., tk, d_k]}, {@code V [..., tk, d_v]}, leading axes broadcast; output {@code [..., tq, d_v]},
 * weights {@code [..., tq, tk]}. The multi-head form projects into heads and calls this per head.
 *
 * <p>It is {@link Tensor#scaledDotProductAttentionWithWeights} with {@code scale = 1/√d_k}: one autodiff
 * node, run by the backend's fused attention kernel where it has one (the native backend does), composed
 * from matmul and softmax elsewhere.
 */
public final class ScaledDotProductAttention implements Attention {
    private static final String OP = "scaled_dot_product_attention";

    /** The attention; it has no parameters. */
    public ScaledDotProductAttention() {
    }

    @Override
    public AttentionResult attend(Tensor query, Tensor key, Tensor value, Tensor mask) {
        return attend(query, key, value, mask, false);
    }

    /**
     * As {@link #attend(Tensor, Tensor, Tensor, Tensor)}, and with {@code causal} query {@code i} also attends only
     * to keys {@code j <= i} (PyTorch's {@code is_causal}): the same as passing the causal mask, without making
     * one — the fused kernel then skips the excluded keys instead of adding {@code −∞} to them.
     */
    public AttentionResult attend(Tensor query, Tensor key, Tensor value, Tensor mask, boolean causal) {
        Objects.requireNonNull(query, OP + ": query");
        Objects.requireNonNull(key, OP + ": key");
        Objects.requireNonNull(value, OP + ": value");
        if (query.rank() < 2 || key.rank() < 2 || value.rank() < 2) {
            throw new ShapeException(OP + ": query, key and value need rank >= 2 ([..., length, features]), got "
                    + query.shape() + ", " + key.shape() + " and " + value.shape());
        }
        if (!query.dtype().isFloatingPoint() || key.dtype() != query.dtype() || value.dtype() != query.dtype()) {
            throw new DTypeException(OP + ": query, key and value must share one floating dtype, got "
                    + query.describe() + ", " + key.describe() + " and " + value.describe());
        }
        if (query.dim(-1) != key.dim(-1)) {
            throw new ShapeException(OP + ": query " + query.shape() + " and key " + key.shape()
                    + " must have the same feature size d_k on the last axis");
        }
        if (key.dim(-2) != value.dim(-2)) {
            throw new ShapeException(OP + ": key " + key.shape() + " and value " + value.shape()
                    + " must have the same length tk on axis -2");
        }
        if (mask != null) {
            checkMask(query, key, value, mask);
        }
        AttentionOutput o = Tensor.scaledDotProductAttentionWithWeights(query, key, value, mask, causal,
                1 / Math.sqrt(query.dim(-1)));
        return new AttentionResult(o.output(), o.weights());
    }

    /** The mask's checks, with this class's messages, before the tensor op sees it. */
    private static void checkMask(Tensor query, Tensor key, Tensor value, Tensor mask) {
        Shape target = scoresShape(query, key, value);
        if (!broadcastsInto(mask.shape(), target)) {
            throw new ShapeException(OP + ": mask " + mask.shape() + " cannot be broadcast to the scores "
                    + target + " ([..., tq, tk])");
        }
        if (mask.dtype() != DType.BOOL && mask.dtype() != query.dtype()) {
            throw new DTypeException(OP + ": mask must be bool (true = may attend) or " + query.dtype()
                    + " (added to the scores), got " + mask.describe());
        }
    }

    /** {@code [..., tq, tk]}: the leading axes of query and key broadcast (as their matmul would). */
    private static Shape scoresShape(Tensor query, Tensor key, Tensor value) {
        Shape q = query.shape();
        Shape k = key.shape();
        Shape batch = Shape.broadcast(OP, Shape.of(Arrays.copyOf(q.dims(), q.rank() - 2)),
                Shape.of(Arrays.copyOf(k.dims(), k.rank() - 2)));
        int[] d = Arrays.copyOf(batch.dims(), batch.rank() + 2);
        d[batch.rank()] = query.dim(-2);
        d[batch.rank() + 1] = key.dim(-2);
        return Shape.of(d);
    }

    /**
     * Whether a mask of shape {@code m} fits scores of shape {@code t}: on the last two axes it is 1 or
     * equal (it may not grow {@code tq} or {@code tk}); on the batch axes the two broadcast.
     */
    private static boolean broadcastsInto(Shape m, Shape t) {
        int[] a = m.dims();
        int[] b = t.dims();
        for (int i = 1; i <= a.length; i++) {
            int x = a[a.length - i];
            int y = i <= b.length ? b[b.length - i] : 1;
            boolean ok = i <= 2 ? x == y || x == 1 : x == y || x == 1 || y == 1;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        return Map.of();
    }

    @Override
    public String toString() {
        return "ScaledDotProductAttention";
    }
}
