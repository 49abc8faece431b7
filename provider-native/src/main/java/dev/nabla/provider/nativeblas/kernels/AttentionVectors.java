package dev.nabla.provider.nativeblas.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 row passes of {@link NativeAttention} in the Vector API, on heap arrays (one row of the
 * scores, copied out of native memory). Like {@link VectorRows}, only {@link VectorSupport} loads this
 * class, and only when the incubator module is present; and like it, every result is the same bits
 * whether the loops run interpreted or as C2 intrinsics: exp is {@link VectorRows#expF} (whose scalar tail
 * is {@link LaneMath#exp}), the max reduction is exact in any order, and sums add the lanes of one vector
 * accumulator together left to right, never with {@code reduceLanes(ADD)}.
 */
final class AttentionVectors {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private AttentionVectors() {
    }

    /**
     * {@code x[0, limit) := softmax(scale·x + a)} ({@code a} null for none). Returns false, leaving
     * {@code x} scaled but not normalized, when no score is finite above {@code −∞} (or one is NaN).
     */
    static boolean softmaxF32(float[] x, float[] a, int limit, float scale) {
        int bound = F.loopBound(limit);
        FloatVector vmax = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, i).mul(scale);
            if (a != null) {
                v = v.add(FloatVector.fromArray(F, a, i));
            }
            v.intoArray(x, i);
            vmax = vmax.max(v);
        }
        float max = bound > 0 ? vmax.reduceLanes(VectorOperators.MAX) : Float.NEGATIVE_INFINITY;
        for (; i < limit; i++) {
            float v = x[i] * scale + (a == null ? 0f : a[i]);
            x[i] = v;
            max = Math.max(max, v);
        }
        if (max == Float.NEGATIVE_INFINITY || Float.isNaN(max)) {
            return false;
        }
        FloatVector vm = FloatVector.broadcast(F, max);
        FloatVector acc = FloatVector.zero(F);
        for (i = 0; i < bound; i += F.length()) {
            FloatVector e = VectorRows.expF(FloatVector.fromArray(F, x, i).sub(vm));
            e.intoArray(x, i);
            acc = acc.add(e);
        }
        float sum = 0;
        for (int j = 0; j < F.length(); j++) {
            sum += acc.lane(j);
        }
        for (; i < limit; i++) {
            float e = LaneMath.exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inv = 1 / sum;
        for (i = 0; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, i).mul(inv).intoArray(x, i);
        }
        for (; i < limit; i++) {
            x[i] *= inv;
        }
        return true;
    }

    /** {@code Σ a_j·b_j} over {@code [0, n)}: one vector of partial sums, its lanes added left to right. */
    static float dotF32(float[] a, float[] b, int n) {
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, a, i).fma(FloatVector.fromArray(F, b, i), acc);
        }
        float s = 0;
        for (int j = 0; j < F.length(); j++) {
            s += acc.lane(j);
        }
        for (; i < n; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
