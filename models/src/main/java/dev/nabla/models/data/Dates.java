package dev.nabla.models.data;

import dev.nabla.api.tensor.Generator;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The date-normalisation data set ({@code dates}): human-written dates in {@value #FORMAT_COUNT} formats
 * ({@code "Tuesday, March 3rd 1998"}, {@code "3/3/98"}, {@code "03.03.1998"}, …, see {@link #FORMATS})
 * paired with their ISO form {@code 1998-03-03}. Dates are drawn uniformly from {@value #FIRST_YEAR}-01-01
 * to {@value #LAST_YEAR}-12-31 and a format uniformly; a two-digit year {@code yy} means 20yy when
 * {@code yy < 50} and 19yy otherwise, so every string has exactly one reading. Slashes are month first
 * (US), dots day first (European), so no two formats read the same string differently.
 * <pre>{@code
 * import java.time.LocalDate;
 *
 * Dates.Example e = Dates.example(LocalDate.of(1998, 3, 3), 0);   // "Tuesday, March 3rd 1998" -> "1998-03-03"
 * Dates.Split s = Dates.split(7, 1000, 100, 100);                 // seeded; no source string in two parts
 * }</pre>
 * The splits are disjoint in their source strings (each string is drawn once, then the distinct strings
 * are dealt out), and the vocabularies are fixed by the formats, not by the draw: the source one has
 * {@value Vocabulary#PAD} and every character any format can write, the target one {@value Vocabulary#PAD},
 * {@value Vocabulary#BOS}, {@value Vocabulary#EOS} and {@code 0-9} and {@code -}.
 */
public final class Dates {
    /** The first year drawn. */
    public static final int FIRST_YEAR = 1950;
    /** The last year drawn. */
    public static final int LAST_YEAR = 2049;
    /** How many formats there are. */
    public static final int FORMAT_COUNT = 16;

    /** One format per entry, as the string it makes of 1998-03-03 (Tuesday). */
    public static final List<String> FORMATS = List.of(
            "Tuesday, March 3rd 1998", "3/3/98", "03.03.1998", "March 3, 1998", "3 Mar 98", "1998/03/03",
            "3 March 1998", "Mar 3 1998", "03/03/1998", "Tue 3 Mar 1998", "MARCH 3, 1998", "3rd of March, 1998",
            "19980303", "3-Mar-1998", "march 3 98", "Tuesday 3 March 1998");

    private static final long FIRST_DAY = LocalDate.of(FIRST_YEAR, 1, 1).toEpochDay();
    private static final long DAYS = LocalDate.of(LAST_YEAR, 12, 31).toEpochDay() - FIRST_DAY + 1;

    private static final Vocabulary SOURCE = buildSourceVocabulary();
    private static final Vocabulary TARGET = Vocabulary.of("0123456789-", Vocabulary.PAD, Vocabulary.BOS, Vocabulary.EOS);

    private Dates() {
    }

    /**
     * A human-written date and its ISO form.
     *
     * @param source the human-written date
     * @param target its ISO form {@code yyyy-mm-dd}
     * @param format the index of the format in {@link #FORMATS}
     */
    public record Example(String source, String target, int format) {
    }

    /**
     * The three parts and the vocabularies.
     *
     * @param train      training pairs
     * @param validation validation pairs
     * @param test       held-out test pairs
     */
    public record Split(List<Example> train, List<Example> validation, List<Example> test) {
        /** Copies the lists. */
        public Split {
            train = List.copyOf(train);
            validation = List.copyOf(validation);
            test = List.copyOf(test);
        }

        /** The parts as padded sequence pairs over {@link #sourceVocabulary()} and {@link #targetVocabulary()}. */
        public DataSplits dataSplits() {
            return new DataSplits(pairs(train), pairs(validation), pairs(test));
        }
    }

    /** The source vocabulary: {@value Vocabulary#PAD} and every character a format writes. */
    public static Vocabulary sourceVocabulary() {
        return SOURCE;
    }

    /** The target vocabulary: {@value Vocabulary#PAD}, {@value Vocabulary#BOS}, {@value Vocabulary#EOS}, digits and {@code -}. */
    public static Vocabulary targetVocabulary() {
        return TARGET;
    }

    private static Vocabulary buildSourceVocabulary() {
        StringBuilder b = new StringBuilder();
        LocalDate d = LocalDate.of(2000, 1, 1);
        for (int i = 0; i < 366; i++) {      // every month, weekday and day of the month in every format
            for (int f = 0; f < FORMAT_COUNT; f++) {
                b.append(format(d.plusDays(i), f));
            }
        }
        return Vocabulary.of(b.toString(), Vocabulary.PAD);
    }

    /** {@code pairs} encoded as padded sequence pairs (targets without {@value Vocabulary#BOS} or {@value Vocabulary#EOS}). */
    public static SequencePairs pairs(List<Example> pairs) {
        List<String> s = new ArrayList<>();
        List<String> t = new ArrayList<>();
        for (Example e : pairs) {
            s.add(e.source());
            t.add(e.target());
        }
        List<long[]> ts = new ArrayList<>();
        t.forEach(x -> ts.add(TARGET.encode(x)));
        List<long[]> ss = new ArrayList<>();
        s.forEach(x -> ss.add(SOURCE.encode(x)));
        return new SequencePairs(ss, ts, SOURCE.special(Vocabulary.PAD));
    }

    /** The example of {@code date} in format {@code format} (an index into {@link #FORMATS}). */
    public static Example example(LocalDate date, int format) {
        return new Example(format(date, format), date.toString(), format);
    }

    /**
     * {@code date} written in format {@code format}.
     *
     * @throws IllegalArgumentException for a format outside {@code [0, FORMAT_COUNT)}
     */
    public static String format(LocalDate date, int format) {
        int d = date.getDayOfMonth();
        int m = date.getMonthValue();
        int y = date.getYear();
        String month = name(date.getMonth());
        String mon = month.substring(0, 3);
        String day = name(date.getDayOfWeek());
        String yy = two(y % 100);
        return switch (format) {
            case 0 -> day + ", " + month + " " + d + ordinal(d) + " " + y;
            case 1 -> m + "/" + d + "/" + yy;
            case 2 -> two(d) + "." + two(m) + "." + y;
            case 3 -> month + " " + d + ", " + y;
            case 4 -> d + " " + mon + " " + yy;
            case 5 -> y + "/" + two(m) + "/" + two(d);
            case 6 -> d + " " + month + " " + y;
            case 7 -> mon + " " + d + " " + y;
            case 8 -> two(m) + "/" + two(d) + "/" + y;
            case 9 -> day.substring(0, 3) + " " + d + " " + mon + " " + y;
            case 10 -> month.toUpperCase(Locale.ROOT) + " " + d + ", " + y;
            case 11 -> d + ordinal(d) + " of " + month + ", " + y;
            case 12 -> String.valueOf(y) + two(m) + two(d);
            case 13 -> d + "-" + mon + "-" + y;
            case 14 -> month.toLowerCase(Locale.ROOT) + " " + d + " " + yy;
            case 15 -> day + " " + d + " " + month + " " + y;
            default -> throw new IllegalArgumentException("Dates: format " + format + " outside [0, " + FORMAT_COUNT + ")");
        };
    }

    private static String name(Month m) {
        return m.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    private static String name(DayOfWeek d) {
        return d.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : String.valueOf(v);
    }

    /** The English ordinal suffix of a day of the month: st, nd, rd, th (11th, 12th, 13th). */
    static String ordinal(int d) {
        if (d % 100 >= 11 && d % 100 <= 13) {
            return "th";
        }
        return switch (d % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
    }

    /** A uniformly drawn date in {@code [FIRST_YEAR-01-01, LAST_YEAR-12-31]} in a uniformly drawn format. */
    public static Example draw(Generator random) {
        LocalDate date = LocalDate.ofEpochDay(FIRST_DAY + random.nextLong(DAYS));
        return example(date, (int) random.nextLong(FORMAT_COUNT));
    }

    /**
     * {@code train + validation + test} examples with distinct source strings drawn from {@code new
     * Generator(seed)}, dealt out in the order drawn: the same seed gives the same split.
     *
     * @throws IllegalArgumentException if a size is negative or there are too few distinct strings
     */
    public static Split split(long seed, int train, int validation, int test) {
        if (train < 0 || validation < 0 || test < 0) {
            throw new IllegalArgumentException("Dates: sizes must be >= 0, got " + train + ", " + validation + ", " + test);
        }
        long total = (long) train + validation + test;
        if (total > DAYS * FORMAT_COUNT / 2) {
            throw new IllegalArgumentException("Dates: " + total + " examples asked for; at most " + DAYS * FORMAT_COUNT / 2);
        }
        Generator random = new Generator(seed);
        Set<String> seen = new LinkedHashSet<>();
        List<Example> all = new ArrayList<>();
        while (all.size() < total) {
            Example e = draw(random);
            if (seen.add(e.source())) {
                all.add(e);
            }
        }
        return new Split(all.subList(0, train), all.subList(train, train + validation),
                all.subList(train + validation, (int) total));
    }
}
