package dev.nabla.provider.reference;

import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.Shape;
import java.util.Random;

/** Shared fixtures for the kernel tests: a reference backend and terse storage builders and readers. */
abstract class KernelTestSupport {
    final ReferenceBackend backend = new ReferenceBackend();
    final Kernels k = backend.kernels();

    Storage f64(double... v) {
        return k.fromArray(v);
    }

    Storage f32(float... v) {
        return k.fromArray(v);
    }

    Storage i32(int... v) {
        return k.fromArray(v);
    }

    Storage i64(long... v) {
        return k.fromArray(v);
    }

    Storage bool(boolean... v) {
        return k.fromArray(v);
    }

    double[] d(Storage s) {
        return (double[]) k.toArray(s);
    }

    float[] f(Storage s) {
        return (float[]) k.toArray(s);
    }

    int[] i(Storage s) {
        return (int[]) k.toArray(s);
    }

    long[] l(Storage s) {
        return (long[]) k.toArray(s);
    }

    boolean[] b(Storage s) {
        return (boolean[]) k.toArray(s);
    }

    static double[] iota(int n) {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = j;
        }
        return v;
    }

    static double[] random(Random r, int n) {
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = r.nextGaussian();
        }
        return v;
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            f[j] = (float) v[j];
        }
        return f;
    }

    static Shape s(int... dims) {
        return Shape.of(dims);
    }
}
