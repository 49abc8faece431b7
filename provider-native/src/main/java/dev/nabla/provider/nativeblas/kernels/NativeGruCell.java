package dev.nabla.provider.nativeblas.kernels;

import dev.nabla.api.backend.GruCellKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * The fused GRU cell step of the native backend (see {@link GruCellKernel} for the equations): one pass
 * over each row forward and one backward, instead of the composed step's dozen kernels and temporaries.
 *
 * <p>Per row, the forward writes {@code a_r + b_r} and {@code a_z + b_z} into the workspace and applies
 * the backend's sigmoid loop to them in place, then {@code a_n + r·b_n} and {@code b_n}, applying its tanh
 * loop in place, and finally {@code h' = n + z·(h − n)}. The backward needs no transcendental: it reads
 * {@code r, z, n, b_n} back and writes the three gradients in one loop. Arithmetic is in double,
 * rounded once per stored value; rows are split across cores for large batches.
 */
public final class NativeGruCell implements GruCellKernel {
    private final Parallel parallel;
    private final CellLoops f32;
    private final CellLoops f64;

    /**
     * The kernel.
     *
     * @param parallel where large batches are split
     * @param vector   whether to use the Vector API loops for sigmoid and tanh
     */
    public NativeGruCell(Parallel parallel, boolean vector) {
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
    public void gruCell(Storage gi, Storage gh, Storage h, int batch, int hidden, Storage out, Storage work) {
        String name = "gruCell";
        NativeStorage a = NativeStorage.of(gi);
        NativeStorage b = NativeStorage.of(gh);
        NativeStorage h0 = NativeStorage.of(h);
        CellLoops l = loops(a, name);
        NativeStorage o = NativeStorage.pin(out);
        NativeStorage w = NativeStorage.pin(work);
        try {
            MemorySegment as = a.segment();
            MemorySegment bs = b.segment();
            MemorySegment hs = h0.segment();
            MemorySegment os = o.overwrite();
            MemorySegment ws = w.overwrite();
            parallel.forRange(batch, 12L * hidden, (r0, r1) -> {
                for (long r = r0; r < r1; r++) {
                    forwardRow(l, as, bs, hs, os, ws, r, hidden);
                }
            });
        } catch (RuntimeException e) {
            throw NativeStorage.failure(name, e, a, b, h0, o, w);
        } finally {
            w.unpin();
            o.unpin();
        }
        NativeStorage.verify(name, a, b, h0);
    }

    private static void forwardRow(CellLoops l, MemorySegment as, MemorySegment bs, MemorySegment hs,
                                   MemorySegment os, MemorySegment ws, long r, int hidden) {
        long g = r * 3 * hidden;
        long w = r * 4 * hidden;
        long h = r * hidden;
        for (int j = 0; j < 2 * hidden; j++) {
            l.set(ws, w + j, l.get(as, g + j) + l.get(bs, g + j));
        }
        l.sigmoid.run(ws, ws, w, w + 2L * hidden);
        for (int j = 0; j < hidden; j++) {
            double bn = l.get(bs, g + 2L * hidden + j);
            l.set(ws, w + 2L * hidden + j, l.get(as, g + 2L * hidden + j) + l.get(ws, w + j) * bn);
            l.set(ws, w + 3L * hidden + j, bn);
        }
        l.tanh.run(ws, ws, w + 2L * hidden, w + 3L * hidden);
        for (int j = 0; j < hidden; j++) {
            double z = l.get(ws, w + hidden + j);
            double n = l.get(ws, w + 2L * hidden + j);
            l.set(os, h + j, n + z * (l.get(hs, h + j) - n));
        }
    }

    @Override
    public void gruCellBackward(Storage gradOut, Storage work, Storage h, int batch, int hidden, Storage gradGi,
                                Storage gradGh, Storage gradH) {
        String name = "gruCellBackward";
        NativeStorage dy = NativeStorage.of(gradOut);
        NativeStorage w = NativeStorage.of(work);
        NativeStorage h0 = NativeStorage.of(h);
        CellLoops l = loops(dy, name);
        NativeStorage da = NativeStorage.pin(gradGi);
        NativeStorage db = NativeStorage.pin(gradGh);
        NativeStorage dh = NativeStorage.pin(gradH);
        try {
            MemorySegment dys = dy.segment();
            MemorySegment ws = w.segment();
            MemorySegment hs = h0.segment();
            MemorySegment das = da.overwrite();
            MemorySegment dbs = db.overwrite();
            MemorySegment dhs = dh.overwrite();
            parallel.forRange(batch, 12L * hidden, (r0, r1) -> {
                for (long r = r0; r < r1; r++) {
                    backwardRow(l, dys, ws, hs, das, dbs, dhs, r, hidden);
                }
            });
        } catch (RuntimeException e) {
            throw NativeStorage.failure(name, e, dy, w, h0, da, db, dh);
        } finally {
            dh.unpin();
            db.unpin();
            da.unpin();
        }
        NativeStorage.verify(name, dy, w, h0);
    }

    private static void backwardRow(CellLoops l, MemorySegment dys, MemorySegment ws, MemorySegment hs,
                                    MemorySegment das, MemorySegment dbs, MemorySegment dhs, long r, int hidden) {
        long g = r * 3 * hidden;
        long w = r * 4 * hidden;
        long h = r * hidden;
        for (int j = 0; j < hidden; j++) {
            double rr = l.get(ws, w + j);
            double z = l.get(ws, w + hidden + j);
            double n = l.get(ws, w + 2L * hidden + j);
            double bn = l.get(ws, w + 3L * hidden + j);
            double d = l.get(dys, h + j);
            double dn = d * (1 - z) * (1 - n * n);
            double dr = dn * bn * rr * (1 - rr);
            double dz = d * (l.get(hs, h + j) - n) * z * (1 - z);
            l.set(das, g + j, dr);
            l.set(das, g + hidden + j, dz);
            l.set(das, g + 2L * hidden + j, dn);
            l.set(dbs, g + j, dr);
            l.set(dbs, g + hidden + j, dz);
            l.set(dbs, g + 2L * hidden + j, dn * rr);
            l.set(dhs, h + j, d * z);
        }
    }
}
