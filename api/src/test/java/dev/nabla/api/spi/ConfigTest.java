package dev.nabla.api.spi;

import dev.nabla.api.types.DType;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared configuration reader: typed values from maps and strings, and messages naming owner and key. */
class ConfigTest {
    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static final Set<String> KEYS = Set.of("n", "x", "on", "name", "sizes", "dtype");

    @Test
    void readsTypedValuesFromValuesAndStrings() {
        Config c = Config.keys("demo", map("n", "64", "x", "1e-3", "on", "TRUE", "name", " ReLU ",
                "sizes", List.of(2, 8.0, 1), "dtype", "float64"), KEYS);
        assertEquals(64, c.requiredInt("n"));
        assertEquals(64L, c.longOr("n", 0));
        assertEquals(1e-3, c.doubleOr("x", 0));
        assertTrue(c.boolOr("on", false));
        assertEquals("relu", c.stringOr("name", "tanh"));
        assertArrayEquals(new int[] {2, 8, 1}, c.intList("sizes"));
        assertEquals(DType.FLOAT64, c.dtypeOr("dtype", "float32"));
        Config empty = Config.settings("demo", Map.of(), KEYS);
        assertEquals(7, empty.intOr("n", 7));
        assertEquals(0.5, empty.doubleOr("x", 0.5));
        assertFalse(empty.has("on"));
        assertTrue(empty.boolOr("on", true));
        assertEquals("tanh", empty.stringOr("name", "tanh"));
        assertTrue(Config.keys("demo", map("on", 1), KEYS).boolOr("on", false), "0/1 are booleans");
    }

    @Test
    void messagesNameTheOwnerTheKeyAndTheValidKeys() {
        expect("linear: unknown key 'outs'; valid keys: [dtype, n, name, on, sizes, x]",
                () -> Config.keys("linear", map("outs", 3), KEYS));
        expect("mle: unknown setting 'lr2'; valid settings: [",
                () -> Config.settings("mle", map("lr2", 3), KEYS));
        expect("actnorm: missing key 'n' ('n' is required)", () -> Config.keys("actnorm", Map.of(), KEYS).requiredInt("n"));
        expect("linear: missing key 'sizes'", () -> Config.keys("linear", Map.of(), KEYS).require(Set.of("sizes", "x")));
        expect("demo: key 'n' must be an integer, got '2.5'", () -> Config.keys("demo", map("n", 2.5), KEYS).intOr("n", 0));
        expect("demo: key 'n' must be an integer in the range of int",
                () -> Config.keys("demo", map("n", 1e12), KEYS).intOr("n", 0));
        expect("demo: key 'n' must be a positive integer, got 0",
                () -> Config.keys("demo", map("n", 0), KEYS).positiveIntOr("n", 1));
        expect("demo: setting 'x' must be a number, got 'abc'",
                () -> Config.settings("demo", map("x", "abc"), KEYS).doubleOr("x", 0));
        expect("demo: key 'on' must be true or false, got 'yes'",
                () -> Config.keys("demo", map("on", "yes"), KEYS).boolOr("on", false));
        expect("demo: key 'sizes' must be a list of integers", () -> Config.keys("demo", map("sizes", List.of(1, 1.5)), KEYS)
                .intList("sizes"));
        expect("demo: key 'name' must be one of [a, b], got 'c'",
                () -> Config.keys("demo", map("name", "c"), KEYS).oneOf("name", "a", List.of("a", "b")));
        expect("demo: key 'dtype': ", () -> Config.keys("demo", map("dtype", "float16x"), KEYS).dtypeOr("dtype", "float32"));
    }

    private static void expect(String message, org.junit.jupiter.api.function.Executable call) {
        var e = assertThrows(IllegalArgumentException.class, call, message);
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void rangeCheckedReadersNameTheKeyAndTheRange() {
        Config c = Config.settings("t", Map.of("m", "0.5", "far", "1.5", "n", "-1", "steps", 7, "dt", "int32",
                "nan", "NaN"), Set.of("m", "far", "n", "steps", "dt", "nan", "absent"));
        assertEquals(0.5, c.doubleIn("m", 0, 1, 0.9));
        assertEquals(0.9, c.doubleIn("absent", 0, 1, 0.9));
        var far = assertThrows(IllegalArgumentException.class, () -> c.doubleIn("far", 0, 1, 0.9));
        assertTrue(far.getMessage().contains("'far'") && far.getMessage().contains("[0.0, 1.0]"), far.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.doubleIn("nan", 0, 1, 0.9));
        assertEquals(7, c.longAtLeast("steps", 0, 0));
        assertEquals(3, c.longAtLeast("absent", 0, 3));
        var n = assertThrows(IllegalArgumentException.class, () -> c.longAtLeast("n", 0, 0));
        assertTrue(n.getMessage().contains("'n' must be an integer >= 0"), n.getMessage());
        assertEquals(DType.FLOAT64, Config.keys("t", Map.of("dt", "float64"), Set.of("dt")).floatDtypeOr("dt", "float32"));
        assertEquals(DType.FLOAT32, c.floatDtypeOr("absent", "float32"));
        var dt = assertThrows(IllegalArgumentException.class, () -> c.floatDtypeOr("dt", "float32"));
        assertTrue(dt.getMessage().contains("float32 or float64"), dt.getMessage());
    }
}
