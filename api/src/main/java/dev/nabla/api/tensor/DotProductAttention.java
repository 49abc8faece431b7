package dev.nabla.api.tensor;

import dev.nabla.api.backend.AttentionKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.StridedAttentionKernel;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Scaled dot-product attention, {@code O = softmax(scale·Q·Kᵀ + M)·V} (see {@link AttentionKernel} for
 * the equations of both passes). Runs the backend's fused {@link AttentionKernel} when it offers one —
 * the leading axes flattened to one batch of heads, one node with two outputs (the output and the
 * weights) whose backward calls the fused backward on the weights the forward saved — and is composed
 * from matmul, mul, add, masked fill and softmax otherwise. Both forms are described for the
 * conformance kit in {@link FusedOps}.
 *
 * <p>The mask is null, bool (true = may attend; turned into an additive 0 / {@code −∞} mask in the
 * inputs' dtype) or of the inputs' floating dtype (added to the scores, and differentiable). It
 * broadcasts to the scores {@code [..., tq, tk]}: on the last two axes it is 1 or equal, on the leading
 * axes it broadcasts with the inputs' leading axes.
 */
final class DotProductAttention {
    static final String OP = "scaledDotProductAttention";
    static final String PACKED = "packedSelfAttention";

    private DotProductAttention() {
    }

    /** The validated operands' sizes: the broadcast leading axes and the matrix sizes. */
    record Plan(Shape batch, int tq, int tk, int d, int dv) {
        int n() {
            return Math.toIntExact(batch.size());
        }

        Shape with(int rows, int cols) {
            int[] b = batch.dims();
            int[] out = Arrays.copyOf(b, b.length + 2);
            out[b.length] = rows;
            out[b.length + 1] = cols;
            return Shape.of(out);
        }
    }

    static AttentionOutput apply(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double scale) {
        check(q, k, v, mask, scale);
        Optional<AttentionKernel> fused = q.backend().fused(AttentionKernel.class);
        return fused.isPresent() ? fused(q, k, v, mask, causal, scale, fused.get())
                : composed(q, k, v, mask, causal, scale);
    }

    /** Validates the operands; returns the sizes. */
    static Plan check(Tensor q, Tensor k, Tensor v, Tensor mask, double scale) {
        Objects.requireNonNull(q, OP + ": query");
        Objects.requireNonNull(k, OP + ": key");
        Objects.requireNonNull(v, OP + ": value");
        q.checkLive(OP);
        k.checkLive(OP);
        v.checkLive(OP);
        Ops.sameBackend(OP, q, k);
        Ops.sameBackend(OP, q, v);
        Ops.sameDType(OP, q, k);
        Ops.sameDType(OP, q, v);
        Ops.requireFloat(OP, q);
        if (q.rank() < 2 || k.rank() < 2 || v.rank() < 2) {
            throw new ShapeException(OP + ": query, key and value need rank >= 2 ([..., length, features]), got "
                    + q.shape() + ", " + k.shape() + " and " + v.shape());
        }
        if (q.dim(-1) != k.dim(-1)) {
            throw new ShapeException(OP + ": query " + q.shape() + " and key " + k.shape()
                    + " must have the same feature size d on the last axis");
        }
        if (k.dim(-2) != v.dim(-2)) {
            throw new ShapeException(OP + ": key " + k.shape() + " and value " + v.shape()
                    + " must have the same length tk on axis -2");
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException(OP + ": scale must be finite, got " + scale);
        }
        Shape batch;
        try {
            batch = Shape.broadcast(OP, Shape.broadcast(OP, lead(q), lead(k)), lead(v));
        } catch (ShapeException e) {
            throw new ShapeException(OP + ": the leading axes of query " + q.shape() + ", key " + k.shape()
                    + " and value " + v.shape() + " cannot be broadcast together");
        }
        int tq = q.dim(-2);
        int tk = k.dim(-2);
        if (mask != null) {
            mask.checkLive(OP);
            Ops.sameBackend(OP, q, mask);
            if (mask.dtype() != DType.BOOL && mask.dtype() != q.dtype()) {
                throw new DTypeException(OP + ": mask must be bool (true = may attend) or " + q.dtype()
                        + " (added to the scores), got " + mask.describe());
            }
            Shape m = mask.shape();
            boolean ok = m.rank() >= 1 && (m.dim(-1) == tk || m.dim(-1) == 1)
                    && (m.rank() < 2 || m.dim(-2) == tq || m.dim(-2) == 1);
            if (ok) {
                try {
                    batch = Shape.broadcast(OP, batch, m.rank() > 2 ? lead(mask) : Shape.scalar());
                } catch (ShapeException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new ShapeException(OP + ": mask " + m + " cannot be broadcast to the scores "
                        + new Plan(batch, tq, tk, 0, 0).with(tq, tk) + " ([..., tq, tk]) of query " + q.shape()
                        + " and key " + k.shape());
            }
        }
        return new Plan(batch, tq, tk, q.dim(-1), v.dim(-1));
    }

    private static Shape lead(Tensor t) {
        return Shape.of(Arrays.copyOf(t.shape().dims(), t.rank() - 2));
    }

    // ------------------------------------------------------------------ fused

    /** The op through the backend's fused kernel and its backward. */
    static AttentionOutput fused(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double scale,
                                 AttentionKernel kernel) {
        Plan p = check(q, k, v, mask, scale);
        int n = p.n();
        Tensor q3 = heads(q, p, p.tq(), p.d());
        Tensor k3 = heads(k, p, p.tk(), p.d());
        Tensor v3 = heads(v, p, p.tk(), p.dv());
        Tensor m3 = mask == null ? null : kernelMask(mask, q.dtype(), p);
        AttentionKernel.Sizes sizes = new AttentionKernel.Sizes(n, p.tq(), p.tk(), p.d(), p.dv());
        Tensor o3 = Ops.alloc(q.backend(), q.dtype(), Shape.of(n, p.tq(), p.dv()));
        Tensor w3 = Ops.alloc(q.backend(), q.dtype(), Shape.of(n, p.tq(), p.tk()));
        boolean work = (long) n * p.tq() * p.tk() > 0;
        if (work) {
            kernel.attention(q3.storage(OP), k3.storage(OP), v3.storage(OP), m3 == null ? null : m3.storage(OP),
                    m3 == null ? 1 : m3.dim(0), m3 == null ? 1 : m3.dim(1), causal, scale, sizes, o3.storage(),
                    w3.storage());
        }
        Ops.recordMulti(new Tensor[] {o3, w3}, OP, gs -> {
            Tensor dO = gs[0] != null ? gs[0] : Ops.zerosLike(o3);
            Tensor dW = gs[1];
            if (!GradMode.isEnabled()) {
                Tensor dq = Ops.zerosLike(q3);
                Tensor dk = Ops.zerosLike(k3);
                Tensor dv = Ops.zerosLike(v3);
                boolean maskGrad = m3 != null && m3.requiresGrad();
                Tensor ds = maskGrad ? Ops.zerosLike(w3) : null;
                if (work) {
                    String bw = OP + " backward";
                    kernel.attentionBackward(dO.storage(bw), dW == null ? null : dW.storage(bw), q3.storage(bw),
                            k3.storage(bw), v3.storage(bw), w3.storage(bw), scale, sizes, dq.storage(), dk.storage(),
                            dv.storage(), ds == null ? null : ds.storage());
                }
                return new Tensor[] {dq, dk, dv, ds};
            }
            // a recorded backward pass (createGraph) is composed, so it can be differentiated again
            return backwardComposed(q3, k3, v3, m3, causal, scale, dO, dW);
        }, q3, k3, v3, m3);
        return new AttentionOutput(o3.reshape(p.with(p.tq(), p.dv()).dims()), w3.reshape(p.with(p.tq(), p.tk()).dims()));
    }

    /** {@code t [..., rows, cols]} broadcast to the plan's leading axes and viewed as {@code [n, rows, cols]}. */
    private static Tensor heads(Tensor t, Plan p, int rows, int cols) {
        Shape full = p.with(rows, cols);
        Tensor b = t.shape().equals(full) ? t : t.broadcastTo(full);
        return b.reshape(p.n(), rows, cols);
    }

    /**
     * The mask as the kernel takes it: additive, in {@code dtype}, {@code [maskBatches, maskRows, tk]} with
     * {@code maskBatches} 1 or n and {@code maskRows} 1 or tq.
     */
    private static Tensor kernelMask(Tensor mask, DType dtype, Plan p) {
        Tensor m = mask;
        if (m.dtype() == DType.BOOL) {
            m = Ops.alloc(m.backend(), dtype, m.shape()).maskedFill(m.logicalNot(), Double.NEGATIVE_INFINITY);
        }
        int r = p.batch().rank() + 2;
        Shape padded = m.shape().padLeft(r);
        int rows = padded.dim(r - 2);
        boolean shared = true;
        for (int i = 0; i < r - 2; i++) {
            shared &= padded.dim(i) == 1;
        }
        if (shared) {
            Tensor one = m.reshape(1, rows, padded.dim(r - 1));
            return padded.dim(r - 1) == p.tk() ? one : one.broadcastTo(1, rows, p.tk());
        }
        Shape target = p.with(rows, p.tk());
        Tensor full = m.reshape(padded.dims());
        if (!padded.equals(target)) {
            full = full.broadcastTo(target);
        }
        return full.reshape(p.n(), rows, p.tk());
    }

    /** The closed-form backward, as tensor ops (recorded when gradients are): see {@link AttentionKernel}. */
    private static Tensor[] backwardComposed(Tensor q3, Tensor k3, Tensor v3, Tensor m3, boolean causal, double scale,
                                             Tensor dO, Tensor dW) {
        Tensor w = composed(q3, k3, v3, m3, causal, scale).weights();
        Tensor dv = w.mT().matmul(dO);
        Tensor dP = dO.matmul(v3.mT());
        if (dW != null) {
            dP = dP.add(dW);
        }
        Tensor dS = w.mul(dP.sub(dP.mul(w).sum(-1, true)));
        Tensor dq = dS.matmul(k3).mul(scale);
        Tensor dk = dS.mT().matmul(q3).mul(scale);
        return new Tensor[] {dq, dk, dv, m3 == null ? null : dS};
    }

    // ------------------------------------------------------------------ packed self-attention

    /** The sizes of a packed self-attention: {@code qkv [batch, length, 3·heads·d]}. */
    record Packed(int batch, int length, int heads, int d) {
        int width() {
            return heads * d;
        }

        Plan plan() {
            return new Plan(Shape.of(batch, heads), length, length, d, d);
        }
    }

    /**
     * Multi-head self-attention over the packed projection {@code qkv [B, T, 3·H·d]} (queries, keys, values
     * side by side on the last axis, each {@code H} heads of {@code d}): the output {@code [B, T, H·d]} with the
     * heads side by side again, and the weights {@code [B, H, T, T]}. The same as splitting the heads
     * ({@code reshape(B, T, 3, H, d).permute(2, 0, 3, 1, 4)}), attending, and merging them back — which is how
     * it is composed — but through the backend's {@link StridedAttentionKernel} when it has one, reading each
     * head where it lies and writing the gradient of {@code qkv} in place, without those copies.
     */
    static AttentionOutput packed(Tensor qkv, int heads, Tensor mask, boolean causal, double scale) {
        checkPacked(qkv, heads, mask, scale);
        Optional<StridedAttentionKernel> fused = qkv.backend().fused(StridedAttentionKernel.class);
        return fused.isPresent() ? packedFused(qkv, heads, mask, causal, scale, fused.get())
                : packedSplit(qkv, heads, mask, causal, scale, false);
    }

    static Packed checkPacked(Tensor qkv, int heads, Tensor mask, double scale) {
        Objects.requireNonNull(qkv, PACKED + ": qkv");
        qkv.checkLive(PACKED);
        Ops.requireFloat(PACKED, qkv);
        if (heads < 1) {
            throw new IllegalArgumentException(PACKED + ": heads must be positive, got " + heads);
        }
        if (qkv.rank() != 3 || qkv.dim(2) % (3 * heads) != 0) {
            throw new ShapeException(PACKED + ": qkv " + qkv.shape() + " must be [batch, length, 3·heads·d] with "
                    + heads + " heads (the last axis a multiple of " + 3 * heads + ")");
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException(PACKED + ": scale must be finite, got " + scale);
        }
        Packed p = new Packed(qkv.dim(0), qkv.dim(1), heads, qkv.dim(2) / (3 * heads));
        if (mask != null) {
            Tensor probe = Ops.alloc(qkv.backend(), qkv.dtype(), Shape.of(p.batch(), heads, p.length(), 0));
            Plan plan = check(probe, probe, probe, mask, 1);
            if (!plan.batch().equals(p.plan().batch())) {
                throw new ShapeException(PACKED + ": mask " + mask.shape() + " cannot be broadcast to the scores "
                        + p.plan().with(p.length(), p.length()) + " of qkv " + qkv.shape() + " with " + heads
                        + " heads");
            }
        }
        return p;
    }

    /** Head {@code h} of entry {@code b} of the queries (which 0), keys (1) or values (2) in {@code qkv}. */
    private static StridedAttentionKernel.Operand part(Packed p, int which) {
        int row = 3 * p.width();
        return new StridedAttentionKernel.Operand((long) which * p.width(), (long) p.length() * row, p.d(), row);
    }

    /** The op through the backend's strided kernel and its backward. */
    static AttentionOutput packedFused(Tensor qkv, int heads, Tensor mask, boolean causal, double scale,
                                       StridedAttentionKernel kernel) {
        Packed p = checkPacked(qkv, heads, mask, scale);
        Plan plan = p.plan();
        int b = p.batch();
        int t = p.length();
        int n = plan.n();
        Tensor m3 = mask == null ? null : kernelMask(mask, qkv.dtype(), plan);
        StridedAttentionKernel.Sizes sizes = new StridedAttentionKernel.Sizes(b, heads, t, t, p.d(), p.d());
        StridedAttentionKernel.Operand qa = part(p, 0);
        StridedAttentionKernel.Operand ka = part(p, 1);
        StridedAttentionKernel.Operand va = part(p, 2);
        StridedAttentionKernel.Operand oa = new StridedAttentionKernel.Operand(0, (long) t * p.width(), p.d(),
                p.width());
        Tensor out = Ops.alloc(qkv.backend(), qkv.dtype(), Shape.of(b, t, p.width()));
        Tensor w = Ops.alloc(qkv.backend(), qkv.dtype(), Shape.of(b, heads, t, t));
        boolean work = (long) n * t * t > 0;
        if (work) {
            Storage s = qkv.storage(PACKED);
            kernel.attention(s, qa, s, ka, s, va, m3 == null ? null : m3.storage(PACKED), m3 == null ? 1 : m3.dim(0),
                    m3 == null ? 1 : m3.dim(1), causal, scale, sizes, out.storage(), oa, w.storage());
        }
        Ops.recordMulti(new Tensor[] {out, w}, PACKED, gs -> {
            Tensor dO = gs[0] != null ? gs[0] : Ops.zerosLike(out);
            Tensor dW = gs[1];
            if (!GradMode.isEnabled()) {
                Tensor dqkv = Ops.zerosLike(qkv);
                boolean maskGrad = m3 != null && m3.requiresGrad();
                Tensor ds = maskGrad ? Ops.alloc(qkv.backend(), qkv.dtype(), Shape.of(n, t, t)) : null;
                if (work) {
                    String bw = PACKED + " backward";
                    Storage g = dqkv.storage();
                    Storage s = qkv.storage(bw);
                    kernel.attentionBackward(dO.storage(bw), oa, dW == null ? null : dW.reshape(n, t, t).storage(bw),
                            s, qa, s, ka, s, va, w.storage(bw), scale, sizes, g, qa, g, ka, g, va,
                            ds == null ? null : ds.storage());
                }
                return new Tensor[] {dqkv, ds};
            }
            // a recorded backward pass (createGraph) is composed, so it can be differentiated again
            List<Tensor> split = splitHeads(qkv, p);
            Tensor[] g = backwardComposed(split.get(0), split.get(1), split.get(2), m3, causal, scale,
                    splitHeads(dO, p, 1).getFirst(), dW == null ? null : dW.reshape(n, t, t));
            return new Tensor[] {mergeHeads(Tensor.stack(List.of(g[0], g[1], g[2]), 0), p, 3), g[3]};
        }, qkv, m3);
        return new AttentionOutput(out, w);
    }

    /**
     * The packed op composed: the heads split by a permute and chunks, attention ({@code primitive}: composed
     * from primitives; else {@link #apply}, fused when the backend has the dense kernel), the heads merged.
     */
    static AttentionOutput packedSplit(Tensor qkv, int heads, Tensor mask, boolean causal, double scale,
                                       boolean primitive) {
        Packed p = checkPacked(qkv, heads, mask, scale);
        List<Tensor> qkvHeads = qkv.reshape(p.batch(), p.length(), 3, heads, p.d()).permute(2, 0, 3, 1, 4)
                .chunk(3, 0);
        Tensor q = qkvHeads.get(0).squeeze(0);
        Tensor k = qkvHeads.get(1).squeeze(0);
        Tensor v = qkvHeads.get(2).squeeze(0);
        AttentionOutput o = primitive ? composed(q, k, v, mask, causal, scale) : apply(q, k, v, mask, causal, scale);
        Tensor out = o.output().permute(0, 2, 1, 3).reshape(p.batch(), p.length(), p.width());
        return new AttentionOutput(out, o.weights());
    }

    /** {@code x [B, T, parts·H·d]} as {@code parts} dense {@code [B·H, T, d]} tensors (recorded ops). */
    private static List<Tensor> splitHeads(Tensor x, Packed p, int parts) {
        Tensor h = x.reshape(p.batch(), p.length(), parts, p.heads(), p.d()).permute(2, 0, 3, 1, 4);
        return h.chunk(parts, 0).stream().map(c -> c.reshape(p.batch() * p.heads(), p.length(), p.d())).toList();
    }

    private static List<Tensor> splitHeads(Tensor qkv, Packed p) {
        return splitHeads(qkv, p, 3);
    }

    /** {@code [parts, B·H, T, d]} back to {@code [B, T, parts·H·d]} (recorded ops). */
    private static Tensor mergeHeads(Tensor x, Packed p, int parts) {
        return x.reshape(parts, p.batch(), p.heads(), p.length(), p.d()).permute(1, 3, 0, 2, 4)
                .reshape(p.batch(), p.length(), parts * p.width());
    }

    // ------------------------------------------------------------------ composed

    /** The op composed from primitives; autodiff records each of them. */
    static AttentionOutput composed(Tensor q, Tensor k, Tensor v, Tensor mask, boolean causal, double scale) {
        Plan p = check(q, k, v, mask, scale);
        Tensor s = q.matmul(k.mT()).mul(scale);
        if (mask != null) {
            Tensor add = mask.dtype() == DType.BOOL
                    ? Ops.alloc(mask.backend(), q.dtype(), mask.shape()).maskedFill(mask.logicalNot(),
                            Double.NEGATIVE_INFINITY)
                    : mask;
            s = s.add(add);
        }
        if (causal) {
            s = s.maskedFill(q.factory().triuMask(p.tq(), p.tk(), 1), Double.NEGATIVE_INFINITY);
        }
        Tensor w = s.softmax(-1);
        return new AttentionOutput(w.matmul(v), w);
    }
}
