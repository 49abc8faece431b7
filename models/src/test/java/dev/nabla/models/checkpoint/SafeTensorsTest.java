package dev.nabla.models.checkpoint;

import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.NablaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    @TempDir
    Path dir;

    @Test
    void roundTripsEveryDtypeShapeAndMetadata() {
        Path file = dir.resolve("t.safetensors");
        try (Scope s = Scope.open()) {
            Map<String, Tensor> in = new LinkedHashMap<>();
            in.put("f32", f.of(new float[] {1.5f, -2f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, -0f}, 2, 3));
            in.put("f64", f.of(new double[] {Math.PI, -1e-300}, 2));
            in.put("i32", f.of(new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}, 3, 1));
            in.put("i64", f.of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE}, 2));
            in.put("bool", f.of(new boolean[] {true, false, true}, 3));
            in.put("empty", f.of(new float[0], 0, 4));
            SafeTensors.write(file, in, Map.of("format", "pt", "note", "quote \" and \\ and é"));
            try (SafeTensors.Contents c = SafeTensors.read(file, f)) {
                assertEquals(List.copyOf(in.keySet()), List.copyOf(c.tensors().keySet()));
                for (var e : in.entrySet()) {
                    Tensor got = c.tensors().get(e.getKey());
                    assertEquals(e.getValue().shape(), got.shape(), e.getKey());
                    assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
                }
                assertArrayEquals(in.get("f32").toFloatArray(), c.tensors().get("f32").toFloatArray());
                assertArrayEquals(in.get("f64").toDoubleArray(), c.tensors().get("f64").toDoubleArray());
                assertArrayEquals(in.get("i32").toIntArray(), c.tensors().get("i32").toIntArray());
                assertArrayEquals(in.get("i64").toLongArray(), c.tensors().get("i64").toLongArray());
                assertArrayEquals(in.get("bool").toBooleanArray(), c.tensors().get("bool").toBooleanArray());
                assertEquals(Map.of("format", "pt", "note", "quote \" and \\ and é"), c.metadata());
            }
        }
    }

    /** Bytes laid out as Python's safetensors writes them (space-padded header, offsets per spec). */
    private static byte[] pythonStyle(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded);
        b.put(h);
        for (int i = h.length; i < padded; i++) {
            b.put((byte) ' ');
        }
        b.put(data);
        return b.array();
    }

    @Test
    void readsAFileLaidOutByTheReferenceImplementation() throws IOException {
        // safetensors.numpy.save_file({"weight": np.array([[1, 2], [3, 4]], np.float32), "ids": np.array([5, -6], np.int64)},
        //                              metadata={"format": "np"}) — the reference sorts by dtype alignment, then name
        String header = "{\"__metadata__\":{\"format\":\"np\"},\"ids\":{\"dtype\":\"I64\",\"shape\":[2],"
                + "\"data_offsets\":[0,16]},\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]}}";
        ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        data.putLong(5).putLong(-6).putFloat(1).putFloat(2).putFloat(3).putFloat(4);
        Path file = dir.resolve("py.safetensors");
        Files.write(file, pythonStyle(header, data.array()));
        try (SafeTensors.Contents c = SafeTensors.read(file, f)) {
            assertArrayEquals(new long[] {5, -6}, c.tensors().get("ids").toLongArray());
            assertArrayEquals(new float[] {1, 2, 3, 4}, c.tensors().get("weight").toFloatArray());
            assertArrayEquals(new int[] {2, 2}, c.tensors().get("weight").shape().dims());
            assertEquals(Map.of("format", "np"), c.metadata());
        }
        // and what we write starts with the same bytes a reader of the spec expects
        try (Scope s = Scope.open()) {
            SafeTensors.write(dir.resolve("ours.safetensors"), Map.of("x", f.of(new float[] {1}, 1)), Map.of());
        }
        byte[] ours = Files.readAllBytes(dir.resolve("ours.safetensors"));
        long n = ByteBuffer.wrap(ours, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                new String(ours, 8, (int) n, StandardCharsets.UTF_8).trim());
        assertEquals(8 + n + 4, ours.length);
    }

    private String refusal(byte[] bytes) throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, bytes);
        return assertThrows(NablaException.class, () -> SafeTensors.read(file, f)).getMessage();
    }

    private static final String ONE = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test
    void refusesTruncatedFiles() throws IOException {
        byte[] good = pythonStyle(ONE, new byte[8]);
        assertTrue(refusal(Arrays.copyOf(good, 5)).contains("shorter than the 8-byte header length"));
        assertTrue(refusal(Arrays.copyOf(good, 20)).contains("exceeds the 12 bytes after the length field"));
        String m = refusal(Arrays.copyOf(good, good.length - 3));
        assertTrue(m.contains("the tensors span 8 bytes but the data section has 5"), m);
    }

    @Test
    void refusesAHeaderLengthBeyondTheFileOrTheCap() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).putLong(0);
        assertTrue(refusal(b.array()).contains("header length " + Long.MAX_VALUE + " exceeds"));
        ByteBuffer neg = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).putLong(0);
        assertTrue(refusal(neg.array()).contains("header length 18446744073709551615 exceeds"));
    }

    @Test
    void refusesOverlappingGappedAndOutOfRangeOffsets() throws IOException {
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        String m = refusal(pythonStyle(overlap, new byte[12]));
        assertTrue(m.contains("tensor 'b' data_offsets [4, 12] overlap"), m);
        String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        m = refusal(pythonStyle(gap, new byte[8]));
        assertTrue(m.contains("leave a gap after byte 0"), m);
        String far = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1000000],\"data_offsets\":[8,4000008]}}";
        m = refusal(pythonStyle(far, new byte[8]));
        assertTrue(m.contains("the tensors span 4000008 bytes but the data section has 8"), m);
        String backwards = "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}";
        assertTrue(refusal(pythonStyle(backwards, new byte[8])).contains("must satisfy 0 <= begin <= end"));
    }

    @Test
    void refusesAWrongDtypeSizeAnUnknownDtypeAndAHugeShape() throws IOException {
        String wrong = "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        String m = refusal(pythonStyle(wrong, new byte[8]));
        assertTrue(m.contains("data_offsets span 8 bytes but F64 × [2] needs 16"), m);
        String unknown = "{\"a\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[0,8]}}";
        m = refusal(pythonStyle(unknown, new byte[8]));
        assertTrue(m.contains("unsupported dtype 'BF16'") && m.contains("F32, F64, I32, I64, BOOL"), m);
        String huge = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}";
        m = refusal(pythonStyle(huge, new byte[8]));
        assertTrue(m.contains("element count that overflows"), m);
        String big = "{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647],\"data_offsets\":[0,8]}}";
        m = refusal(pythonStyle(big, new byte[8]));
        assertTrue(m.contains("overflows"), m);
        String boolByte = "{\"a\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[0,1]}}";
        m = refusal(pythonStyle(boolByte, new byte[] {7}));
        assertTrue(m.contains("BOOL byte 0 is 7"), m);
    }

    @Test
    void refusesGarbageAndDeeplyNestedJson() throws IOException {
        String m = refusal(pythonStyle("{\"a\": [1, 2,, }", new byte[0]));
        assertTrue(m.contains("header is not valid JSON"), m);
        String deep = "{\"__metadata__\":" + "[".repeat(1000) + "]".repeat(1000) + "}";
        m = refusal(pythonStyle(deep, new byte[0]));
        assertTrue(m.contains("nesting deeper than 64"), m);
        m = refusal(pythonStyle("[1, 2]", new byte[0]));
        assertTrue(m.contains("not a JSON object"), m);
        byte[] notUtf8 = pythonStyle("{\"a\":1}", new byte[0]);
        notUtf8[10] = (byte) 0xC3;
        notUtf8[11] = (byte) 0x28;
        m = refusal(notUtf8);
        assertTrue(m.contains("not valid UTF-8"), m);
        m = refusal(pythonStyle("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", new byte[4]));
        assertTrue(m.contains("unknown field 'x'"), m);
    }

    @Test
    void aFailedWriteLeavesThePreviousFileIntactAndNoTempFile() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        try (Scope s = Scope.open()) {
            SafeTensors.write(file, Map.of("w", f.of(new float[] {1, 2, 3}, 3)), Map.of());
        }
        byte[] before = Files.readAllBytes(file);
        // a crash mid-write: the body writes some bytes, then throws
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
            throw new IOException("disk full (simulated)");
        }));
        assertArrayEquals(before, Files.readAllBytes(file));
        // a tensor released under the writer: the write fails part-way through the data
        Tensor a = f.of(new float[] {9, 9}, 2);
        Tensor b = f.of(new float[] {8}, 1);
        b.close();
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        assertThrows(RuntimeException.class, () -> SafeTensors.write(file, m, Map.of()));
        a.close();
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of("ckpt.safetensors"), listing.map(p -> p.getFileName().toString()).toList());
        }
        try (SafeTensors.Contents c = SafeTensors.read(file, f)) {
            assertArrayEquals(new float[] {1, 2, 3}, c.tensors().get("w").toFloatArray());
        }
    }

    @Test
    void jsonRoundTripsAndIsStrict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1L);
        m.put("b", List.of(1.5, -2L, "x\n\"y\""));
        m.put("c", Map.of("d", true));
        m.put("e", null);
        m.put("big", Long.MIN_VALUE);
        assertEquals(m, Json.parse(Json.write(m)));
        assertEquals(1e-5, Json.parse(Json.write(1e-5)));
        assertThrows(Json.JsonException.class, () -> Json.parse("{\"a\":1,\"a\":2}"));
        assertThrows(Json.JsonException.class, () -> Json.parse("01"));
        assertThrows(Json.JsonException.class, () -> Json.parse("[1,]"));
        assertThrows(Json.JsonException.class, () -> Json.parse("99999999999999999999"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertEquals(DType.FLOAT32, DType.FLOAT32);
    }
}
