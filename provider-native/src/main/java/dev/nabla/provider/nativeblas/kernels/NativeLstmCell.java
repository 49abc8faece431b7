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
 * {@code c' = f·c + i·g}, and {@code h' = o·tanh(c')} (tanh by the backend's loop, into the row of
 * {@code h'}). The backward recomputes {@code c'} from the saved gates and {@code tanh(c')} the same way
 * (in the row of {@code ∂L/∂c}, which it then overwrites) and writes the four gate gradients and
 * {@code ∂L/∂c} in one loop. Arithmetic is in double, rounded once per stored value; rows are split across cores for
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
    public void lstmCell(Storage gates, Storage c, int batch, int hidden, Storage hOut, Storage cOut, Storage act) {
        String name = "lstmCell";
        NativeStorage a = NativeStorage.of(gates);
        NativeStorage c0 = NativeStorage.of(c);
        CellLoops l = loops(a, name);
        NativeStorage ho = NativeStorage.pin(hOut);
        NativeStorage co = NativeStorage.pin(cOut);
        NativeStorage w = NativeStorage.pin(act);
        try {
            MemorySegment as = a.segment();
            MemorySegment cs = c0.segment();
            MemorySegment hos = ho.overwrite();
            MemorySegment cos = co.overwrite();
            MemorySegment ws = w.overwrite();
            parallel.forRange(batch, 16L * hidden, (r0, r1) -> {
                for (long r = r0; r < r1; r++) {
                    forwardRow(l, as, cs, hos, cos, ws, r, hidden);
                }
            });
        } catch (RuntimeException e) {
            throw NativeStorage.failure(name, e, a, c0, ho, co, w);
        } finally {
            w.unpin();
            co.unpin();
            ho.unpin();
        }
        NativeStorage.verify(name, a, c0);
    }

    private static void forwardRow(CellLoops l, MemorySegment as, MemorySegment cs, MemorySegment hos,
                                   MemorySegment cos, MemorySegment ws, long r, int hidden) {
        long g = r * 4 * hidden;
        long h = r * hidden;
        l.sigmoid.run(as, ws, g, g + 2L * hidden);
        l.tanh.run(as, ws, g + 2L * hidden, g + 3L * hidden);
        l.sigmoid.run(as, ws, g + 3L * hidden, g + 4L * hidden);
        for (int j = 0; j < hidden; j++) {
            double i = l.get(ws, g + j);
            double f = l.get(ws, g + hidden + j);
            double gg = l.get(ws, g + 2L * hidden + j);
            l.set(cos, h + j, f * l.get(cs, h + j) + i * gg);
        }
        // tanh(c') in h's row, then h' = o · tanh(c')
        l.tanh.run(cos, hos, h, h + hidden);
        for (int j = 0; j < hidden; j++) {
            l.set(hos, h + j, l.get(ws, g + 3L * hidden + j) * l.get(hos, h + j));
        }
    }

    @Override
    public void lstmCellBackward(Storage gradH, Storage gradCOut, Storage act, Storage c, int batch, int hidden,
                                 Storage gradGates, Storage gradC) {
        String name = "lstmCellBackward";
        NativeStorage dh = NativeStorage.of(gradH);
        NativeStorage dco = NativeStorage.of(gradCOut);
        NativeStorage w = NativeStorage.of(act);
        NativeStorage c0 = NativeStorage.of(c);
        CellLoops l = loops(dh, name);
        NativeStorage dg = NativeStorage.pin(gradGates);
        NativeStorage dc = NativeStorage.pin(gradC);
        try {
            MemorySegment dhs = dh.segment();
            MemorySegment dcos = dco.segment();
            MemorySegment ws = w.segment();
            MemorySegment cs = c0.segment();
            MemorySegment dgs = dg.overwrite();
            MemorySegment dcs = dc.overwrite();
            parallel.forRange(batch, 16L * hidden, (r0, r1) -> {
                for (long r = r0; r < r1; r++) {
                    backwardRow(l, dhs, dcos, ws, cs, dgs, dcs, r, hidden);
                }
            });
        } catch (RuntimeException e) {
            throw NativeStorage.failure(name, e, dh, dco, w, c0, dg, dc);
        } finally {
            dc.unpin();
            dg.unpin();
        }
        NativeStorage.verify(name, dh, dco, w);
        NativeStorage.verify(name, c0);
    }

    private static void backwardRow(CellLoops l, MemorySegment dhs, MemorySegment dcos, MemorySegment ws,
                                    MemorySegment cs, MemorySegment dgs, MemorySegment dcs, long r, int hidden) {
        long g = r * 4 * hidden;
        long h = r * hidden;
        // c' = f·c + i·g, then tanh(c') by the backend's loop, into the row of ∂L/∂c (overwritten below)
        for (int j = 0; j < hidden; j++) {
            double c2 = l.get(ws, g + hidden + j) * l.get(cs, h + j) + l.get(ws, g + j) * l.get(ws, g + 2L * hidden + j);
            l.set(dcs, h + j, c2);
        }
        l.tanh.run(dcs, dcs, h, h + hidden);
        for (int j = 0; j < hidden; j++) {
            double i = l.get(ws, g + j);
            double f = l.get(ws, g + hidden + j);
            double gg = l.get(ws, g + 2L * hidden + j);
            double o = l.get(ws, g + 3L * hidden + j);
            double t = l.get(dcs, h + j);
            double dh = l.get(dhs, h + j);
            double dct = l.get(dcos, h + j) + dh * o * (1 - t * t);
            l.set(dgs, g + j, dct * gg * i * (1 - i));
            l.set(dgs, g + hidden + j, dct * l.get(cs, h + j) * f * (1 - f));
            l.set(dgs, g + 2L * hidden + j, dct * i * (1 - gg * gg));
            l.set(dgs, g + 3L * hidden + j, dh * t * o * (1 - o));
            l.set(dcs, h + j, dct * f);
        }
    }
}
