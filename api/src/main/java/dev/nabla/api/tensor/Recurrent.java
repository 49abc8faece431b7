package dev.nabla.api.tensor;

import dev.nabla.api.backend.GruCellKernel;
import dev.nabla.api.backend.LstmCellKernel;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import java.util.List;
import java.util.Optional;

/**
 * The pointwise parts of the LSTM and GRU cell steps, in PyTorch's gate orders (LSTM i, f, g, o; GRU
 * r, z, n):
 * <pre>
 *   LSTM  i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o);  c' = f ⊙ c + i ⊙ g;  h' = o ⊙ tanh(c')
 *   GRU   r = σ(a_r + b_r), z = σ(a_z + b_z), n = tanh(a_n + r ⊙ b_n);  h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * Each runs the backend's fused kernel ({@link LstmCellKernel}, {@link GruCellKernel}) when it offers
 * one — one node whose backward calls the fused backward on the activations the forward saved — and is
 * composed from slice, sigmoid, tanh, mul and add otherwise. Both forms are described for the
 * conformance kit in {@link FusedOps}.
 *
 * <p>The fused LSTM step records one node with two outputs, {@code h'} and {@code c'}: its backward runs
 * once, with both gradients (a zero one for an output no gradient reached).
 */
final class Recurrent {
    private Recurrent() {
    }

    // ------------------------------------------------------------------ LSTM

    static LstmCellOutput lstmCell(Tensor gates, Tensor c) {
        int hidden = checkLstm(gates, c);
        Optional<LstmCellKernel> fused = gates.backend().fused(LstmCellKernel.class);
        return fused.isPresent() ? lstmCellFused(gates, c, fused.get()) : lstmCellComposed(gates, c, hidden);
    }

    /** Validates the operands of an LSTM step; returns the hidden size. */
    static int checkLstm(Tensor gates, Tensor c) {
        String op = "lstmCell";
        gates.checkLive(op);
        c.checkLive(op);
        Ops.sameBackend(op, gates, c);
        Ops.sameDType(op, gates, c);
        Ops.requireFloat(op, gates);
        Ops.requireRank(op, "gates", gates, 2);
        Ops.requireRank(op, "c", c, 2);
        int hidden = c.dim(1);
        if (gates.dim(0) != c.dim(0) || gates.dim(1) != 4L * hidden) {
            throw new ShapeException(op + ": gates " + gates.shape() + " must be [batch, 4·hidden] = ["
                    + c.dim(0) + ", " + 4L * hidden + "] for c " + c.shape());
        }
        return hidden;
    }

    /** The LSTM step through the backend's fused kernel and its backward. */
    static LstmCellOutput lstmCellFused(Tensor gates, Tensor c, LstmCellKernel kernel) {
        int hidden = checkLstm(gates, c);
        int batch = c.dim(0);
        Tensor h2 = Ops.alloc(c.backend(), c.dtype(), c.shape());
        Tensor c2 = Ops.alloc(c.backend(), c.dtype(), c.shape());
        Tensor act = Ops.alloc(gates.backend(), gates.dtype(), gates.shape());
        if (c.numel() > 0) {
            kernel.lstmCell(gates.storage("lstmCell"), c.storage("lstmCell"), batch, hidden, h2.storage(),
                    c2.storage(), act.storage());
        }
        Ops.recordMulti(new Tensor[] {h2, c2}, "lstmCell", gs -> {
            Tensor dh = gs[0] != null ? gs[0] : Ops.zerosLike(c);
            Tensor dc = gs[1] != null ? gs[1] : Ops.zerosLike(c);
            if (!GradMode.isEnabled()) {
                Tensor dGates = Ops.alloc(gates.backend(), gates.dtype(), gates.shape());
                Tensor dC = Ops.alloc(c.backend(), c.dtype(), c.shape());
                if (c.numel() > 0) {
                    kernel.lstmCellBackward(dh.storage("lstmCell backward"), dc.storage("lstmCell backward"),
                            act.storage(), c.storage(), batch, hidden, dGates.storage(), dC.storage());
                }
                return new Tensor[] {dGates, dC};
            }
            // a recorded backward pass (createGraph) is composed, so it can be differentiated again
            return lstmBackwardComposed(gates, c, dh, dc, hidden);
        }, gates, c);
        return new LstmCellOutput(h2, c2);
    }

    /** The LSTM step composed from primitives; autodiff records each of them. */
    static LstmCellOutput lstmCellComposed(Tensor gates, Tensor c, int hidden) {
        checkLstm(gates, c);
        List<Tensor> a = gates.split(1, hidden, hidden, hidden, hidden);
        Tensor i = a.get(0).sigmoid();
        Tensor f = a.get(1).sigmoid();
        Tensor g = a.get(2).tanh();
        Tensor o = a.get(3).sigmoid();
        Tensor c2 = f.mul(c).add(i.mul(g));
        return new LstmCellOutput(o.mul(c2.tanh()), c2);
    }

