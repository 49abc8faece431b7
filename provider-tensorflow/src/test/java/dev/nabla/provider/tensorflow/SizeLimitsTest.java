package dev.nabla.provider.tensorflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.types.DType;
import dev.nabla.provider.tensorflow.runtime.HostTransfer;
import org.junit.jupiter.api.Test;

/**
 * Element and byte counts are computed with overflow checks: a shape whose bytes overflow a
 * {@code long} is refused with a clear error instead of wrapping to a small (or negative) buffer size,
 * and {@code toArray} of more elements than a Java array holds names the limit.
 */
class SizeLimitsTest {
    private final TensorflowBackend backend = (TensorflowBackend) new TensorflowBackendProvider().create();

    @Test
    void byteCountsThatOverflowALongAreRefused() {
        assertEquals(96, HostTransfer.byteSize(DType.FLOAT64, 3, 4));
        // 2^32 · 2^32 elements wrap to 0 without the check
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostTransfer.byteSize(DType.FLOAT32, 1L << 32, 1L << 32));
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> HostTransfer.filled(DType.FLOAT32, new long[] {1L << 32, 1L << 32}, 0));
        assertThrows(IllegalArgumentException.class, () -> backend.kernels().allocate(DType.INT64, Long.MAX_VALUE / 4));
    }

    @Test
    void toArrayOfMoreElementsThanAJavaArrayHoldsNamesTheLimit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostTransfer.download(null, DType.BOOL, 1L << 31));
        assertTrue(e.getMessage().contains(Integer.toString(HostTransfer.MAX_ARRAY_LENGTH)), e.getMessage());
    }
}
