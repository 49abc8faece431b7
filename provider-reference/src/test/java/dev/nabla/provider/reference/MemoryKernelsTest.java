package dev.nabla.provider.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.UnsupportedKernelException;
import org.junit.jupiter.api.Test;

/** The memory kernels: allocate, fromArray/toArray, fill, copy, cast, release. */
class MemoryKernelsTest extends KernelTestSupport {

    @Test
    void allocateIsZeroFilledForEveryDtype() {
        assertArrayEquals(new float[3], f(k.allocate(DType.FLOAT32, 3)));
        assertArrayEquals(new double[3], d(k.allocate(DType.FLOAT64, 3)));
        assertArrayEquals(new int[3], i(k.allocate(DType.INT32, 3)));
        assertArrayEquals(new long[3], l(k.allocate(DType.INT64, 3)));
        assertArrayEquals(new boolean[3], b(k.allocate(DType.BOOL, 3)));
        assertEquals(0, k.allocate(DType.FLOAT32, 0).size());
    }

    @Test
    void fromArrayAndToArrayCopy() {
        double[] src = {1, 2, 3};
        Storage st = k.fromArray(src);
        src[0] = 99;
        assertEquals(DType.FLOAT64, st.dtype());
        double[] out = d(st);
        assertArrayEquals(new double[] {1, 2, 3}, out);
        out[1] = 99;
        assertArrayEquals(new double[] {1, 2, 3}, d(st));
        assertEquals(DType.BOOL, bool(true).dtype());
        assertEquals(DType.INT32, i32(1).dtype());
        Storage copy = k.allocate(DType.INT64, 2);
        k.copy(i64(4, 5), copy);
        assertArrayEquals(new long[] {4, 5}, l(copy));
    }

    @Test
    void oversizedAllocationIsRejectedWithTheSize() {
        UnsupportedKernelException e = assertThrows(UnsupportedKernelException.class,
                () -> k.allocate(DType.FLOAT32, 3_000_000_000L));
        assertTrue(e.getMessage().contains("3000000000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> k.fromArray(new short[2]));
    }

    @Test
    void releaseIsIdempotent() {
        Storage st = f64(1, 2);
        st.release();
        st.release();
        assertTrue(st.isReleased());
    }

    @Test
    void fillConvertsToTheDtype() {
        Storage a = k.allocate(DType.INT32, 2);
        k.fill(a, -2.7);
        assertArrayEquals(new int[] {-2, -2}, i(a));
        Storage m = k.allocate(DType.BOOL, 2);
        k.fill(m, 0.5);
        assertArrayEquals(new boolean[] {true, true}, b(m));
    }

    @Test
    void castFollowsTheRules() {
        Storage src = f64(-2.7, 2.7, -0.5, Double.NaN, 0.0, 3e10);
        Storage toInt = k.allocate(DType.INT32, 6);
        k.cast(src, toInt);
        assertArrayEquals(new int[] {-2, 2, 0, 0, 0, Integer.MAX_VALUE}, i(toInt));
        Storage toBool = k.allocate(DType.BOOL, 6);
        k.cast(src, toBool);
        assertArrayEquals(new boolean[] {true, true, true, true, false, true}, b(toBool));
        Storage fromBool = k.allocate(DType.FLOAT32, 2);
        k.cast(bool(true, false), fromBool);
        assertArrayEquals(new float[] {1, 0}, f(fromBool));
        Storage narrowed = k.allocate(DType.INT32, 1);
        k.cast(i64(1L << 32 | 5), narrowed);
        assertArrayEquals(new int[] {5}, i(narrowed));
        Storage widened = k.allocate(DType.FLOAT64, 1);
        k.cast(i64(Long.MAX_VALUE), widened);
        assertArrayEquals(new double[] {0x1p63}, d(widened));
        Storage exact = k.allocate(DType.INT64, 1);
        k.cast(i32(-7), exact);
        assertArrayEquals(new long[] {-7}, l(exact));
        Storage rounded = k.allocate(DType.FLOAT32, 1);
        k.cast(f64(0.1), rounded);
        assertArrayEquals(new float[] {0.1f}, f(rounded));
    }
}
