package dev.nabla.provider.nativeblas.kernels;

import dev.nabla.api.backend.LinearKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * The linear layer's {@code y = x·Wᵀ + b} of the native backend: the bias copied into every row of {@code y},
 * then one GEMM that adds {@code x·Wᵀ} to it ({@code beta = 1}) — where the composed form zeroes {@code y} (BLAS's
 * {@code beta = 0} pass), multiplies into it, and adds the bias in another pass over {@code y}, as PyTorch's
 * {@code addmm} avoids too.
 */
public final class NativeLinear implements LinearKernel {
    private final Gemm gemm;

    /**
     * The kernel.
     *
     * @param gemm the backend's matrix product
     */
    public NativeLinear(Gemm gemm) {
        this.gemm = gemm;
    }

    @Override
    public void linear(Storage x, Storage w, Storage b, int rows, int in, int out, Storage y) {
        String kernel = "linear";
        NativeStorage xs = NativeStorage.of(x);
        NativeStorage ws = NativeStorage.of(w);
        NativeStorage bs = NativeStorage.of(b);
        DType t = xs.dtype();
        if (!t.isFloatingPoint() || ws.dtype() != t || bs.dtype() != t || NativeStorage.of(y).dtype() != t) {
            throw Unsupported.of(kernel, t);
        }
        if (rows < 0 || in < 0 || out < 0 || xs.size() != (long) rows * in || ws.size() != (long) out * in
                || bs.size() != out || NativeStorage.of(y).size() != (long) rows * out) {
            throw new IllegalArgumentException("native backend: " + kernel + ": sizes x " + xs.size() + ", w "
                    + ws.size() + ", b " + bs.size() + ", y " + NativeStorage.of(y).size() + " do not fit rows "
                    + rows + ", in " + in + ", out " + out);
        }
        if ((long) rows * out == 0) {
            return;
        }
        NativeStorage ys = NativeStorage.pin(y);
        try {
            MemorySegment ym = ys.overwrite();
            MemorySegment bm = bs.segment();
            // the bias into row 0, then the filled rows copied after themselves: log2(rows) bulk copies
            long rowBytes = out * t.byteSize();
            long total = rows * rowBytes;
            MemorySegment.copy(bm, 0, ym, 0, rowBytes);
            for (long filled = rowBytes; filled < total; filled *= 2) {
                MemorySegment.copy(ym, 0, ym, filled, Math.min(filled, total - filled));
            }
            if (in > 0 && rows > 0 && out > 0) {
                MemorySegment xm = xs.segment();
                MemorySegment wm = ws.segment();
                if (t == DType.FLOAT32) {
                    gemm.sgemm(false, true, rows, out, in, xm, in, wm, in, ym, out, true);
                } else {
                    gemm.dgemm(false, true, rows, out, in, xm, in, wm, in, ym, out, true);
                }
            }
        } catch (RuntimeException e) {
            throw NativeStorage.failure(kernel, e, xs, ws, bs, ys);
        } finally {
            ys.unpin();
        }
        NativeStorage.verify(kernel, xs, ws, bs);
    }
}
