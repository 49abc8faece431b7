package dev.nabla.trainer.spark;

import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.DType;

import java.util.Collection;

/**
 * Tensors as one flat {@code float[]}, in a fixed order: what travels between the driver and the
 * executors (4 bytes an entry), never a serialized object.
 */
final class Flat {
    private Flat() {
    }

    /** The number of entries of {@code tensors}, all float32. */
    static int size(Collection<Tensor> tensors) {
        long n = 0;
        for (Tensor t : tensors) {
            if (t.dtype() != DType.FLOAT32) {
                throw new IllegalArgumentException("spark: tensors travel as float32, got " + t.describe());
            }
            n += t.numel();
        }
        return Math.toIntExact(n);
    }

    /** {@code tensors} concatenated. */
    static float[] pack(Collection<Tensor> tensors) {
        float[] v = new float[size(tensors)];
        packInto(tensors, v, 0);
        return v;
    }

    /** Copies {@code tensors} into {@code v} from {@code at}; returns the offset after them. */
    static int packInto(Collection<Tensor> tensors, float[] v, int at) {
        for (Tensor t : tensors) {
            float[] a = t.toFloatArray();
            System.arraycopy(a, 0, v, at, a.length);
            at += a.length;
        }
        return at;
    }

    /** Assigns {@code v[at ..]} to {@code tensors} in order (in place); returns the offset after them. */
    static int unpackInto(float[] v, int at, Collection<Tensor> tensors) {
        try (Scope s = Scope.open()) {
            for (Tensor t : tensors) {
                int n = Math.toIntExact(t.numel());
                float[] part = java.util.Arrays.copyOfRange(v, at, at + n);
                t.assign(t.factory().of(part, t.shape().dims()));
                at += n;
            }
        }
        return at;
    }

    /** New tensors shaped as {@code like}'s, read from {@code v[at ..]} in order (owned by the open scope). */
    static java.util.Map<String, Tensor> slices(float[] v, int at, java.util.Map<String, Tensor> like) {
        java.util.Map<String, Tensor> m = new java.util.LinkedHashMap<>();
        for (var e : like.entrySet()) {
            Tensor t = e.getValue();
            int n = Math.toIntExact(t.numel());
            m.put(e.getKey(), t.factory().of(java.util.Arrays.copyOfRange(v, at, at + n), t.shape().dims()));
            at += n;
        }
        return m;
    }
}
