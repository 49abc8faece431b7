package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.DeviceMemory;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.MemorySegment;

/**
 * The memory kernels: {@code fromArray}, {@code toArray}, {@code fill}, {@code copy} and {@code cast}.
 * Copies between Java arrays and segments are bulk {@link MemorySegment#copy} calls (bool converts
 * bytes and booleans in one loop); {@code cast} converts in runs through {@link Convert}.
 */
final class MemoryKernels {
    private final DeviceMemory memory;
    private final Parallel parallel;

    MemoryKernels(DeviceMemory memory, Parallel parallel) {
        this.memory = memory;
        this.parallel = parallel;
    }

    NativeStorage fromArray(Object array) {
        return switch (array) {
            case float[] a -> {
                NativeStorage s = memory.allocate(DType.FLOAT32, a.length);
                MemorySegment.copy(a, 0, s.overwrite(), JAVA_FLOAT, 0, a.length);
                yield s;
            }
            case double[] a -> {
                NativeStorage s = memory.allocate(DType.FLOAT64, a.length);
                MemorySegment.copy(a, 0, s.overwrite(), JAVA_DOUBLE, 0, a.length);
                yield s;
            }
            case int[] a -> {
                NativeStorage s = memory.allocate(DType.INT32, a.length);
                MemorySegment.copy(a, 0, s.overwrite(), JAVA_INT, 0, a.length);
                yield s;
            }
            case long[] a -> {
                NativeStorage s = memory.allocate(DType.INT64, a.length);
                MemorySegment.copy(a, 0, s.overwrite(), JAVA_LONG, 0, a.length);
                yield s;
            }
            case boolean[] a -> {
                NativeStorage s = memory.allocate(DType.BOOL, a.length);
                MemorySegment seg = s.overwrite();
                for (int i = 0; i < a.length; i++) {
                    seg.set(JAVA_BYTE, i, a[i] ? (byte) 1 : (byte) 0);
                }
                yield s;
            }
            case null -> throw new IllegalArgumentException("native backend: fromArray: array is null");
            default -> throw new IllegalArgumentException("native backend: fromArray: unsupported array type "
                    + array.getClass().getTypeName() + "; expected float[], double[], int[], long[] or boolean[]");
        };
    }

    /** The largest Java array length {@link #toArray} can return. */
    static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /**
     * {@code size} as a Java array length.
     *
     * @throws IllegalArgumentException if it exceeds {@link #MAX_ARRAY_LENGTH}
     */
    static int arrayLength(long size) {
        if (size > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("native backend: toArray: a storage of " + size
                    + " elements does not fit in a Java array (at most " + MAX_ARRAY_LENGTH + " elements)");
        }
        return (int) size;
    }

    Object toArray(NativeStorage s) {
        int n = arrayLength(s.size());
        MemorySegment seg = s.segment();
        return switch (s.dtype()) {
            case FLOAT32 -> {
                float[] a = new float[n];
                MemorySegment.copy(seg, JAVA_FLOAT, 0, a, 0, n);
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                MemorySegment.copy(seg, JAVA_DOUBLE, 0, a, 0, n);
                yield a;
            }
            case INT32 -> {
                int[] a = new int[n];
                MemorySegment.copy(seg, JAVA_INT, 0, a, 0, n);
                yield a;
            }
            case INT64 -> {
                long[] a = new long[n];
                MemorySegment.copy(seg, JAVA_LONG, 0, a, 0, n);
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = seg.get(JAVA_BYTE, i) != 0;
                }
                yield a;
            }
        };
    }

    void fill(NativeStorage out, double value) {
        MemorySegment seg = out.overwrite();
        DType t = out.dtype();
        parallel.forRange(out.size(), (from, to) -> {
            switch (t) {
                case FLOAT32 -> {
                    float v = (float) value;
                    for (long i = from; i < to; i++) {
                        seg.setAtIndex(JAVA_FLOAT, i, v);
                    }
                }
                case FLOAT64 -> {
                    for (long i = from; i < to; i++) {
                        seg.setAtIndex(JAVA_DOUBLE, i, value);
                    }
                }
                case INT32 -> {
                    int v = (int) value;
                    for (long i = from; i < to; i++) {
                        seg.setAtIndex(JAVA_INT, i, v);
                    }
                }
                case INT64 -> {
                    long v = (long) value;
                    for (long i = from; i < to; i++) {
                        seg.setAtIndex(JAVA_LONG, i, v);
                    }
                }
                case BOOL -> seg.asSlice(from, to - from).fill(value != 0 ? (byte) 1 : (byte) 0);
            }
        });
    }

    void copy(NativeStorage src, NativeStorage out) {
        MemorySegment.copy(src.segment(), 0, out.overwrite(), 0, src.byteSize());
    }

    void cast(NativeStorage src, NativeStorage out) {
        DType from = src.dtype();
        DType to = out.dtype();
        if (from == to) {
            copy(src, out);
            return;
        }
        MemorySegment s = src.segment();
        MemorySegment o = out.overwrite();
        parallel.forRange(src.size(), (i0, i1) -> {
            if (from.isFloatingPoint()) {
                double[] buf = new double[Convert.CHUNK];
                for (long i = i0; i < i1; i += Convert.CHUNK) {
                    int len = (int) Math.min(Convert.CHUNK, i1 - i);
                    Convert.toDoubles(s, from, i, 1, buf, len);
                    Convert.fromDoubles(buf, len, o, to, i, 1);
                }
            } else {
                long[] buf = new long[Convert.CHUNK];
                for (long i = i0; i < i1; i += Convert.CHUNK) {
                    int len = (int) Math.min(Convert.CHUNK, i1 - i);
                    Convert.toLongs(s, from, i, 1, buf, len);
                    Convert.fromLongs(buf, len, o, to, i, 1);
                }
            }
        });
    }
}
