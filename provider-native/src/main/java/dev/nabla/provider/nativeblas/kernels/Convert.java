package dev.nabla.provider.nativeblas.kernels;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.nabla.api.types.DType;
import java.lang.foreign.MemorySegment;

/**
 * Moves runs of elements between a storage of any dtype and a Java {@code double[]} or {@code long[]}
 * buffer, converting by the rules of {@link dev.nabla.api.backend.Kernels#cast}: to an integer a
 * double truncates toward zero (saturating, NaN to 0) and a long wraps to int32; to bool anything is
 * {@code x != 0}; bool reads as 0 or 1. The dtype is switched on once per run, never per element;
 * the generic (strided, cross-dtype) paths of the kernels work through these runs.
 */
final class Convert {
    /** Elements per run in the kernels that stage through a buffer. */
    static final int CHUNK = 1024;

    private Convert() {
    }

    /** {@code buf[j] = (double) s[from + j·step]} for {@code j < len}. */
    static void toDoubles(MemorySegment s, DType t, long from, long step, double[] buf, int len) {
        switch (t) {
            case FLOAT32 -> {
                for (int j = 0; j < len; j++) {
                    buf[j] = s.getAtIndex(JAVA_FLOAT, from + j * step);
                }
            }
            case FLOAT64 -> {
                for (int j = 0; j < len; j++) {
                    buf[j] = s.getAtIndex(JAVA_DOUBLE, from + j * step);
                }
            }
            case INT32 -> {
                for (int j = 0; j < len; j++) {
                    buf[j] = s.getAtIndex(JAVA_INT, from + j * step);
                }
            }
            case INT64 -> {
                for (int j = 0; j < len; j++) {
                    buf[j] = s.getAtIndex(JAVA_LONG, from + j * step);
                }
            }
            case BOOL -> {
                for (int j = 0; j < len; j++) {
                    buf[j] = s.get(JAVA_BYTE, from + j * step) != 0 ? 1.0 : 0.0;
                }
            }
        }
    }

    /** {@code s[from + j·step] = convert(buf[j])} for {@code j < len}. */
    static void fromDoubles(double[] buf, int len, MemorySegment s, DType t, long from, long step) {
        switch (t) {
            case FLOAT32 -> {
                for (int j = 0; j < len; j++) {
                    s.setAtIndex(JAVA_FLOAT, from + j * step, (float) buf[j]);
                }
            }
            case FLOAT64 -> {
                for (int j = 0; j < len; j++) {
                    s.setAtIndex(JAVA_DOUBLE, from + j * step, buf[j]);
                }
            }
            case INT32 -> {
                for (int j = 0; j < len; j++) {
                    s.setAtIndex(JAVA_INT, from + j * step, (int) buf[j]);
                }
            }
            case INT64 -> {
                for (int j = 0; j < len; j++) {
                    s.setAtIndex(JAVA_LONG, from + j * step, (long) buf[j]);
                }
            }
            case BOOL -> {
                for (int j = 0; j < len; j++) {
                    s.set(JAVA_BYTE, from + j * step, buf[j] != 0 ? (byte) 1 : (byte) 0);
                }
            }
        }
    }

    /** {@code buf[j] = (long) s[from + j·step]} for {@code j < len} (floats truncate). */
    static void toLongs(MemorySegment s, DType t, long from, long step, long[] buf, int len) {
        switch (t) {
            case FLOAT32 -> {
                for (int j = 0; j < len; j++) {
                    buf[j] = (long) s.getAtIndex(JAVA_FLOAT, from + j * step);
                }
            }
            case FLOAT64 -> {
                for (int j = 0; j < len; j++) {
                    buf[j] = (long) s.getAtIndex(JAVA_DOUBLE, from + j * step);
                }
            }
            case INT32 -> {
                for (int j = 0; j < len; j++) {
                    buf[j] = s.getAtIndex(JAVA_INT, from + j * step);
                }
            }
            case INT64 -> {
                for (int j = 0; j < len; j++) {
                    buf[j] = s.getAtIndex(JAVA_LONG, from + j * step);
                }
            }
            case BOOL -> {
                for (int j = 0; j < len; j++) {
                    buf[j] = s.get(JAVA_BYTE, from + j * step);
                }
            }
        }
    }

    /** {@code s[from + j·step] = convert(buf[j])} for {@code j < len} (int32 wraps). */
    static void fromLongs(long[] buf, int len, MemorySegment s, DType t, long from, long step) {
        switch (t) {
            case FLOAT32 -> {
                for (int j = 0; j < len; j++) {
                    s.setAtIndex(JAVA_FLOAT, from + j * step, (float) buf[j]);
                }
            }
            case FLOAT64 -> {
                for (int j = 0; j < len; j++) {
                    s.setAtIndex(JAVA_DOUBLE, from + j * step, (double) buf[j]);
                }
            }
            case INT32 -> {
                for (int j = 0; j < len; j++) {
                    s.setAtIndex(JAVA_INT, from + j * step, (int) buf[j]);
                }
            }
            case INT64 -> {
                for (int j = 0; j < len; j++) {
                    s.setAtIndex(JAVA_LONG, from + j * step, buf[j]);
                }
            }
            case BOOL -> {
                for (int j = 0; j < len; j++) {
                    s.set(JAVA_BYTE, from + j * step, buf[j] != 0 ? (byte) 1 : (byte) 0);
                }
            }
        }
    }
}
