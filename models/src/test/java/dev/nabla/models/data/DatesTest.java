package dev.nabla.models.data;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dates data set: seeded, every format drawn, each string read one way only, splits disjoint. */
class DatesTest {
    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        Dates.Split a = Dates.split(3, 500, 50, 50);
        Dates.Split b = Dates.split(3, 500, 50, 50);
        Dates.Split c = Dates.split(4, 500, 50, 50);
        assertEquals(a, b);
        assertNotEquals(a.train(), c.train());
        assertEquals(500, a.train().size());
        assertEquals(50, a.test().size());
    }

    @Test
    void eachFormatWritesItsDocumentedExampleAndEveryFormatIsDrawn() {
        LocalDate d = LocalDate.of(1998, 3, 3);
        assertTrue(Dates.FORMATS.size() >= 10);
        assertEquals(Dates.FORMAT_COUNT, Dates.FORMATS.size());
        for (int f = 0; f < Dates.FORMAT_COUNT; f++) {
            assertEquals(Dates.FORMATS.get(f), Dates.format(d, f), "format " + f);
            assertEquals("1998-03-03", Dates.example(d, f).target());
        }
        assertEquals("Tuesday, March 3rd 1998", Dates.format(d, 0));
        assertEquals("3/3/98", Dates.format(d, 1));
        assertEquals("Sunday, November 11th 2012", Dates.format(LocalDate.of(2012, 11, 11), 0));
        assertEquals("22nd of February, 2021", Dates.format(LocalDate.of(2021, 2, 22), 11));
        assertEquals("2/1/49", Dates.format(LocalDate.of(2049, 2, 1), 1));
        int[] seen = new int[Dates.FORMAT_COUNT];
        for (Dates.Example e : Dates.split(1, 2000, 0, 0).train()) {
            seen[e.format()]++;
            assertEquals(e.source(), Dates.format(LocalDate.parse(e.target()), e.format()));
        }
        for (int f = 0; f < seen.length; f++) {
            assertTrue(seen[f] > 2000 / Dates.FORMAT_COUNT / 2, "format " + f + " drawn " + seen[f] + " times");
        }
        assertThrows(IllegalArgumentException.class, () -> Dates.format(d, Dates.FORMAT_COUNT));
    }

    @Test
    void noStringHasTwoReadings() {
        Map<String, String> reading = new HashMap<>();
        LocalDate first = LocalDate.of(Dates.FIRST_YEAR, 1, 1);
        LocalDate last = LocalDate.of(Dates.LAST_YEAR, 12, 31);
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(7)) {   // every weekday, month and year
            for (int f = 0; f < Dates.FORMAT_COUNT; f++) {
                String s = Dates.format(d, f);
                String before = reading.put(s, d.toString());
                assertTrue(before == null || before.equals(d.toString()), s + " reads as " + before + " and " + d);
            }
        }
        // two-digit years: below 50 is this century
        assertEquals("2049-02-01", reading.computeIfAbsent("2/1/49", k -> Dates.example(LocalDate.of(2049, 2, 1), 1).target()));
        assertEquals("1950-01-01", Dates.example(LocalDate.of(1950, 1, 1), 1).target());
    }

    @Test
    void theSplitsShareNoSourceString() {
        Dates.Split s = Dates.split(9, 3000, 300, 300);
        Set<String> train = new HashSet<>();
        s.train().forEach(e -> assertTrue(train.add(e.source()), "duplicate in train: " + e.source()));
        Set<String> validation = new HashSet<>();
        for (Dates.Example e : s.validation()) {
            assertFalse(train.contains(e.source()), e.source());
            validation.add(e.source());
        }
        for (Dates.Example e : s.test()) {
            assertFalse(train.contains(e.source()) || validation.contains(e.source()), e.source());
        }
    }

    @Test
    void theVocabulariesAreFixedByTheFormats() {
        Vocabulary source = Dates.sourceVocabulary();
        Vocabulary target = Dates.targetVocabulary();
        assertEquals(List.of(Vocabulary.PAD), source.specials());
        assertEquals(List.of(Vocabulary.PAD, Vocabulary.BOS, Vocabulary.EOS), target.specials());
        assertEquals(3 + 11, target.size());
        for (Dates.Example e : Dates.split(5, 3000, 0, 0).train()) {
            source.encode(e.source());    // every drawn character has an id
            target.encode(e.target());
        }
        assertTrue(source.contains('W') && source.contains(',') && source.contains('/') && !source.contains('@'));
        assertNull(null);
        var d = Dates.split(2, 10, 2, 3).dataSplits();
        assertEquals(10, d.train().size());
        assertEquals(3, d.test().size());
    }
}
