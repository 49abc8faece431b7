package dev.nabla.api.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Shape arithmetic: sizes, strides, axes and NumPy broadcasting. */
class ShapeTest {
    @Test
    void sizeAndStrides() {
        assertEquals(1, Shape.scalar().size());
        assertEquals(0, Shape.of(0, 3).size());
        assertEquals(24, Shape.of(2, 3, 4).size());
        assertArrayEquals(new long[] {12, 4, 1}, Shape.of(2, 3, 4).strides());
        assertEquals("[2, 3]", Shape.of(2, 3).toString());
    }

    @Test
    void negativeAxesCountFromTheEnd() {
        assertEquals(2, Shape.of(2, 3, 4).normalizeAxis("op", -1));
        ShapeException e = assertThrows(ShapeException.class, () -> Shape.of(2, 3).normalizeAxis("sum", 2));
        assertTrue(e.getMessage().contains("sum") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void broadcastFollowsNumpy() {
        assertEquals(Shape.of(2, 3, 4), Shape.broadcast("add", Shape.of(3, 1), Shape.of(2, 1, 4)));
        assertEquals(Shape.of(0, 3), Shape.broadcast("add", Shape.of(0, 1), Shape.of(3)));
        assertEquals(Shape.of(5), Shape.broadcast("add", Shape.scalar(), Shape.of(5)));
        ShapeException e = assertThrows(ShapeException.class,
                () -> Shape.broadcast("add", Shape.of(2, 3), Shape.of(4, 3)));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3]")
                && e.getMessage().contains("[4, 3]"), e.getMessage());
        assertTrue(Shape.of(3, 1).broadcastableTo(Shape.of(2, 3, 5)));
        assertFalse(Shape.of(3, 2).broadcastableTo(Shape.of(3, 5)));
    }

    @Test
    void negativeDimensionsAreRejected() {
        assertThrows(ShapeException.class, () -> Shape.of(2, -1));
    }

    @Test
    void dtypeParsing() {
        assertEquals(DType.FLOAT64, DType.parse("float64"));
        assertEquals(DType.INT32, DType.parse("INT32"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DType.parse("half"));
        assertTrue(e.getMessage().contains("float32"), e.getMessage());
    }
}
