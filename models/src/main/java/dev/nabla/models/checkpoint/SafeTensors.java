package dev.nabla.models.checkpoint;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.NablaException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
 * <p>Reading is defensive, and its cost is bounded whatever the file holds. The header length is
 * bounded by the file size and by {@link #MAX_HEADER_BYTES}; the header is parsed from the file through
 * a small buffer, one entry at a time ({@link Json#forEachMember}), so memory grows only with what is
 * kept: at most {@link #MAX_TENSORS} entries with names of at most {@link #MAX_NAME_BYTES} bytes each
 * and {@link #MAX_NAMES_BYTES} in all, and at
 * most {@link #MAX_METADATA_ENTRIES} metadata entries of at most {@link #MAX_METADATA_BYTES} bytes in
 * all; nesting is bounded by {@link Json#MAX_DEPTH}. Every entry's dtype, shape (at most 64 sizes,
 * overflow-checked product) and offsets are validated — contiguous, in range, and spanning exactly
 * {@code dtype size × shape product} bytes — before any tensor memory is allocated ({@link #inspect}
 * does only this). A file that fails any check is refused with a {@link NablaException} saying which
 * check and which tensor; messages quote at most {@value Json#QUOTE_CHARS} characters of any name or
 * value taken from the file.
 */
public final class SafeTensors {
    /** The largest header accepted (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    /** The most tensors one file may hold. */
    public static final int MAX_TENSORS = 100_000;
    /** The longest tensor name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 1024;
    /** The most bytes all tensor names may take together (UTF-8). */
    public static final int MAX_NAMES_BYTES = 16 << 20;
    /** The most {@code __metadata__} entries. */
    public static final int MAX_METADATA_ENTRIES = 1024;
    /** The most bytes (UTF-8, keys and values together) that {@code __metadata__} may hold. */
    public static final int MAX_METADATA_BYTES = 16 << 20;
    /** The most sizes in one tensor's shape. */
    public static final int MAX_RANK = 64;
    /** The metadata key under which {@code __metadata__} lives. */
    public static final String METADATA = "__metadata__";

    /** Per-member bounds of the header parse: a tensor entry needs about 70 values, the metadata 2 per entry. */
    private static final Json.Limits HEADER_LIMITS = new Json.Limits(Json.MAX_DEPTH, MAX_METADATA_BYTES,
            2L * MAX_METADATA_ENTRIES + 2 * MAX_RANK);

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

    /**
     * One validated header entry: what a tensor is, without its values.
     *
     * @param name  the tensor's name
     * @param dtype its dtype
     * @param shape its shape (a copy is returned)
     * @param begin where its bytes start in the data section
     * @param end   where they end (exclusive)
     */
    public record TensorInfo(String name, DType dtype, int[] shape, long begin, long end) {
        /** Copies the shape. */
        public TensorInfo {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** Its size in bytes. */
        public long bytes() {
            return end - begin;
        }

        /** Its number of elements. */
        public long numel() {
            return bytes() / dtype.byteSize();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                    && begin == t.begin && end == t.end;
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return Json.quote(name) + " " + code(dtype) + " " + Arrays.toString(shape);
        }
    }

    /**
     * A validated header: everything but the tensors' values.
     *
     * @param tensors   the entries in file order
     * @param metadata  the {@code __metadata__} map, possibly empty
     * @param dataStart where the data section starts in the file
     */
    public record Header(List<TensorInfo> tensors, Map<String, String> metadata, long dataStart) {
        /** Copies the lists. */
        public Header {
            tensors = List.copyOf(tensors);
            metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** The bytes all tensors take, which is what reading them allocates (at least). */
        public long totalBytes() {
            long sum = 0;
            for (TensorInfo t : tensors) {
                sum += t.bytes();   // each is below 2^31 and there are at most MAX_TENSORS: no overflow
            }
            return sum;
        }
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
        if (tensors.size() > MAX_TENSORS) {
            throw new IllegalArgumentException("safetensors: " + tensors.size() + " tensors, more than a file may hold ("
                    + MAX_TENSORS + ")");
        }
        if (metadata.size() > MAX_METADATA_ENTRIES || metadata.entrySet().stream()
                .mapToLong(e -> utf8Length(e.getKey()) + utf8Length(e.getValue())).sum() > MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("safetensors: the metadata exceeds " + MAX_METADATA_ENTRIES + " entries or "
                    + MAX_METADATA_BYTES + " bytes");
        }
        long offset = 0;
        long names = 0;
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA) || e.getKey().isEmpty() || utf8Length(e.getKey()) > MAX_NAME_BYTES) {
                throw new IllegalArgumentException("safetensors: " + Json.quote(e.getKey()) + " cannot be a tensor name"
                        + " (empty, reserved, or longer than " + MAX_NAME_BYTES + " bytes)");
            }
            names += utf8Length(e.getKey());
            if (names > MAX_NAMES_BYTES) {
                throw new IllegalArgumentException("safetensors: the tensor names take more than " + MAX_NAMES_BYTES + " bytes");
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
        return read(file, f, h -> { });
    }

    /**
     * Reads every tensor of {@code file} onto {@code f}'s backend, after {@code beforeAllocation} has
     * seen the validated header: it may refuse the file (by throwing) before one tensor is allocated,
     * e.g. because the tensors need more memory than there is ({@link Header#totalBytes}), or because
     * their shapes do not fit a model. Header and tensors come from one open file, so a concurrent
     * atomic replacement ({@link AtomicFiles}) cannot make them disagree.
     *
     * @throws NablaException            if the file is truncated, corrupt or hostile, naming the check
     * @throws UncheckedIOException      if it cannot be read
     */
    public static Contents read(Path file, TensorFactory f, Consumer<? super Header> beforeAllocation) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = header(file, ch);
            beforeAllocation.accept(h);
            Map<String, Tensor> out = new LinkedHashMap<>();
            try {
                for (TensorInfo e : h.tensors) {
                    int len = (int) e.bytes();   // validated to fit
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
     * The validated header of {@code file}: names, dtypes, shapes and metadata, with no tensor read.
     * Costs at most a pass over the header, in bounded memory.
     *
     * @throws NablaException       if the header is truncated, corrupt or hostile
     * @throws UncheckedIOException if the file cannot be read
     */
    public static Header inspect(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch);
        } catch (IOException e) {
            throw new UncheckedIOException("safetensors: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Only the {@code __metadata__} of {@code file}, after validating the whole header (no tensor is
     * read).
     */
    public static Map<String, String> readMetadata(Path file) {
        return inspect(file).metadata();
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
        long dataLen = size - 8 - n;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> entries = new ArrayList<>();
        long[] nameBytes = {0};
        try {
            Json.forEachMember(ch, 8, n, HEADER_LIMITS, (name, value) -> {
                if (name.equals(METADATA)) {
                    metadata(file, value, metadata);
                    return;
                }
                if (entries.size() == MAX_TENSORS) {
                    throw bad(file, "the header holds more than " + MAX_TENSORS + " tensors (the limit); refused at "
                            + Json.quote(name));
                }
                int len = utf8Length(name);
                if (len > MAX_NAME_BYTES) {
                    throw bad(file, "tensor name " + Json.quote(name) + " is " + len + " bytes, more than the limit of "
                            + MAX_NAME_BYTES);
                }
                nameBytes[0] += len;
                if (nameBytes[0] > MAX_NAMES_BYTES) {
                    throw bad(file, "the tensor names take more than " + MAX_NAMES_BYTES + " bytes (the limit); refused at "
                            + Json.quote(name));
                }
                entries.add(entry(file, name, value));
            });
        } catch (Json.JsonException e) {
            String m = e.getMessage();
            throw bad(file, (m.contains("not valid UTF-8") ? "header is not valid UTF-8 (" : "header is not valid JSON (")
                    + m + ")");
        }
        List<TensorInfo> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        for (TensorInfo e : byOffset) {
            if (e.begin != expected) {
                throw bad(file, "tensor " + Json.quote(e.name) + " data_offsets [" + e.begin + ", " + e.end + "] "
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

    private static void metadata(Path file, Object value, Map<String, String> into) {
        if (!(value instanceof Map<?, ?> m)) {
            throw bad(file, METADATA + " must be an object of strings");
        }
        if (m.size() > MAX_METADATA_ENTRIES) {
            throw bad(file, METADATA + " has " + m.size() + " entries, more than the limit of " + MAX_METADATA_ENTRIES);
        }
        long bytes = 0;
        for (var me : m.entrySet()) {
            if (!(me.getValue() instanceof String sv)) {
                throw bad(file, METADATA + " value of " + Json.quote(me.getKey()) + " must be a string");
            }
            bytes += utf8Length((String) me.getKey()) + utf8Length(sv);
            if (bytes > MAX_METADATA_BYTES) {
                throw bad(file, METADATA + " holds more than " + MAX_METADATA_BYTES + " bytes (the limit)");
            }
            into.put((String) me.getKey(), sv);
        }
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    private static TensorInfo entry(Path file, String name, Object v) {
        String q = Json.quote(name);
        if (!(v instanceof Map<?, ?> m)) {
            throw bad(file, "entry " + q + " is not an object");
        }
        for (Object k : m.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw bad(file, "entry " + q + " has an unknown field " + Json.quote(k) + "; fields: dtype, shape, data_offsets");
            }
        }
        if (!(m.get("dtype") instanceof String code)) {
            throw bad(file, "entry " + q + " has no string dtype");
        }
        DType dtype = dtype(code);
        if (dtype == null) {
            throw bad(file, "tensor " + q + " has unsupported dtype " + Json.quote(code) + "; supported: F32, F64, I32, I64, BOOL");
        }
        if (!(m.get("shape") instanceof List<?> shapeList) || shapeList.size() > MAX_RANK) {
            throw bad(file, "tensor " + q + " shape must be a list of at most " + MAX_RANK + " sizes");
        }
        String shapeText = Json.abbreviate(String.valueOf(shapeList), 2 * Json.QUOTE_CHARS);
        int[] shape = new int[shapeList.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw bad(file, "tensor " + q + " shape " + shapeText + " must hold integers in [0, 2^31)");
            }
            shape[i] = (int) (long) d;
            try {
                numel = Math.multiplyExact(numel, d);
            } catch (ArithmeticException e) {
                throw bad(file, "tensor " + q + " shape " + shapeText + " has an element count that overflows");
            }
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(numel, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw bad(file, "tensor " + q + " shape " + shapeText + " × " + code + " overflows");
        }
        if (!(m.get("data_offsets") instanceof List<?> offs) || offs.size() != 2
                || !(offs.get(0) instanceof Long begin) || !(offs.get(1) instanceof Long end)) {
            throw bad(file, "tensor " + q + " data_offsets must be [begin, end] integers");
        }
        if (begin < 0 || end < begin) {
            throw bad(file, "tensor " + q + " data_offsets [" + begin + ", " + end + "] must satisfy 0 <= begin <= end");
        }
        if (end - begin != bytes) {
            throw bad(file, "tensor " + q + " data_offsets span " + (end - begin) + " bytes but " + code + " × "
                    + shapeText + " needs " + bytes);
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw bad(file, "tensor " + q + " is " + bytes + " bytes, more than one tensor may hold here (2 GiB)");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static Tensor tensor(TensorFactory f, TensorInfo e, ByteBuffer b, Path file) {
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
                        throw bad(file, "tensor " + Json.quote(e.name) + " BOOL byte " + i + " is " + x + ", not 0 or 1");
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
