package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * What the fused kernels over floating operands (layer and batch normalisation, log-softmax, convolution) do
 * alike with their operands: take a storage as a floating one, read and write one element or a run of elements
 * as doubles whatever the dtype (float32 through a staging array), and check after the kernel ran that no
 * operand it read was released meanwhile.
 */
final class KernelOperands {
    private KernelOperands() {
    }

    /** {@code s} as a native storage of a floating dtype; else the kernel's unsupported-dtype error. */
    static NativeStorage floating(Storage s, String kernel) {
        NativeStorage n = NativeStorage.of(s);
        if (!n.dtype().isFloatingPoint()) {
            throw Unsupported.of(kernel, n.dtype());
        }
        return n;
    }

    /** Element {@code i} of a float32 or float64 segment, as a double. */
    static double load(MemorySegment s, DType t, long i) {
        return t == DType.FLOAT32 ? s.getAtIndex(JAVA_FLOAT, i) : s.getAtIndex(JAVA_DOUBLE, i);
    }

    /** Writes {@code v} to element {@code i} of a float32 (rounded once) or float64 segment. */
    static void store(MemorySegment s, DType t, long i, double v) {
        if (t == DType.FLOAT32) {
            s.setAtIndex(JAVA_FLOAT, i, (float) v);
        } else {
            s.setAtIndex(JAVA_DOUBLE, i, v);
        }
    }

    /**
     * Checks, after {@code kernel} ran, that none of the storages it read was released meanwhile; nulls (absent
     * optional operands such as a bias) are skipped.
     */
    static void verifyRead(String kernel, NativeStorage a, NativeStorage b, NativeStorage c) {
        for (NativeStorage s : new NativeStorage[] {a, b, c}) {
            if (s != null) {
                NativeStorage.verify(kernel, s);
            }
        }
    }

    /** Elements {@code [base, base + n)} of a float32 or float64 segment into {@code out}, as doubles. */
    static void read(MemorySegment s, DType t, long base, double[] out, float[] staging, int n) {
        if (t == DType.FLOAT32) {
            MemorySegment.copy(s, JAVA_FLOAT, base * Float.BYTES, staging, 0, n);
            for (int j = 0; j < n; j++) {
                out[j] = staging[j];
            }
        } else {
            MemorySegment.copy(s, JAVA_DOUBLE, base * Double.BYTES, out, 0, n);
        }
    }

    /** {@code v[0, n)} into elements {@code [base, base + n)} of a float32 (rounded once) or float64 segment. */
    static void write(double[] v, float[] staging, MemorySegment s, DType t, long base, int n) {
        if (t == DType.FLOAT32) {
            for (int j = 0; j < n; j++) {
                staging[j] = (float) v[j];
            }
            MemorySegment.copy(staging, 0, s, JAVA_FLOAT, base * Float.BYTES, n);
        } else {
            MemorySegment.copy(v, 0, s, JAVA_DOUBLE, base * Double.BYTES, n);
        }
    }

    /** Elements {@code [base, base + n)} of a float32 or float64 segment, as a new array of doubles. */
    static double[] loadRow(MemorySegment s, DType t, long base, int n) {
        double[] v = new double[n];
        read(s, t, base, v, t == DType.FLOAT32 ? new float[n] : null, n);
        return v;
    }
}
