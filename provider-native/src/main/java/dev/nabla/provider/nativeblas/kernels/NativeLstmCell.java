package dev.nabla.provider.nativeblas.kernels;

import dev.nabla.api.backend.LstmCellKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * The fused LSTM cell step of the native backend (see {@link LstmCellKernel} for the equations): one
 * pass over each row of the gates instead of the eleven kernels and ten temporaries of the composed
 * step, and one pass backward instead of about twenty.
 *
 * <p>Per row of {@code [4·hidden]} pre-activations, the forward applies the backend's sigmoid loop to
 * the i and f blocks, its tanh loop to g and its sigmoid loop to o, writing {@code act}; then
 * {@code c' = f·c + i·g} and {@code h' = o·tanh(c')} in one loop (tanh by the backend's loop, in place in
 * the row of {@code h'}). The backward recomputes {@code tanh(c')} the same way (in the row of
 * {@code ∂L/∂c}, which it then overwrites) and writes the four gate gradients and {@code ∂L/∂c} in
 * one loop. Arithmetic is in double, rounded once per stored value; rows are split across cores for
 * large batches.
 */
public final class NativeLstmCell implements LstmCellKernel {
    private final Parallel parallel;
    private final CellLoops f32;
    private final CellLoops f64;

    /**
     * The kernel.
     *
     * @param parallel where large batches are split
     * @param vector   whether to use the Vector API loops for sigmoid and tanh
     */
    public NativeLstmCell(Parallel parallel, boolean vector) {
        this.parallel = parallel;
        this.f32 = CellLoops.of(DType.FLOAT32, vector);
        this.f64 = CellLoops.of(DType.FLOAT64, vector);
    }

    private CellLoops loops(NativeStorage s, String kernel) {
        return switch (s.dtype()) {
            case FLOAT32 -> f32;
            case FLOAT64 -> f64;
            default -> throw Unsupported.of(kernel, s.dtype());
        };
    }

    @Override
    public void lstmCell(Storage gates, Storage c, int batch, int hidden, Storage hc, Storage act) {
        String name = "lstmCell";
        NativeStorage a = NativeStorage.of(gates);
        NativeStorage c0 = NativeStorage.of(c);
        CellLoops l = loops(a, name);
        NativeStorage out = NativeStorage.pin(hc);
        NativeStorage w = NativeStorage.pin(act);
        try {
            MemorySegment as = a.segment();
            MemorySegment cs = c0.segment();
            MemorySegment os = out.overwrite();
            MemorySegment ws = w.overwrite();
            long bh = (long) batch * hidden;
            parallel.forRange(batch, 16L * hidden, (r0, r1) -> {
                for (long r = r0; r < r1; r++) {
                    forwardRow(l, as, cs, os, ws, r, hidden, bh);
                }
            });
        } catch (RuntimeException e) {
            throw NativeStorage.failure(name, e, a, c0, out, w);
        } finally {
            w.unpin();
            out.unpin();
        }
        NativeStorage.verify(name, a, c0);
    }

    private static void forwardRow(CellLoops l, MemorySegment as, MemorySegment cs, MemorySegment os,
                                   MemorySegment ws, long r, int hidden, long bh) {
        long g = r * 4 * hidden;
        long h = r * hidden;
        l.sigmoid.run(as, ws, g, g + 2L * hidden);
        l.tanh.run(as, ws, g + 2L * hidden, g + 3L * hidden);
        l.sigmoid.run(as, ws, g + 3L * hidden, g + 4L * hidden);
        for (int j = 0; j < hidden; j++) {
            double i = l.get(ws, g + j);
            double f = l.get(ws, g + hidden + j);
            double gg = l.get(ws, g + 2L * hidden + j);
            double c2 = f * l.get(cs, h + j) + i * gg;
            l.set(os, bh + h + j, c2);
        }
        // tanh(c') in h's row, then h' = o · tanh(c')
        l.copy(os, bh + h, os, h, hidden);
        l.tanh.run(os, os, h, h + hidden);
        for (int j = 0; j < hidden; j++) {
            l.set(os, h + j, l.get(ws, g + 3L * hidden + j) * l.get(os, h + j));
        }
    }

    @Override
    public void lstmCellBackward(Storage gradHc, Storage act, Storage c, Storage hc, int batch, int hidden,
                                 Storage gradGates, Storage gradC) {
        String name = "lstmCellBackward";
        NativeStorage dy = NativeStorage.of(gradHc);
        NativeStorage w = NativeStorage.of(act);
        NativeStorage c0 = NativeStorage.of(c);
        NativeStorage y = NativeStorage.of(hc);
        CellLoops l = loops(dy, name);
        NativeStorage dg = NativeStorage.pin(gradGates);
        NativeStorage dc = NativeStorage.pin(gradC);
        try {
            MemorySegment dys = dy.segment();
            MemorySegment ws = w.segment();
            MemorySegment cs = c0.segment();
            MemorySegment ys = y.segment();
            MemorySegment dgs = dg.overwrite();
            MemorySegment dcs = dc.overwrite();
            long bh = (long) batch * hidden;
            parallel.forRange(batch, 16L * hidden, (r0, r1) -> {
                for (long r = r0; r < r1; r++) {
                    backwardRow(l, dys, ws, cs, ys, dgs, dcs, r, hidden, bh);
                }
            });
        } catch (RuntimeException e) {
            throw NativeStorage.failure(name, e, dy, w, c0, y, dg, dc);
        } finally {
            dc.unpin();
            dg.unpin();
        }
        NativeStorage.verify(name, dy, w, c0);
        NativeStorage.verify(name, y);
    }

    private static void backwardRow(CellLoops l, MemorySegment dys, MemorySegment ws, MemorySegment cs,
                                    MemorySegment ys, MemorySegment dgs, MemorySegment dcs, long r, int hidden,
                                    long bh) {
        long g = r * 4 * hidden;
        long h = r * hidden;
        // tanh(c') into the row of ∂L/∂c, read before each element is overwritten
        l.copy(ys, bh + h, dcs, h, hidden);
        l.tanh.run(dcs, dcs, h, h + hidden);
        for (int j = 0; j < hidden; j++) {
            double i = l.get(ws, g + j);
            double f = l.get(ws, g + hidden + j);
            double gg = l.get(ws, g + 2L * hidden + j);
            double o = l.get(ws, g + 3L * hidden + j);
            double t = l.get(dcs, h + j);
            double dh = l.get(dys, h + j);
            double dct = l.get(dys, bh + h + j) + dh * o * (1 - t * t);
            l.set(dgs, g + j, dct * gg * i * (1 - i));
            l.set(dgs, g + hidden + j, dct * l.get(cs, h + j) * f * (1 - f));
            l.set(dgs, g + 2L * hidden + j, dct * i * (1 - gg * gg));
            l.set(dgs, g + 3L * hidden + j, dh * t * o * (1 - o));
            l.set(dcs, h + j, dct * f);
        }
    }
}