    /** The closed-form backward of the LSTM step, as tensor ops (recorded when gradients are). */
    private static Tensor[] lstmBackwardComposed(Tensor gates, Tensor c, Tensor dh, Tensor dc, int hidden) {
        List<Tensor> a = gates.split(1, hidden, hidden, hidden, hidden);
        Tensor i = a.get(0).sigmoid();
        Tensor f = a.get(1).sigmoid();
        Tensor g = a.get(2).tanh();
        Tensor o = a.get(3).sigmoid();
        Tensor t = f.mul(c).add(i.mul(g)).tanh();
        Tensor dct = dc.add(dh.mul(o).mul(t.mul(t).rsub(1.0)));
        Tensor di = dct.mul(g).mul(i.mul(i.rsub(1.0)));
        Tensor df = dct.mul(c).mul(f.mul(f.rsub(1.0)));
        Tensor dg = dct.mul(i).mul(g.mul(g).rsub(1.0));
        Tensor dO = dh.mul(t).mul(o.mul(o.rsub(1.0)));
        return new Tensor[] {Tensor.concat(List.of(di, df, dg, dO), 1), dct.mul(f)};
    }

    // ------------------------------------------------------------------ GRU

    static Tensor gruCell(Tensor gi, Tensor gh, Tensor h) {
        int hidden = checkGru(gi, gh, h);
        Optional<GruCellKernel> fused = gi.backend().fused(GruCellKernel.class);
        return fused.isPresent() ? gruCellFused(gi, gh, h, fused.get()) : gruCellComposed(gi, gh, h, hidden);
    }

    /** Validates the operands of a GRU step; returns the hidden size. */
    static int checkGru(Tensor gi, Tensor gh, Tensor h) {
        String op = "gruCell";
        gi.checkLive(op);
        gh.checkLive(op);
        h.checkLive(op);
        Ops.sameBackend(op, gi, gh);
        Ops.sameBackend(op, gi, h);
        Ops.sameDType(op, gi, gh);
        Ops.sameDType(op, gi, h);
        Ops.requireFloat(op, gi);
        Ops.requireRank(op, "gi", gi, 2);
        Ops.requireRank(op, "gh", gh, 2);
        Ops.requireRank(op, "h", h, 2);
        int hidden = h.dim(1);
        Shape want = Shape.of(h.dim(0), 3 * hidden);
        if (!gi.shape().equals(want) || !gh.shape().equals(want)) {
            throw new ShapeException(op + ": gi " + gi.shape() + " and gh " + gh.shape()
                    + " must both be [batch, 3·hidden] = " + want + " for h " + h.shape());
        }
        return hidden;
    }

    /** The GRU step through the backend's fused kernel and its backward. */
    static Tensor gruCellFused(Tensor gi, Tensor gh, Tensor h, GruCellKernel kernel) {
        int hidden = checkGru(gi, gh, h);
        int batch = h.dim(0);
        Tensor out = Ops.alloc(h.backend(), h.dtype(), h.shape());
        Tensor work = Ops.alloc(h.backend(), h.dtype(), Shape.of(batch, 4 * hidden));
        if (h.numel() > 0) {
            kernel.gruCell(gi.storage("gruCell"), gh.storage("gruCell"), h.storage("gruCell"), batch, hidden,
                    out.storage(), work.storage());
        }
        return Ops.record(out, "gruCell", g -> {
            if (!GradMode.isEnabled()) {
                Tensor dGi = Ops.alloc(gi.backend(), gi.dtype(), gi.shape());
                Tensor dGh = Ops.alloc(gh.backend(), gh.dtype(), gh.shape());
                Tensor dH = Ops.alloc(h.backend(), h.dtype(), h.shape());
                if (h.numel() > 0) {
                    kernel.gruCellBackward(g.storage("gruCell backward"), work.storage(), h.storage(), batch, hidden,
                            dGi.storage(), dGh.storage(), dH.storage());
                }
                return new Tensor[] {dGi, dGh, dH};
            }
            // a recorded backward pass (createGraph) is composed, so it can be differentiated again
            return gruBackwardComposed(gi, gh, h, g, hidden);
        }, gi, gh, h);
    }

    /** The GRU step composed from primitives; autodiff records each of them. */
    static Tensor gruCellComposed(Tensor gi, Tensor gh, Tensor h, int hidden) {
        checkGru(gi, gh, h);
        List<Tensor> a = gi.split(1, hidden, hidden, hidden);
        List<Tensor> b = gh.split(1, hidden, hidden, hidden);
        Tensor r = a.get(0).add(b.get(0)).sigmoid();
        Tensor z = a.get(1).add(b.get(1)).sigmoid();
        Tensor n = a.get(2).add(r.mul(b.get(2))).tanh();
        return n.add(z.mul(h.sub(n)));
    }

    /** The closed-form backward of the GRU step, as tensor ops (recorded when gradients are). */
    private static Tensor[] gruBackwardComposed(Tensor gi, Tensor gh, Tensor h, Tensor dOut, int hidden) {
        List<Tensor> a = gi.split(1, hidden, hidden, hidden);
        List<Tensor> b = gh.split(1, hidden, hidden, hidden);
        Tensor r = a.get(0).add(b.get(0)).sigmoid();
        Tensor z = a.get(1).add(b.get(1)).sigmoid();
        Tensor n = a.get(2).add(r.mul(b.get(2))).tanh();
        Tensor dn = dOut.mul(z.rsub(1.0)).mul(n.mul(n).rsub(1.0));
        Tensor dr = dn.mul(b.get(2)).mul(r.mul(r.rsub(1.0)));
        Tensor dz = dOut.mul(h.sub(n)).mul(z.mul(z.rsub(1.0)));
        return new Tensor[] {Tensor.concat(List.of(dr, dz, dn), 1), Tensor.concat(List.of(dr, dz, dn.mul(r)), 1),
            dOut.mul(z)};
    }
}
