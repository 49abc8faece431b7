package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 rows of the hand-written fused kernels in the Vector API: {@link NativeLayerNorm} and
 * {@link NativeReluGrad}. A layer-norm row, staged in a heap array, is read in
 * whole vectors of {@link FloatVector#SPECIES_PREFERRED}, and each sum over the row is kept in one vector of
 * float lanes (a lane adds {@code cols / lanes} terms, 8 for a row of 128 with AVX-512) whose lanes are then
 * added left to right in double, with the tail. Like {@link VectorRows} it uses no operation whose result the
 * Vector API leaves to the implementation (no {@code reduceLanes(ADD)}; {@code fma} is exactly rounded), so a
 * row gives the same bits interpreted and compiled. Only {@link VectorSupport} loads this class.
 */
final class VectorFusedRows {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private VectorFusedRows() {
    }

    /** The lanes of {@code acc} added left to right in double (through a store: cheaper than lane by lane). */
    private static double lanes(FloatVector acc) {
        float[] l = LANES.get();
        acc.intoArray(l, 0);
        double s = 0;
        for (int j = 0; j < l.length; j++) {
            s += l[j];
        }
        return s;
    }

    /** Each thread's scratch for {@link #lanes}. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[F.length()]);

    /**
     * Normalises {@code x[off, off + n)} in place ({@code y = (x − μ)·r·γ + β}, γ and β may be null) and returns
     * {@code {μ, r}} in {@code stats}.
     */
    static void forward(float[] x, int off, int n, float[] gamma, float[] beta, double eps, float[] stats) {
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) {
            acc = acc.add(FloatVector.fromArray(F, x, off + i));
        }
        double s = lanes(acc);
        for (; i < n; i++) {
            s += x[off + i];
        }
        float m = (float) (s / n);
        FloatVector vm = FloatVector.broadcast(F, m);
        acc = FloatVector.zero(F);
        for (i = 0; i < bound; i += F.length()) {
            FloatVector d = FloatVector.fromArray(F, x, off + i).sub(vm);
            acc = d.fma(d, acc);
        }
        double v = lanes(acc);
        for (; i < n; i++) {
            float d = x[off + i] - m;
            v += d * d;
        }
        float r = (float) (1 / Math.sqrt(v / n + eps));
        FloatVector vr = FloatVector.broadcast(F, r);
        for (i = 0; i < bound; i += F.length()) {
            FloatVector y = FloatVector.fromArray(F, x, off + i).sub(vm).mul(vr);
            if (gamma != null) {
                y = y.mul(FloatVector.fromArray(F, gamma, i));
            }
            if (beta != null) {
                y = y.add(FloatVector.fromArray(F, beta, i));
            }
            y.intoArray(x, off + i);
        }
        for (; i < n; i++) {
            float y = (x[off + i] - m) * r;
            if (gamma != null) {
                y *= gamma[i];
            }
            if (beta != null) {
                y += beta[i];
            }
            x[off + i] = y;
        }
        stats[0] = m;
        stats[1] = r;
    }

    /**
     * The backward of one row: {@code g[off, off + n)} (∂L/∂y in, ∂L/∂x out) given the input row
     * {@code x[off, off + n)} (overwritten with x̂), μ, r and γ (may be null); adds ∂L/∂y·x̂ into {@code sumW} and
     * ∂L/∂y into {@code sumB} (both indexed from 0) when they are not null.
     */
    static void backward(float[] g, float[] x, int off, int n, float m, float r, float[] gamma, float[] sumW,
                         float[] sumB) {
        int bound = F.loopBound(n);
        FloatVector vm = FloatVector.broadcast(F, m);
        FloatVector vr = FloatVector.broadcast(F, r);
        FloatVector accA = FloatVector.zero(F);
        FloatVector accC = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector xh = FloatVector.fromArray(F, x, off + i).sub(vm).mul(vr);
            xh.intoArray(x, off + i);
            FloatVector dy = FloatVector.fromArray(F, g, off + i);
            if (sumB != null) {
                FloatVector.fromArray(F, sumB, i).add(dy).intoArray(sumB, i);
                dy.fma(xh, FloatVector.fromArray(F, sumW, i)).intoArray(sumW, i);
            }
            FloatVector gh = gamma == null ? dy : dy.mul(FloatVector.fromArray(F, gamma, i));
            gh.intoArray(g, off + i);
            accA = accA.add(gh);
            accC = gh.fma(xh, accC);
        }
        double a = lanes(accA);
        double c = lanes(accC);
        for (; i < n; i++) {
            float xh = (x[off + i] - m) * r;
            x[off + i] = xh;
            float dy = g[off + i];
            if (sumB != null) {
                sumB[i] += dy;
                sumW[i] = Math.fma(dy, xh, sumW[i]);
            }
            float gh = gamma == null ? dy : dy * gamma[i];
            g[off + i] = gh;
            a += gh;
            c += (double) gh * xh;
        }
        FloatVector va = FloatVector.broadcast(F, (float) (a / n));
        FloatVector vc = FloatVector.broadcast(F, (float) (c / n));
        for (i = 0; i < bound; i += F.length()) {
            FloatVector gh = FloatVector.fromArray(F, g, off + i);
            FloatVector xh = FloatVector.fromArray(F, x, off + i);
            gh.sub(va).sub(xh.mul(vc)).mul(vr).intoArray(g, off + i);
        }
        float fa = (float) (a / n);
        float fc = (float) (c / n);
        for (; i < n; i++) {
            g[off + i] = (g[off + i] - fa - x[off + i] * fc) * r;
        }
    }

    /** {@code out[i] = x[i] > 0 ? g[i] : 0} for float32 elements {@code [from, from + n)} of the three segments. */
    static void reluGrad(MemorySegment x, MemorySegment g, MemorySegment out, long from, long n) {
        long bound = from + F.loopBound(n);
        long end = from + n;
        FloatVector zero = FloatVector.zero(F);
        long i = from;
        for (; i < bound; i += F.length()) {
            long at = i * Float.BYTES;
            VectorMask<Float> positive = FloatVector.fromMemorySegment(F, x, at, NATIVE)
                    .compare(VectorOperators.GT, zero);
            zero.blend(FloatVector.fromMemorySegment(F, g, at, NATIVE), positive).intoMemorySegment(out, at, NATIVE);
        }
        for (; i < end; i++) {
            out.setAtIndex(JAVA_FLOAT, i,
                    x.getAtIndex(JAVA_FLOAT, i) > 0
                            ? g.getAtIndex(JAVA_FLOAT, i) : 0f);
        }
    }

    /**
     * The leaky rectifier ({@code g} null: {@code out = x > 0 ? x : slope·x}) or its gradient
     * ({@code out = x > 0 ? g : slope·g}) over elements {@code [from, from + n)}, as a blend under the mask
     * {@code x > 0} (no branch on the sign of each element).
     */
    static void leakyRelu(MemorySegment x, MemorySegment g, float slope, MemorySegment out, long from, long n) {
        long bound = from + F.loopBound(n);
        long end = from + n;
        FloatVector zero = FloatVector.zero(F);
        MemorySegment v = g == null ? x : g;
        long i = from;
        for (; i < bound; i += F.length()) {
            long at = i * Float.BYTES;
            VectorMask<Float> positive = FloatVector.fromMemorySegment(F, x, at, NATIVE)
                    .compare(VectorOperators.GT, zero);
            FloatVector a = FloatVector.fromMemorySegment(F, v, at, NATIVE);
            a.mul(slope).blend(a, positive).intoMemorySegment(out, at, NATIVE);
        }
        for (; i < end; i++) {
            float a = v.getAtIndex(JAVA_FLOAT, i);
            out.setAtIndex(JAVA_FLOAT, i, x.getAtIndex(JAVA_FLOAT, i) > 0 ? a : slope * a);
        }
    }
}
