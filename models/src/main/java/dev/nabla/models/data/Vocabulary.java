package dev.nabla.models.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A character vocabulary: ids {@code 0 … k-1} for {@code k} special tokens (such as {@value #PAD},
 * {@value #UNKNOWN}, {@value #BOS}, {@value #EOS}, in the order given), then one id per distinct
 * character (Unicode code point) of the text it was built from, in code-point order — so the same text
 * always gives the same ids.
 * <pre>{@code
 * Vocabulary v = Vocabulary.of("hello");          // e=0 h=1 l=2 o=3
 * long[] ids = v.encode("hole");                   // [1, 3, 2, 0]
 * v.decode(ids);                                   // "hole"
 * v.encode("help");                                // IllegalArgumentException: 'p' (U+0070) at 3 is not in the vocabulary
 * Vocabulary u = Vocabulary.of("hello", Vocabulary.UNKNOWN);
 * u.encode("help");                                // [2, 1, 3, 0]: 'p' → <unk> (id 0)
 * }</pre>
 * Encoding a character that is not in the vocabulary fails with a message naming it and its position,
 * unless the vocabulary has {@value #UNKNOWN}, which such characters then map to. {@link #toConfig()}
 * and {@link #fromConfig} store a vocabulary in a checkpoint's configuration (JSON) and read it back.
 */
public final class Vocabulary {
    /** The padding token of padded sequences. */
    public static final String PAD = "<pad>";
    /** The token unknown characters map to, when the vocabulary has it. */
    public static final String UNKNOWN = "<unk>";
    /** The begin-of-sequence token. */
    public static final String BOS = "<bos>";
    /** The end-of-sequence token. */
    public static final String EOS = "<eos>";

    private final List<String> specials;
    private final int[] chars;                      // code points, sorted
    private final Map<Integer, Integer> ids = new HashMap<>();
    private final int unknown;

    private Vocabulary(List<String> specials, int[] chars) {
        if (new java.util.HashSet<>(specials).size() != specials.size()) {
            throw new IllegalArgumentException("Vocabulary: duplicate special token in " + specials);
        }
        for (String s : specials) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("Vocabulary: a special token must be a non-empty string, got " + specials);
            }
        }
        this.specials = List.copyOf(specials);
        this.chars = chars;
        for (int i = 0; i < chars.length; i++) {
            if (i > 0 && chars[i] <= chars[i - 1]) {
                throw new IllegalArgumentException("Vocabulary: characters must be distinct and in code-point order");
            }
            ids.put(chars[i], specials.size() + i);
        }
        this.unknown = specials.indexOf(UNKNOWN);
    }

    /**
     * The vocabulary of the distinct characters of {@code text}, after the {@code specials} (ids
     * {@code 0 … specials.length-1}). With {@value #UNKNOWN} among them, unknown characters encode to it.
     */
    public static Vocabulary of(String text, String... specials) {
        TreeSet<Integer> cps = new TreeSet<>();
        text.codePoints().forEach(cps::add);
        return new Vocabulary(List.of(specials), cps.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Number of ids: special tokens plus characters. */
    public int size() {
        return specials.size() + chars.length;
    }

    /** The special tokens, in id order. */
    public List<String> specials() {
        return specials;
    }

    /**
     * The id of special token {@code token}.
     *
     * @throws IllegalArgumentException naming the specials this vocabulary has
     */
    public int special(String token) {
        int i = specials.indexOf(token);
        if (i < 0) {
            throw new IllegalArgumentException("Vocabulary: no special token '" + token + "'; it has " + specials);
        }
        return i;
    }

    /** True if unknown characters encode to {@value #UNKNOWN} rather than fail. */
    public boolean hasUnknown() {
        return unknown >= 0;
    }

    /** True if the character (code point) has an id of its own. */
    public boolean contains(int codePoint) {
        return ids.containsKey(codePoint);
    }

    /**
     * The id of one character (code point).
     *
     * @throws IllegalArgumentException if it is not in the vocabulary and there is no {@value #UNKNOWN}
     */
    public int id(int codePoint) {
        Integer id = ids.get(codePoint);
        if (id != null) {
            return id;
        }
        if (unknown >= 0) {
            return unknown;
        }
        throw new IllegalArgumentException("Vocabulary: " + describe(codePoint) + " is not in the vocabulary of "
                + chars.length + " characters (build it with \"" + UNKNOWN + "\" to map unknown characters to it)");
    }

    /**
     * The ids of the characters of {@code text}, one per code point.
     *
     * @throws IllegalArgumentException naming the first unknown character and its position (in code
     *                                  points) when there is no {@value #UNKNOWN}
     */
    public long[] encode(String text) {
        int[] cps = text.codePoints().toArray();
        long[] out = new long[cps.length];
        for (int i = 0; i < cps.length; i++) {
            Integer id = ids.get(cps[i]);
            if (id == null) {
                if (unknown < 0) {
                    throw new IllegalArgumentException("Vocabulary: " + describe(cps[i]) + " at " + i
                            + " is not in the vocabulary of " + chars.length + " characters (build it with \""
                            + UNKNOWN + "\" to map unknown characters to it)");
                }
                id = unknown;
            }
            out[i] = id;
        }
        return out;
    }

    /** The token of one id: its character, or the special token's name. */
    public String token(long id) {
        if (id < 0 || id >= size()) {
            throw new IllegalArgumentException("Vocabulary: id " + id + " outside [0, " + size() + ")");
        }
        return id < specials.size() ? specials.get((int) id) : Character.toString(chars[(int) id - specials.size()]);
    }

    /**
     * The text of {@code ids}: characters, and special tokens by name ({@code "<unk>"}).
     *
     * @throws IllegalArgumentException for an id outside {@code [0, size())}
     */
    public String decode(long... ids) {
        StringBuilder b = new StringBuilder();
        for (long id : ids) {
            b.append(token(id));
        }
        return b.toString();
    }

    /** The vocabulary as JSON-friendly configuration: {@code {"specials": […], "chars": "…"}}. */
    public Map<String, Object> toConfig() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("specials", new ArrayList<Object>(specials));
        StringBuilder b = new StringBuilder();
        for (int c : chars) {
            b.appendCodePoint(c);
        }
        m.put("chars", b.toString());
        return m;
    }

    /**
     * The vocabulary {@link #toConfig()} described.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    public static Vocabulary fromConfig(Map<String, ?> config) {
        if (!(config.get("chars") instanceof String s)) {
            throw new IllegalArgumentException("Vocabulary: configuration needs a string 'chars'; got keys " + config.keySet());
        }
        List<String> sp = new ArrayList<>();
        Object raw = config.get("specials");
        if (raw instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof String t)) {
                    throw new IllegalArgumentException("Vocabulary: 'specials' must be a list of strings, got " + l);
                }
                sp.add(t);
            }
        } else if (raw != null) {
            throw new IllegalArgumentException("Vocabulary: 'specials' must be a list of strings, got " + raw);
        }
        for (String k : config.keySet()) {
            if (!k.equals("chars") && !k.equals("specials")) {
                throw new IllegalArgumentException("Vocabulary: unknown key '" + k + "'; valid keys: [chars, specials]");
            }
        }
        return new Vocabulary(sp, s.codePoints().toArray());
    }

    private static String describe(int cp) {
        String shown = Character.isISOControl(cp) || Character.isWhitespace(cp) ? "" : "'" + Character.toString(cp) + "' ";
        return "character " + shown + String.format(Locale.ROOT, "(U+%04X)", cp);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.specials.equals(specials) && java.util.Arrays.equals(v.chars, chars);
    }

    @Override
    public int hashCode() {
        return specials.hashCode() * 31 + java.util.Arrays.hashCode(chars);
    }

    @Override
    public String toString() {
        return "Vocabulary(" + size() + " ids: " + specials.size() + " special, " + chars.length + " characters)";
    }
}
