package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.nabla.api.backend.Conv2dKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.DeviceMemory;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * The native backend's {@link Conv2dKernel}: im2col and col2im as tight loops over the contiguous rows of
 * NCHW tensors, and one GEMM per chunk of images (all of a small batch at once) through OpenBLAS.
 *
 * <p>With {@code K = C·KH·KW} and {@code L = HO·WO}, a chunk of {@code m} images has columns
 * {@code cols [K, m·L]} (row {@code (c, u, v)}, column {@code (image, i, j)}: the input pixel under kernel tap
 * {@code (u, v)} of output pixel {@code (i, j)}, zero in the padding), and the output gradient is packed as
 * {@code [O, m·L]} (a copy of runs of {@code L}). Then
 * <ul>
 *   <li>forward: {@code [O, m·L] = w [O, K] · cols + b} (the bias rows put in first, GEMM with {@code beta = 1}),
 *       unpacked into {@code y [m, O, L]};</li>
 *   <li>input gradient: {@code dcols [K, m·L] = wᵀ · gy}, scattered (col2im, adding) into {@code gx} filled with the
 *       bias or zeros;</li>
 *   <li>weight gradient: {@code gw [O, K] += gy · colsᵀ}, chunk after chunk.</li>
 * </ul>
 * A chunk holds at most {@value #CHUNK_ELEMENTS} elements of columns (or of packed gradient), so the scratch
 * blocks, taken from the backend's pool and given back at the end of the call, stay bounded for large images.
 * im2col is split across cores by rows of columns; col2im by channels in float32 (each channel's planes of the
 * chunk), by (image, channel) planes in float64. Float32 columns are gathered (and scattered) row by row through
 * on-heap staging copies of the images, float64 ones in place. When the kernel covers the unpadded input (one
 * output pixel) the three kernels are a linear layer's products, with no columns at all.
 */
public final class NativeConv2d implements Conv2dKernel {
    /** The most elements of columns (or of a packed output) one chunk of images holds: 8 MiB of float32. */
    static final long CHUNK_ELEMENTS = 1L << 21;

    private final DeviceMemory memory;
    private final Gemm gemm;
    private final Parallel parallel;

    /**
     * The kernel.
     *
     * @param memory   where its scratch columns come from
     * @param gemm     the backend's matrix product
     * @param parallel the backend's splitter
     */
    public NativeConv2d(DeviceMemory memory, Gemm gemm, Parallel parallel) {
        this.memory = memory;
        this.gemm = gemm;
        this.parallel = parallel;
    }

    // ------------------------------------------------------------------ the three kernels

    @Override
    public void conv2d(Storage x, Storage w, Storage b, Geometry g, Storage y) {
        String kernel = "conv2d";
        NativeStorage xs = NativeStorage.of(x);
        NativeStorage ws = NativeStorage.of(w);
        NativeStorage bs = b == null ? null : NativeStorage.of(b);
        DType t = check(kernel, xs, ws, bs, NativeStorage.of(y));
        checkSizes(kernel, g, xs, g.inputSize(), ws, g.weightSize(), bs, g.outChannels(), NativeStorage.of(y),
                g.outputSize());
        if (g.outputSize() == 0) {
            return;
        }
        NativeStorage ys = NativeStorage.pin(y);
        NativeStorage cols = null;
        NativeStorage packed = null;
        try {
            MemorySegment xm = xs.segment();
            MemorySegment wm = ws.segment();
            MemorySegment bm = bs == null ? null : bs.segment();
            MemorySegment ym = ys.overwrite();
            int k = columnRows(g);
            int l = g.outHeight() * g.outWidth();
            int o = g.outChannels();
            if (k == 0) {
                // no input channels: the output is the bias (or zeros)
                fillPlanes(ym, t, 0, g.batch(), o, l, bm);
                return;
            }
            if (dense(g)) {
                // y [N, O] = x [N, K] · wᵀ + b: a linear layer
                if (bm != null) {
                    fillPlanes(ym, t, 0, g.batch(), o, 1, bm);
                }
                product(t, false, true, g.batch(), o, k, xm, k, wm, k, ym, o, bm != null);
                return;
            }
            int nb = chunk(g, Math.max(k, o), l);
            cols = memory.allocate(t, (long) k * nb * l);
            packed = memory.allocate(t, (long) o * nb * l);
            MemorySegment cm = cols.overwrite();
            MemorySegment pm = packed.overwrite();
            for (int n0 = 0; n0 < g.batch(); n0 += nb) {
                int m = Math.min(nb, g.batch() - n0);
                int width = m * l;
                im2col(xm, t, g, n0, m, cm);
                if (bm != null) {
                    fillPlanes(pm, t, 0, 1, o, width, bm);
                }
                product(t, false, false, o, width, k, wm, k, cm, width, pm, width, bm != null);
                unpack(pm, t, o, m, l, ym, n0);
            }
        } catch (RuntimeException e) {
            throw NativeStorage.failure(kernel, e, xs, ws, bs, ys);
        } finally {
            release(cols, packed);
            ys.unpin();
        }
        KernelOperands.verifyRead(kernel, xs, ws, bs);
    }

    @Override
    public void conv2dInputGrad(Storage gy, Storage w, Storage b, Geometry g, Storage gx) {
        String kernel = "conv2d input gradient";
        NativeStorage gs = NativeStorage.of(gy);
        NativeStorage ws = NativeStorage.of(w);
        NativeStorage bs = b == null ? null : NativeStorage.of(b);
        DType t = check(kernel, gs, ws, bs, NativeStorage.of(gx));
        checkSizes(kernel, g, gs, g.outputSize(), ws, g.weightSize(), bs, g.inChannels(), NativeStorage.of(gx),
                g.inputSize());
        if (g.inputSize() == 0) {
            return;
        }
        NativeStorage xs = NativeStorage.pin(gx);
        NativeStorage cols = null;
        NativeStorage packed = null;
        try {
            MemorySegment gm = gs.segment();
            MemorySegment wm = ws.segment();
            MemorySegment bm = bs == null ? null : bs.segment();
            MemorySegment xm = xs.overwrite();
            int hw = g.height() * g.width();
            fillPlanes(xm, t, 0, g.batch(), g.inChannels(), hw, bm);
            int k = columnRows(g);
            int l = g.outHeight() * g.outWidth();
            int o = g.outChannels();
            if (o == 0) {
                return;
            }
            if (dense(g)) {
                // gx [N, K] += gy [N, O] · w [O, K]
                product(t, false, false, g.batch(), k, o, gm, o, wm, k, xm, k, true);
                return;
            }
            int nb = chunk(g, Math.max(k, o), l);
            cols = memory.allocate(t, (long) k * nb * l);
            packed = memory.allocate(t, (long) o * nb * l);
            MemorySegment cm = cols.overwrite();
            MemorySegment pm = packed.overwrite();
            for (int n0 = 0; n0 < g.batch(); n0 += nb) {
                int m = Math.min(nb, g.batch() - n0);
                int width = m * l;
                pack(gm, t, o, m, l, n0, pm);
                product(t, true, false, k, width, o, wm, k, pm, width, cm, width, false);
                col2im(cm, t, g, n0, m, xm);
            }
        } catch (RuntimeException e) {
            throw NativeStorage.failure(kernel, e, gs, ws, bs, xs);
        } finally {
            release(cols, packed);
            xs.unpin();
        }
        KernelOperands.verifyRead(kernel, gs, ws, bs);
    }

    @Override
    public void conv2dWeightGrad(Storage gy, Storage x, Geometry g, Storage gw) {
        String kernel = "conv2d weight gradient";
        NativeStorage gs = NativeStorage.of(gy);
        NativeStorage xs = NativeStorage.of(x);
        DType t = check(kernel, gs, xs, null, NativeStorage.of(gw));
        checkSizes(kernel, g, gs, g.outputSize(), xs, g.inputSize(), null, 0, NativeStorage.of(gw), g.weightSize());
        if (g.weightSize() == 0) {
            return;
        }
        NativeStorage ws = NativeStorage.pin(gw);
        NativeStorage cols = null;
        NativeStorage packed = null;
        try {
            MemorySegment gm = gs.segment();
            MemorySegment xm = xs.segment();
            MemorySegment wm = ws.overwrite();
            if (g.batch() == 0) {
                wm.fill((byte) 0);
                return;
            }
            int k = columnRows(g);
            int l = g.outHeight() * g.outWidth();
            int o = g.outChannels();
            if (dense(g)) {
                // gw [O, K] = gyᵀ [O, N] · x [N, K]
                product(t, true, false, o, k, g.batch(), gm, o, xm, k, wm, k, false);
                return;
            }
            int nb = chunk(g, Math.max(k, o), l);
            cols = memory.allocate(t, (long) k * nb * l);
            packed = memory.allocate(t, (long) o * nb * l);
            MemorySegment cm = cols.overwrite();
            MemorySegment pm = packed.overwrite();
            for (int n0 = 0; n0 < g.batch(); n0 += nb) {
                int m = Math.min(nb, g.batch() - n0);
                int width = m * l;
                im2col(xm, t, g, n0, m, cm);
                pack(gm, t, o, m, l, n0, pm);
                product(t, false, true, o, k, width, pm, width, cm, width, wm, k, n0 > 0);
            }
        } catch (RuntimeException e) {
            throw NativeStorage.failure(kernel, e, gs, xs, ws);
        } finally {
            release(cols, packed);
            ws.unpin();
        }
        NativeStorage.verify(kernel, gs, xs);
    }

    // ------------------------------------------------------------------ checks and scratch

    private static DType check(String kernel, NativeStorage a, NativeStorage b, NativeStorage c, NativeStorage out) {
        DType t = a.dtype();
        if ((t != DType.FLOAT32 && t != DType.FLOAT64) || b.dtype() != t || (c != null && c.dtype() != t)
                || out.dtype() != t) {
            throw Unsupported.of(kernel, t);
        }
        return t;
    }

    private static void checkSizes(String kernel, Geometry g, NativeStorage a, long aSize, NativeStorage b, long bSize,
                                   NativeStorage bias, long biasSize, NativeStorage out, long outSize) {
        if (a.size() != aSize || b.size() != bSize || (bias != null && bias.size() != biasSize)
                || out.size() != outSize) {
            throw new IllegalArgumentException("native backend: " + kernel + ": storages of " + a.size() + ", "
                    + b.size() + (bias == null ? "" : ", bias " + bias.size()) + " and output " + out.size()
                    + " elements do not fit " + g);
        }
    }

    private static void release(NativeStorage a, NativeStorage b) {
        if (a != null) {
            a.release();
        }
        if (b != null) {
            b.release();
        }
    }

    /**
     * Whether the kernel covers the unpadded input exactly, with one output pixel ({@code HO = WO = 1}, no padding,
     * {@code KH = H}, {@code KW = W}): then the columns of image {@code n} are its {@code C·H·W} values as they are,
     * and the three kernels are the products of a linear layer, with no im2col or col2im (where, one element a
     * plane, they would cost more than the products).
     */
    private static boolean dense(Geometry g) {
        return g.outHeight() == 1 && g.outWidth() == 1 && g.padH() == 0 && g.padW() == 0
                && g.kernelHeight() == g.height() && g.kernelWidth() == g.width();
    }

    /** {@code C·KH·KW}: rows of the columns. */
    private static int columnRows(Geometry g) {
        return Math.toIntExact((long) g.inChannels() * g.kernelHeight() * g.kernelWidth());
    }

    /** Images per chunk: as many as keep {@code rows · m · l} within {@link #CHUNK_ELEMENTS}, at least one. */
    private static int chunk(Geometry g, int rows, int l) {
        long perImage = Math.max(1, (long) rows * l);
        return (int) Math.max(1, Math.min(g.batch(), CHUNK_ELEMENTS / perImage));
    }

    private void product(DType t, boolean ta, boolean tb, int m, int n, int k, MemorySegment a, int lda,
                         MemorySegment b, int ldb, MemorySegment c, int ldc, boolean accumulate) {
        if (t == DType.FLOAT32) {
            gemm.sgemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        } else {
            gemm.dgemm(ta, tb, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
        }
    }

    // ------------------------------------------------------------------ layout moves

    /**
     * Fills {@code planes} planes of {@code size} elements for each of {@code count} images from image {@code n0}:
     * plane {@code p} with {@code bias[p]}, or all with zeros when {@code bias} is null.
     */
    private static void fillPlanes(MemorySegment dst, DType t, int n0, int count, int planes, int size,
                                   MemorySegment bias) {
        long es = t.byteSize();
        long from = (long) n0 * planes * size;
        long n = (long) count * planes * size;
        if (bias == null) {
            dst.asSlice(from * es, n * es).fill((byte) 0);
            return;
        }
        for (long p = 0; p < (long) count * planes; p++) {
            long base = from + p * size;
            int c = (int) (p % planes);
            if (t == DType.FLOAT32) {
                float v = bias.getAtIndex(JAVA_FLOAT, c);
                for (int i = 0; i < size; i++) {
                    dst.setAtIndex(JAVA_FLOAT, base + i, v);
                }
            } else {
                double v = bias.getAtIndex(JAVA_DOUBLE, c);
                for (int i = 0; i < size; i++) {
                    dst.setAtIndex(JAVA_DOUBLE, base + i, v);
                }
            }
        }
    }

    /** {@code src [N, O, L]} images {@code n0 .. n0+m} packed as {@code dst [O, m·L]}. */
    private static void pack(MemorySegment src, DType t, int o, int m, int l, int n0, MemorySegment dst) {
        long es = t.byteSize();
        long run = l * es;
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < o; c++) {
                MemorySegment.copy(src, (((long) (n0 + i) * o + c) * l) * es, dst, ((long) c * m + i) * run, run);
            }
        }
    }

    /** The inverse of {@link #pack}: {@code src [O, m·L]} into images {@code n0 .. n0+m} of {@code dst [N, O, L]}. */
    private static void unpack(MemorySegment src, DType t, int o, int m, int l, MemorySegment dst, int n0) {
        long es = t.byteSize();
        long run = l * es;
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < o; c++) {
                MemorySegment.copy(src, ((long) c * m + i) * run, dst, (((long) (n0 + i) * o + c) * l) * es, run);
            }
        }
    }

    /** The first output index {@code q} whose input index {@code q·stride + off} is {@code >= 0}. */
    private static int firstInside(int off, int stride) {
        return off >= 0 ? 0 : (-off + stride - 1) / stride;
    }

    /** One past the last output index {@code q < out} whose input index {@code q·stride + off} is {@code < in}. */
    private static int endInside(int off, int stride, int in, int out) {
        if (in - 1 - off < 0) {
            return 0;
        }
        return (int) Math.min(out, (long) (in - 1 - off) / stride + 1);
    }

    /**
     * This thread's float32 staging arrays (slot 0: a chunk of the input or of its gradient, slot 1: one row of
     * columns), kept between calls: a training step allocates none. They grow to the largest chunk the thread has
     * run; the row stays in the first-level cache while it is built or scattered.
     */
    private static final ThreadLocal<float[][]> STAGING = ThreadLocal.withInitial(() -> new float[2][0]);

    private static float[] staging(int slot, long n) {
        float[][] s = STAGING.get();
        if (s[slot].length < n) {
            s[slot] = new float[Math.toIntExact(n)];
        }
        return s[slot];
    }

    /** Columns {@code cols [K, m·L]} of images {@code n0 .. n0+m} of {@code x}. */
    private void im2col(MemorySegment x, DType t, Geometry g, int n0, int m, MemorySegment cols) {
        if (t == DType.FLOAT32) {
            im2colF32(x, g, n0, m, cols);
            return;
        }
        int k = columnRows(g);
        int l = g.outHeight() * g.outWidth();
        long width = (long) m * l;
        parallel.forRange(k, width, (r0, r1) -> {
            for (int r = (int) r0; r < r1; r++) {
                int v = r % g.kernelWidth();
                int u = (r / g.kernelWidth()) % g.kernelHeight();
                int c = r / (g.kernelWidth() * g.kernelHeight());
                for (int i = 0; i < m; i++) {
                    long src = ((long) (n0 + i) * g.inChannels() + c) * g.height() * g.width();
                    long dst = r * width + (long) i * l;
                    im2colPlane(x, t, g, src, u, v, cols, dst);
                }
            }
        });
    }

    /** One float64 plane of one image under kernel tap {@code (u, v)}: {@code HO·WO} elements from {@code dst}. */
    private static void im2colPlane(MemorySegment x, DType t, Geometry g, long src, int u, int v, MemorySegment cols,
                                    long dst) {
        int ho = g.outHeight();
        int wo = g.outWidth();
        int sw = g.strideW();
        int offH = u * g.dilationH() - g.padH();
        int offW = v * g.dilationW() - g.padW();
        int i0 = firstInside(offH, g.strideH());
        int i1 = Math.max(i0, endInside(offH, g.strideH(), g.height(), ho));
        int j0 = firstInside(offW, sw);
        int j1 = Math.max(j0, endInside(offW, sw, g.width(), wo));
        zero(cols, t, dst, (long) i0 * wo);
        for (int i = i0; i < i1; i++) {
            long row = src + (long) (i * g.strideH() + offH) * g.width() + offW;
            long d = dst + (long) i * wo;
            zero(cols, t, d, j0);
            for (int j = j0; j < j1; j++) {
                cols.setAtIndex(JAVA_DOUBLE, d + j, x.getAtIndex(JAVA_DOUBLE, row + (long) j * sw));
            }
            zero(cols, t, d + j1, wo - j1);
        }
        zero(cols, t, dst + (long) i1 * wo, (long) (ho - i1) * wo);
    }

    /** Zeroes {@code n} float64 elements from {@code from}. */
    private static void zero(MemorySegment s, DType t, long from, long n) {
        if (n <= 0) {
            return;
        }
        if (n < 16) {
            for (long i = 0; i < n; i++) {
                s.setAtIndex(JAVA_DOUBLE, from + i, 0.0);
            }
            return;
        }
        s.asSlice(from * t.byteSize(), n * t.byteSize()).fill((byte) 0);
    }

    /**
     * For each kernel tap {@code (u, v)}, the offsets in a zero-padded plane ({@code (H + 2·ph) × (W + 2·pw)}) of
     * the pixels under it, one per output pixel: {@code L} entries from {@code (u·KW + v)·L}. Every window lies in
     * the padded plane, so the offsets are all valid.
     */
    private static int[] tapOffsets(Geometry g) {
        int ho = g.outHeight();
        int wo = g.outWidth();
        int l = ho * wo;
        int wp = g.width() + 2 * g.padW();
        int[] map = new int[g.kernelHeight() * g.kernelWidth() * l];
        int at = 0;
        for (int u = 0; u < g.kernelHeight(); u++) {
            for (int v = 0; v < g.kernelWidth(); v++) {
                for (int i = 0; i < ho; i++) {
                    int row = (i * g.strideH() + u * g.dilationH()) * wp;
                    for (int j = 0; j < wo; j++) {
                        map[at++] = row + j * g.strideW() + v * g.dilationW();
                    }
                }
            }
        }
        return map;
    }

    /**
     * Copies {@code planes} planes of {@code H × W} from {@code src} (element {@code from}) into {@code dst} padded
     * to {@code (H + 2·ph) × (W + 2·pw)} with a zero border.
     */
    private static void padIn(MemorySegment src, long from, Geometry g, int planes, float[] dst) {
        int h = g.height();
        int w = g.width();
        int ph = g.padH();
        int pw = g.padW();
        if (ph == 0 && pw == 0) {
            MemorySegment.copy(src, JAVA_FLOAT, from * Float.BYTES, dst, 0, planes * h * w);
            return;
        }
        int wp = w + 2 * pw;
        int planeP = (h + 2 * ph) * wp;
        for (int p = 0; p < planes; p++) {
            int base = p * planeP;
            java.util.Arrays.fill(dst, base, base + ph * wp, 0f);
            for (int r = 0; r < h; r++) {
                int at = base + (r + ph) * wp;
                for (int j = 0; j < pw; j++) {
                    dst[at + j] = 0f;
                    dst[at + pw + w + j] = 0f;
                }
                MemorySegment.copy(src, JAVA_FLOAT, (from + (long) (p * h + r) * w) * Float.BYTES, dst, at + pw, w);
            }
            java.util.Arrays.fill(dst, base + (h + ph) * wp, base + planeP, 0f);
        }
    }

    /** The inverse of {@link #padIn}: the interiors of {@code planes} padded planes of {@code src} into {@code dst}. */
    private static void padOut(float[] src, Geometry g, int planes, MemorySegment dst, long from) {
        int h = g.height();
        int w = g.width();
        int ph = g.padH();
        int pw = g.padW();
        if (ph == 0 && pw == 0) {
            MemorySegment.copy(src, 0, dst, JAVA_FLOAT, from * Float.BYTES, planes * h * w);
            return;
        }
        int wp = w + 2 * pw;
        int planeP = (h + 2 * ph) * wp;
        for (int p = 0; p < planes; p++) {
            for (int r = 0; r < h; r++) {
                MemorySegment.copy(src, p * planeP + (r + ph) * wp + pw, dst, JAVA_FLOAT,
                        (from + (long) (p * h + r) * w) * Float.BYTES, w);
            }
        }
    }

    /**
     * {@link #im2col} of float32 by plain array loops, which the JIT compiles to far tighter code than element
     * accesses of native segments (a DCGAN step's im2col and col2im took about 5 ns an element that way): the
     * images copied once to this thread's heap staging array with a zero border of the padding, then each row of
     * columns gathered through the offsets of its tap ({@link #tapOffsets}: one branch-free loop of {@code L} per
     * image, where a loop per output row is a handful of elements for small images) into a staging row and copied
     * out in one piece.
     */
    private void im2colF32(MemorySegment x, Geometry g, int n0, int m, MemorySegment cols) {
        int k = columnRows(g);
        int l = g.outHeight() * g.outWidth();
        int width = m * l;
        int taps = g.kernelHeight() * g.kernelWidth();
        int planeP = (g.height() + 2 * g.padH()) * (g.width() + 2 * g.padW());
        int imageP = Math.toIntExact((long) g.inChannels() * planeP);
        float[] xa = staging(0, (long) m * imageP);
        padIn(x, (long) n0 * g.inChannels() * g.height() * g.width(), g, m * g.inChannels(), xa);
        int[] map = tapOffsets(g);
        parallel.forRange(k, width, (r0, r1) -> {
            float[] row = staging(1, width);
            for (int r = (int) r0; r < r1; r++) {
                int tap = (r % taps) * l;
                int c = r / taps;
                for (int i = 0; i < m; i++) {
                    int base = i * imageP + c * planeP;
                    int d = i * l;
                    for (int q = 0; q < l; q++) {
                        row[d + q] = xa[base + map[tap + q]];
                    }
                }
                MemorySegment.copy(row, 0, cols, JAVA_FLOAT, (long) r * width * Float.BYTES, width);
            }
        });
    }

    /**
     * {@link #col2im} of float32 by plain array loops, as {@link #im2colF32}: the gradient's images staged on the
     * heap with a padding border (added into, never read back), each row of columns copied in once and added
     * through the offsets of its tap, channel by channel.
     */
    private void col2imF32(MemorySegment dcols, Geometry g, int n0, int m, MemorySegment gx) {
        int c = g.inChannels();
        int l = g.outHeight() * g.outWidth();
        int width = m * l;
        int taps = g.kernelHeight() * g.kernelWidth();
        int planeP = (g.height() + 2 * g.padH()) * (g.width() + 2 * g.padW());
        int imageP = Math.toIntExact((long) c * planeP);
        float[] ga = staging(0, (long) m * imageP);
        long from = (long) n0 * c * g.height() * g.width();
        padIn(gx, from, g, m * c, ga);
        int[] map = tapOffsets(g);
        parallel.forRange(c, (long) taps * width, (c0, c1) -> {
            float[] row = staging(1, width);
            for (int ch = (int) c0; ch < c1; ch++) {
                for (int t = 0; t < taps; t++) {
                    long r = (long) ch * taps + t;
                    MemorySegment.copy(dcols, JAVA_FLOAT, r * width * Float.BYTES, row, 0, width);
                    int tap = t * l;
                    for (int i = 0; i < m; i++) {
                        int base = i * imageP + ch * planeP;
                        int d = i * l;
                        for (int q = 0; q < l; q++) {
                            ga[base + map[tap + q]] += row[d + q];
                        }
                    }
                }
            }
        });
        padOut(ga, g, m * c, gx, from);
    }

    /** Adds {@code dcols [K, m·L]} into images {@code n0 .. n0+m} of {@code gx}, plane by plane (col2im). */
    private void col2im(MemorySegment dcols, DType t, Geometry g, int n0, int m, MemorySegment gx) {
        if (t == DType.FLOAT32) {
            col2imF32(dcols, g, n0, m, gx);
            return;
        }
        int c = g.inChannels();
        int l = g.outHeight() * g.outWidth();
        long width = (long) m * l;
        int taps = g.kernelHeight() * g.kernelWidth();
        parallel.forRange((long) m * c, (long) taps * l, (p0, p1) -> {
            for (long p = p0; p < p1; p++) {
                int i = (int) (p / c);
                int ch = (int) (p % c);
                long plane = ((long) (n0 + i) * c + ch) * g.height() * g.width();
                for (int u = 0; u < g.kernelHeight(); u++) {
                    for (int v = 0; v < g.kernelWidth(); v++) {
                        long r = ((long) ch * g.kernelHeight() + u) * g.kernelWidth() + v;
                        col2imPlane(dcols, t, g, r * width + (long) i * l, u, v, gx, plane);
                    }
                }
            }
        });
    }

    /** Adds the {@code HO·WO} float64 columns from {@code src} of kernel tap {@code (u, v)} into one plane of {@code gx}. */
    private static void col2imPlane(MemorySegment dcols, DType t, Geometry g, long src, int u, int v,
                                    MemorySegment gx, long plane) {
        int wo = g.outWidth();
        int sw = g.strideW();
        int offH = u * g.dilationH() - g.padH();
        int offW = v * g.dilationW() - g.padW();
        int i0 = firstInside(offH, g.strideH());
        int i1 = endInside(offH, g.strideH(), g.height(), g.outHeight());
        int j0 = firstInside(offW, sw);
        int j1 = endInside(offW, sw, g.width(), wo);
        for (int i = i0; i < i1; i++) {
            long row = plane + (long) (i * g.strideH() + offH) * g.width() + offW;
            long s = src + (long) i * wo;
            for (int j = j0; j < j1; j++) {
                long at = row + (long) j * sw;
                gx.setAtIndex(JAVA_DOUBLE, at, gx.getAtIndex(JAVA_DOUBLE, at) + dcols.getAtIndex(JAVA_DOUBLE, s + j));
            }
        }
    }
}
