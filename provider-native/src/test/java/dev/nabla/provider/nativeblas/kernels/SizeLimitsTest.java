package dev.nabla.provider.nativeblas.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.memory.BlockPool;
import org.junit.jupiter.api.Test;

/**
 * Sizes past the limits fail with errors that name the limit, not with an index out of bounds or a
 * bare "integer overflow": requests larger than the pool's largest block (2^62 bytes), and
 * {@code toArray} of more elements than a Java array holds.
 */
class SizeLimitsTest {
    @Test
    void aRequestAboveTheLargestBlockIsAnOutOfMemoryErrorNamingTheSize() {
        try (BlockPool pool = new BlockPool(0)) {
            long size = (1L << 59) + 1; // 2^62 + 8 bytes of int64
            OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> pool.allocate(DType.INT64, size));
            assertTrue(e.getMessage().contains(Long.toString(size)), e.getMessage());
            OutOfMemoryError wrap = assertThrows(OutOfMemoryError.class,
                    () -> pool.allocate(DType.INT64, Long.MAX_VALUE / 4)); // bytes overflow a long
            assertTrue(wrap.getMessage().contains(Long.toString(Long.MAX_VALUE / 4)), wrap.getMessage());
        }
    }

    @Test
    void toArrayOfMoreElementsThanAJavaArrayHoldsNamesTheLimit() {
        assertEquals(7, MemoryKernels.arrayLength(7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryKernels.arrayLength(1L << 31));
        assertTrue(e.getMessage().contains(Integer.toString(MemoryKernels.MAX_ARRAY_LENGTH)), e.getMessage());
        assertTrue(e.getMessage().contains(Long.toString(1L << 31)), e.getMessage());
    }
}
