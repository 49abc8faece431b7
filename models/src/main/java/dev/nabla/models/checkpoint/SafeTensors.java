package dev.nabla.models.checkpoint;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.NablaException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes tensors in the <b>safetensors</b> format, byte-compatible with Hugging Face's
 * library:
 * <pre>
 *   8 bytes   N, the header length, unsigned little-endian
 *   N bytes   UTF-8 JSON: {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, …,
 *                          "__metadata__": {"key": "string value", …}}   (space-padded to a multiple of 8)
 *   rest      the tensors' bytes, little-endian, row-major; offsets are relative to the start of this
 *             section, contiguous from 0 with no gaps or overlaps
 * </pre>
 * DTypes: {@code F32}, {@code F64}, {@code I32}, {@code I64}, {@code BOOL}.
 *
 * <p>Reading is defensive: the header length is bounded by the file size and by
 * {@link #MAX_HEADER_BYTES}; the JSON by {@link Json}'s depth limit; every entry's dtype, shape
 * (overflow-checked product) and offsets are validated — contiguous, in range, and spanning exactly
 * {@code dtype size × shape product} bytes — before any tensor memory is allocated. A file that fails
 * any check is refused with a {@link NablaException} saying which check and which tensor.
 */
public final class SafeTensors {
    /** The largest header accepted (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    /** The metadata key under which {@code __metadata__} lives. */
    public static final String METADATA = "__metadata__";

    private SafeTensors() {
    }

    /**
     * What a file holds: tensors by name in file order, and the string metadata. Closing releases the
     * tensors.
     *
     * @param tensors  by name
     * @param metadata the {@code __metadata__} map, possibly empty
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) implements AutoCloseable {
        @Override
        public void close() {
            tensors.values().forEach(Tensor::close);
        }
    }

    /** One validated header entry. */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {
    }

    static String code(DType d) {
        return switch (d) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT32 -> "I32";
            case INT64 -> "I64";
            case BOOL -> "BOOL";
        };
    }

    private static DType dtype(String code) {
        return switch (code) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            case "I32" -> DType.INT32;
            case "I64" -> DType.INT64;
            case "BOOL" -> DType.BOOL;
            default -> null;
        };
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code tensors} (in map order) and {@code metadata} to {@code file}, atomically
     * ({@link AtomicFiles}).
     *
     * @throws UncheckedIOException if the write fails; a previous file is then intact
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len.array());
            out.write(header);
            for (Tensor t : tensors.values()) {
                out.write(bytes(t));
            }
        });
    }

    private static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Object> h = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            h.put(METADATA, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA) || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("safetensors: '" + e.getKey() + "' cannot be a tensor name");
            }
            Tensor t = e.getValue();
            long size = Math.multiplyExact(t.numel(), (long) t.dtype().byteSize());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", code(t.dtype()));
            entry.put("shape", t.shape().dims());
            entry.put("data_offsets", new long[] {offset, offset + size});
            h.put(e.getKey(), entry);
            offset += size;
        }
        byte[] json = Json.write(h).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static byte[] bytes(Tensor t) {
        int n = Math.toIntExact(t.numel());
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(n, t.dtype().byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT32 -> b.asFloatBuffer().put(t.toFloatArray());
            case FLOAT64 -> b.asDoubleBuffer().put(t.toDoubleArray());
            case INT32 -> b.asIntBuffer().put(t.toIntArray());
            case INT64 -> b.asLongBuffer().put(t.toLongArray());
            case BOOL -> {
                boolean[] v = t.toBooleanArray();
                for (int i = 0; i < n; i++) {
                    b.put(i, (byte) (v[i] ? 1 : 0));
                }
            }
        }
        return b.array();
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads every tensor of {@code file} onto {@code f}'s backend.
     *
     * @throws NablaException            if the file is truncated, corrupt or hostile, naming the check
     * @throws UncheckedIOException      if it cannot be read
     */
    public static Contents read(Path file, TensorFactory f) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(file, ch);
            Map<String, Tensor> out = new LinkedHashMap<>();
            try {
                for (Entry e : h.entries) {
                    int len = (int) (e.end - e.begin);   // validated to fit
                    ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
                    readFully(ch, b, h.dataStart + e.begin, file);
                    b.flip();
                    out.put(e.name, tensor(f, e, b, file));
                }
            } catch (RuntimeException ex) {
                out.values().forEach(Tensor::close);
                throw ex;
            }
            return new Contents(out, h.metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Only the {@code __metadata__} of {@code file}, after validating the whole header (no tensor is
     * read).
     */
    public static Map<String, String> readMetadata(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch).metadata;
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    private static NablaException bad(Path file, String what) {
        return new NablaException("safetensors: " + file + " is not a valid safetensors file: " + what);
    }

    private static Header header(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw bad(file, "it is " + size + " bytes, shorter than the 8-byte header length (truncated?)");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, file);
        long n = lenBuf.flip().getLong();
        if (n < 0 || n > size - 8) {
            throw bad(file, "header length " + Long.toUnsignedString(n) + " exceeds the " + (size - 8)
                    + " bytes after the length field (truncated or corrupt)");
        }
        if (n > MAX_HEADER_BYTES) {
            throw bad(file, "header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (n < 2) {
            throw bad(file, "header length " + n + " is too short for a JSON object");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(ch, hb, 8, file);
        hb.flip();
        String text;
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb);
            text = cb.toString();
        } catch (CharacterCodingException e) {
            throw bad(file, "header is not valid UTF-8");
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.JsonException e) {
            throw bad(file, "header is not valid JSON (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof Map<?, ?> top)) {
            throw bad(file, "header is not a JSON object");
        }
        long dataLen = size - 8 - n;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (var e : top.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                if (!(e.getValue() instanceof Map<?, ?> m)) {
                    throw bad(file, METADATA + " must be an object of strings");
                }
                for (var me : m.entrySet()) {
                    if (!(me.getValue() instanceof String sv)) {
                        throw bad(file, METADATA + " value of '" + me.getKey() + "' must be a string");
                    }
                    metadata.put((String) me.getKey(), sv);
                }
                continue;
            }
            entries.add(entry(file, name, e.getValue()));
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin != expected) {
                throw bad(file, "tensor '" + e.name + "' data_offsets [" + e.begin + ", " + e.end + "] "
                        + (e.begin < expected ? "overlap the previous tensor's bytes (which end at " + expected + ")"
                        : "leave a gap after byte " + expected) + "; offsets must be contiguous from 0");
            }
            expected = e.end;
        }
        if (expected != dataLen) {
            throw bad(file, "the tensors span " + expected + " bytes but the data section has " + dataLen
                    + (expected > dataLen ? " (truncated, or offsets out of range)" : " (trailing bytes)"));
        }
        return new Header(entries, metadata, 8 + n);
    }

    private static Entry entry(Path file, String name, Object v) {
        if (!(v instanceof Map<?, ?> m)) {
            throw bad(file, "entry '" + name + "' is not an object");
        }
        for (Object k : m.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw bad(file, "entry '" + name + "' has an unknown field '" + k + "'; fields: dtype, shape, data_offsets");
            }
        }
        if (!(m.get("dtype") instanceof String code)) {
            throw bad(file, "entry '" + name + "' has no string dtype");
        }
        DType dtype = dtype(code);
        if (dtype == null) {
            throw bad(file, "tensor '" + name + "' has unsupported dtype '" + code + "'; supported: F32, F64, I32, I64, BOOL");
        }
        if (!(m.get("shape") instanceof List<?> shapeList) || shapeList.size() > 64) {
            throw bad(file, "tensor '" + name + "' shape must be a list of at most 64 sizes");
        }
        int[] shape = new int[shapeList.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw bad(file, "tensor '" + name + "' shape " + shapeList + " must hold integers in [0, 2^31)");
            }
            shape[i] = (int) (long) d;
            try {
                numel = Math.multiplyExact(numel, d);
            } catch (ArithmeticException e) {
                throw bad(file, "tensor '" + name + "' shape " + shapeList + " has an element count that overflows");
            }
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(numel, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw bad(file, "tensor '" + name + "' shape " + shapeList + " × " + code + " overflows");
        }
        if (!(m.get("data_offsets") instanceof List<?> offs) || offs.size() != 2
                || !(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end)) {
            throw bad(file, "tensor '" + name + "' data_offsets must be [begin, end] integers");
        }
        if (begin < 0 || end < begin) {
            throw bad(file, "tensor '" + name + "' data_offsets [" + begin + ", " + end + "] must satisfy 0 <= begin <= end");
        }
        if (end - begin != bytes) {
            throw bad(file, "tensor '" + name + "' data_offsets span " + (end - begin) + " bytes but " + code + " × "
                    + Arrays.toString(shape) + " needs " + bytes);
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw bad(file, "tensor '" + name + "' is " + bytes + " bytes, more than one tensor may hold here (2 GiB)");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static Tensor tensor(TensorFactory f, Entry e, ByteBuffer b, Path file) {
        int n = (int) ((e.end - e.begin) / e.dtype.byteSize());
        return switch (e.dtype) {
            case FLOAT32 -> {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                yield f.of(v, e.shape);
            }
            case FLOAT64 -> {
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                yield f.of(v, e.shape);
            }
            case INT32 -> {
                int[] v = new int[n];
                b.asIntBuffer().get(v);
                yield f.of(v, e.shape);
            }
            case INT64 -> {
                long[] v = new long[n];
                b.asLongBuffer().get(v);
                yield f.of(v, e.shape);
            }
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    byte x = b.get(i);
                    if (x != 0 && x != 1) {
                        throw bad(file, "tensor '" + e.name + "' BOOL byte " + i + " is " + x + ", not 0 or 1");
                    }
                    v[i] = x == 1;
                }
                yield f.of(v, e.shape);
            }
        };
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position, Path file) throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw bad(file, "unexpected end of file at byte " + p);
            }
            p += r;
        }
    }
}
