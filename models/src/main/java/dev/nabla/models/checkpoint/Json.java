package dev.nabla.models.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A small, strict JSON (RFC 8259) reader and writer for checkpoint headers and metadata, with limits
 * so hostile input is refused cheaply. Objects become {@code LinkedHashMap<String, Object>} (duplicate
 * keys refused), arrays {@code List<Object>}, integers that fit {@code Long}, other numbers
 * {@code Double} (finite only: {@code 1e999} is refused), plus {@code String}, {@code Boolean} and
 * {@code null}.
 *
 * <p>The reader works on UTF-8 bytes, decoding and validating them as it goes (overlong forms,
 * surrogates and code points past U+10FFFF are refused), so a header is parsed straight from its file
 * through a small buffer ({@link #forEachMember}) without first becoming a string as large as itself.
 * Every parse is bounded by {@link Limits}: nesting depth, the length of one string, and the number of
 * values; a message never quotes more than {@value #QUOTE_CHARS} characters of the input.
 *
 * <p>Why not a library: the JDK has none, this needs a few hundred lines, and it keeps {@code models}
 * free of dependencies beyond {@code dev.nabla.api} (no automatic module in a jlink image).
 */
public final class Json {
    /** Deepest nesting accepted by {@link Limits#DEFAULT}. */
    public static final int MAX_DEPTH = 64;
    /** The most characters of a key or value that an error message quotes. */
    public static final int QUOTE_CHARS = 80;

    /**
     * What one parse may cost.
     *
     * @param maxDepth       deepest nesting of arrays and objects
     * @param maxStringBytes longest string (key or value), in UTF-8 bytes as written (escapes included)
     * @param maxValues      most values (of any kind, containers included) in the document, or, for
     *                       {@link #forEachMember}, in each member's value
     */
    public record Limits(int maxDepth, int maxStringBytes, long maxValues) {
        /** Depth {@value #MAX_DEPTH}, strings of up to 16 MiB, up to 2²⁰ values. */
        public static final Limits DEFAULT = new Limits(MAX_DEPTH, 16 << 20, 1 << 20);

        /** Checks the limits are positive. */
        public Limits {
            if (maxDepth < 1 || maxStringBytes < 1 || maxValues < 1) {
                throw new IllegalArgumentException("JSON limits must be positive: " + maxDepth + ", " + maxStringBytes
                        + ", " + maxValues);
            }
        }
    }

    /** A JSON syntax or limit error. */
    public static final class JsonException extends IllegalArgumentException {
        JsonException(String message) {
            super(message);
        }
    }

    private final Input in;
    private final Limits limits;
    private int depth;
    private long values;
    private final StringBuilder sb = new StringBuilder();

    private Json(Input in, Limits limits) {
        this.in = in;
        this.limits = limits;
    }

    /**
     * Parses one JSON value (surrounding whitespace allowed) within {@link Limits#DEFAULT}.
     *
     * @throws JsonException naming the offset and what was expected
     */
    public static Object parse(String text) {
        return parse(text, Limits.DEFAULT);
    }

    /**
     * Parses one JSON value (surrounding whitespace allowed) within {@code limits}. Offsets in messages
     * count UTF-8 bytes.
     *
     * @throws JsonException naming the offset and what was expected or which limit was passed
     */
    public static Object parse(String text, Limits limits) {
        Json p = new Json(new Input(text.getBytes(StandardCharsets.UTF_8)), limits);
        p.ws();
        Object v = p.value();
        p.ws();
        if (p.in.peek() >= 0) {
            throw p.error("unexpected trailing characters");
        }
        return v;
    }

    /**
     * Parses the JSON object held in {@code length} bytes of {@code ch} from {@code start}, reading
     * through a small buffer, and hands each member to {@code visitor} as soon as its value is parsed
     * (in file order). Memory is bounded by what the visitor keeps, plus one member's value within
     * {@code limits} ({@link Limits#maxValues} counts per member); duplicate keys are refused. The
     * visitor may throw to stop early. Trailing whitespace is allowed.
     *
     * @throws JsonException        for malformed JSON, invalid UTF-8 or a passed limit
     * @throws UncheckedIOException if the channel cannot be read
     */
    public static void forEachMember(FileChannel ch, long start, long length, Limits limits,
                                     BiConsumer<String, Object> visitor) {
        Json p = new Json(new Input(ch, start, length), limits);
        p.ws();
        if (p.in.peek() != '{') {
            throw p.error("the document is not a JSON object");
        }
        p.in.next();
        p.depth = 1;
        Set<String> keys = new HashSet<>();
        p.ws();
        if (p.in.peek() == '}') {
            p.in.next();
        } else {
            while (true) {
                p.ws();
                p.values = 0;
                String k = p.key();
                if (!keys.add(k)) {
                    throw p.error("duplicate key " + quote(k));
                }
                p.ws();
                p.expect(':');
                p.ws();
                Object v = p.value();
                visitor.accept(k, v);
                p.ws();
                if (p.in.peek() == ',') {
                    p.in.next();
                    continue;
                }
                p.expect('}');
                break;
            }
        }
        p.ws();
        if (p.in.peek() >= 0) {
            throw p.error("unexpected trailing characters");
        }
    }

    /**
     * {@code s} in single quotes, cut to {@value #QUOTE_CHARS} characters (its length then named):
     * how every message here and in the checkpoint readers quotes what came from a file.
     */
    public static String quote(Object s) {
        return "'" + abbreviate(String.valueOf(s), QUOTE_CHARS) + "'";
    }

    /** {@code s} cut to {@code max} characters, with its full length named when it was cut. */
    public static String abbreviate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…(" + s.length() + " chars)";
    }

    // ------------------------------------------------------------------ reading

    /** Bytes read forward, from an array or through a buffer from a file channel. */
    private static final class Input {
        private final FileChannel ch;
        private final ByteBuffer buf;
        private long filePos;
        private long remaining;
        private long base;   // offset of buf's position 0 in the input

        Input(byte[] bytes) {
            this.ch = null;
            this.buf = ByteBuffer.wrap(bytes);
        }

        Input(FileChannel ch, long start, long length) {
            this.ch = ch;
            this.buf = ByteBuffer.allocate((int) Math.min(1 << 16, Math.max(1, length)));
            this.buf.limit(0);
            this.filePos = start;
            this.remaining = length;
        }

        /** The next byte (0–255) without consuming it, or -1 at the end. */
        int peek() {
            if (!buf.hasRemaining() && !fill()) {
                return -1;
            }
            return buf.get(buf.position()) & 0xFF;
        }

        /** The next byte (0–255), or -1 at the end. */
        int next() {
            int c = peek();
            if (c >= 0) {
                buf.position(buf.position() + 1);
            }
            return c;
        }

        long offset() {
            return base + buf.position();
        }

        private boolean fill() {
            if (ch == null || remaining == 0) {
                return false;
            }
            base += buf.limit();
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), remaining));
            try {
                while (buf.hasRemaining()) {
                    int r = ch.read(buf, filePos);
                    if (r < 0) {
                        remaining = 0;   // the file shrank under us: the parse ends early and fails
                        break;
                    }
                    filePos += r;
                    remaining -= r;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read JSON: " + e.getMessage(), e);
            }
            buf.flip();
            return buf.hasRemaining();
        }
    }

    private JsonException error(String what) {
        return new JsonException("JSON: " + what + " at offset " + in.offset());
    }

    private static String describe(int c) {
        if (c < 0) {
            return "end of input";
        }
        if (c >= 0x20 && c < 0x7F) {
            return "character '" + (char) c + "'";
        }
        return String.format("byte 0x%02X", c);
    }

    private void ws() {
        while (true) {
            int c = in.peek();
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                in.next();
            } else {
                return;
            }
        }
    }

    private Object value() {
        if (++values > limits.maxValues()) {
            throw error("more than " + limits.maxValues() + " values");
        }
        int c = in.peek();
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error(c < 0 ? "unexpected end of input" : "unexpected " + describe(c));
            }
        };
    }

    private Object literal(String word, Object v) {
        for (int i = 0; i < word.length(); i++) {
            if (in.next() != word.charAt(i)) {
                throw error("expected " + word);
            }
        }
        return v;
    }

    private void enter() {
        if (++depth > limits.maxDepth()) {
            throw error("nesting deeper than " + limits.maxDepth());
        }
        in.next();
    }

    private String key() {
        if (in.peek() != '"') {
            throw error("expected a string key");
        }
        return string();
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> m = new LinkedHashMap<>();
        ws();
        if (in.peek() == '}') {
            in.next();
            depth--;
            return m;
        }
        while (true) {
            ws();
            String k = key();
            ws();
            expect(':');
            ws();
            Object v = value();
            if (m.containsKey(k)) {
                throw error("duplicate key " + quote(k));
            }
            m.put(k, v);
            ws();
            if (in.peek() == ',') {
                in.next();
                continue;
            }
            expect('}');
            depth--;
            return m;
        }
    }

    private List<Object> array() {
        enter();
        List<Object> l = new ArrayList<>();
        ws();
        if (in.peek() == ']') {
            in.next();
            depth--;
            return l;
        }
        while (true) {
            ws();
            l.add(value());
            ws();
            if (in.peek() == ',') {
                in.next();
                continue;
            }
            expect(']');
            depth--;
            return l;
        }
    }

    private void expect(char c) {
        int got = in.peek();
        if (got != c) {
            throw error("expected '" + c + "' but found " + describe(got));
        }
        in.next();
    }

    private String string() {
        in.next();   // the opening quote
        sb.setLength(0);
        long start = in.offset();
        while (true) {
            if (in.offset() - start > limits.maxStringBytes()) {
                throw error("string longer than " + limits.maxStringBytes() + " bytes");
            }
            int c = in.next();
            if (c < 0) {
                throw error("unterminated string");
            }
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c == '\\') {
                escape();
            } else if (c < 0x80) {
                sb.append((char) c);
            } else {
                utf8(c);
            }
        }
    }

    private void escape() {
        int e = in.next();
        switch (e) {
            case '"', '\\', '/' -> sb.append((char) e);
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'u' -> {
                int cp = 0;
                for (int i = 0; i < 4; i++) {
                    int d = in.next();
                    int v = d < 0 ? -1 : Character.digit((char) d, 16);
                    if (v < 0) {
                        throw error("bad hex digit in \\u escape");
                    }
                    cp = cp * 16 + v;
                }
                sb.append((char) cp);
            }
            case -1 -> throw error("unterminated escape");
            default -> throw error("bad escape after '\\': " + describe(e));
        }
    }

    /** Decodes one multi-byte UTF-8 sequence that starts with {@code lead}, refusing invalid forms. */
    private void utf8(int lead) {
        int need;
        int cp;
        if (lead >= 0xC2 && lead <= 0xDF) {
            need = 1;
            cp = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            need = 2;
            cp = lead & 0x0F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            need = 3;
            cp = lead & 0x07;
        } else {
            throw error("not valid UTF-8 (" + describe(lead) + ")");
        }
        for (int i = 0; i < need; i++) {
            int d = in.next();
            if (d < 0 || (d & 0xC0) != 0x80) {
                throw error("not valid UTF-8 (truncated sequence)");
            }
            cp = cp << 6 | (d & 0x3F);
        }
        if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
            throw error("not valid UTF-8 (overlong form, surrogate or code point past U+10FFFF)");
        }
        sb.appendCodePoint(cp);
    }

    private Object number() {
        StringBuilder t = new StringBuilder();
        if (in.peek() == '-') {
            t.append((char) in.next());
        }
        int c = in.peek();
        if (c == '0') {
            t.append((char) in.next());
        } else if (c >= '1' && c <= '9') {
            digits(t);
        } else {
            throw error("bad number");
        }
        boolean integral = true;
        if (in.peek() == '.') {
            integral = false;
            t.append((char) in.next());
            if (digits(t) == 0) {
                throw error("bad number: digits expected after '.'");
            }
        }
        c = in.peek();
        if (c == 'e' || c == 'E') {
            integral = false;
            t.append((char) in.next());
            c = in.peek();
            if (c == '+' || c == '-') {
                t.append((char) in.next());
            }
            if (digits(t) == 0) {
                throw error("bad number: digits expected in exponent");
            }
        }
        String s = t.toString();
        if (integral) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw error("integer " + s + " does not fit in 64 bits");
            }
        }
        double d = Double.parseDouble(s);
        if (Double.isInfinite(d)) {
            throw error("number " + s + " is beyond the range of a double");
        }
        return d;
    }

    /** Appends the digits that follow (at most 40 characters in the whole number) and returns how many. */
    private int digits(StringBuilder t) {
        int n = 0;
        while (true) {
            int c = in.peek();
            if (c < '0' || c > '9') {
                return n;
            }
            if (t.length() >= 40) {
                throw error("number longer than 40 characters");
            }
            t.append((char) in.next());
            n++;
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code value} as compact JSON: maps with string keys, iterables and arrays of numbers,
     * strings, numbers (finite), booleans and null.
     *
     * @throws IllegalArgumentException for another type or a non-finite number
     */
    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 0);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON: nesting deeper than " + MAX_DEPTH);
        }
        switch (v) {
            case null -> b.append("null");
            case String str -> quote(b, str);
            case Boolean bool -> b.append(bool);
            case Double d -> number(b, d);
            case Float d -> number(b, d);
            case Number n -> b.append(n.longValue());
            case Map<?, ?> m -> {
                b.append('{');
                boolean first = true;
                for (var e : m.entrySet()) {
                    if (!(e.getKey() instanceof String k)) {
                        throw new IllegalArgumentException("JSON: object keys must be strings, got " + e.getKey());
                    }
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    quote(b, k);
                    b.append(':');
                    write(b, e.getValue(), depth + 1);
                }
                b.append('}');
            }
            case Iterable<?> it -> {
                b.append('[');
                boolean first = true;
                for (Object o : it) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    write(b, o, depth + 1);
                }
                b.append(']');
            }
            case long[] a -> write(b, java.util.Arrays.stream(a).boxed().toList(), depth);
            case int[] a -> write(b, java.util.Arrays.stream(a).boxed().toList(), depth);
            case double[] a -> write(b, java.util.Arrays.stream(a).boxed().toList(), depth);
            default -> throw new IllegalArgumentException("JSON: cannot write a " + v.getClass().getName());
        }
    }

    private static void number(StringBuilder b, double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON: cannot write the non-finite number " + d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            b.append((long) d).append(".0");
        } else {
            b.append(d);
        }
    }

    private static void quote(StringBuilder b, String str) {
        b.append('"');
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !validPair(str, i)) {
                        b.append(String.format("\\u%04x", (int) c));   // a lone surrogate has no UTF-8 form
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
