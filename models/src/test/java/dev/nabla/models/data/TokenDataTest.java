package dev.nabla.models.data;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.models.checkpoint.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Typed batches and token data: batches keep each tensor's dtype; the character vocabulary (ids,
 * unknown characters, specials, a JSON round trip); token streams split by position and cut into
 * windows whose rows continue from batch to batch (exact tensors on hand-made strings, and Tiny
 * Shakespeare); padded sequence pairs with lengths and bool masks.
 */
class TokenDataTest {
    @Test
    void aMissingTextIsAUsageErrorNamingTheFileAndHowToPointAtIt() {
        Path nowhere = Path.of("no-such-folder-for-nabla-data");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataCatalog.text(DataCatalog.TINY_SHAKESPEARE, nowhere));
        assertTrue(e.getMessage().contains(nowhere.resolve("tinyshakespeare.txt").toAbsolutePath().toString())
                && e.getMessage().contains("NABLA_DATA"), e.getMessage());
    }

    static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));
    /** The shared copy of Tiny Shakespeare (read in place, never copied). */
    static final Path SHAKESPEARE = Path.of("/work/shared/data/tinyshakespeare.txt");

    @Test
    void aBatchKeepsEachTensorsDtypeAndNamesWhatItLacks() {
        try (Scope s = Scope.open()) {
            ArrayDataset d = new ArrayDataset(new float[] {1, 2, 3, 4, 5, 6}, Shape.of(2), new int[] {7, 8, 9});
            Batch b = d.batch(F, new int[] {2, 0});
            assertEquals(2, b.size());
            assertEquals(List.of("x", "label"), List.copyOf(b.names()));
            assertEquals(DType.FLOAT32, b.get("x").dtype());
            assertEquals(DType.INT64, b.get("label").dtype());
            assertArrayEquals(new float[] {5, 6, 1, 2}, b.get("x").toFloatArray());
            assertArrayEquals(new long[] {9, 7}, b.get("label").toLongArray());
            assertArrayEquals(new int[] {2, 0}, b.indices());
            var e = assertThrows(IllegalArgumentException.class, () -> b.get("y"));
            assertTrue(e.getMessage().contains("'y'") && e.getMessage().contains("[x, label]"), e.getMessage());
            assertEquals(Shape.of(2), d.exampleShape("x"));
            assertEquals(Shape.of(), d.exampleShape("label"));
            var rows = assertThrows(IllegalArgumentException.class, () -> Batch.of(Map.of("a", F.zeros(3), "b", F.zeros(4))));
            assertTrue(rows.getMessage().contains("rows"), rows.getMessage());
            Batch empty = Batch.rows(5);
            assertEquals(5, empty.size());
            assertTrue(empty.names().isEmpty());
            assertNull(empty.indices());
            var none = assertThrows(IllegalArgumentException.class, () -> empty.get("x"));
            assertTrue(none.getMessage().contains("5 rows without data"), none.getMessage());
        }
        Batch outside = new ArrayDataset(new float[] {1, 2}, Shape.of(1), null).all(F);
        Tensor x = outside.get("x");
        outside.close();
        assertTrue(x.isReleased(), "close releases the batch's tensors");
    }

    @Test
    void theVocabularyEncodesDecodesAndNamesUnknownCharacters() {
        Vocabulary v = Vocabulary.of("hello");
        assertEquals(4, v.size());
        assertArrayEquals(new long[] {1, 3, 2, 0}, v.encode("hole"));   // e=0 h=1 l=2 o=3
        assertEquals("hole", v.decode(1, 3, 2, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> v.encode("help"));
        assertTrue(e.getMessage().contains("'p' (U+0070) at 3"), e.getMessage());
        var nl = assertThrows(IllegalArgumentException.class, () -> v.encode("he\n"));
        assertTrue(nl.getMessage().contains("(U+000A) at 2"), nl.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.decode(4));

        Vocabulary u = Vocabulary.of("hello", Vocabulary.PAD, Vocabulary.UNKNOWN);
        assertEquals(6, u.size());
        assertArrayEquals(new long[] {3, 2, 4, 1}, u.encode("help"));   // <pad>=0 <unk>=1 e=2 h=3 l=4 o=5
        assertEquals("hel<unk>", u.decode(u.encode("help")));
        assertEquals(0, u.special(Vocabulary.PAD));
        var special = assertThrows(IllegalArgumentException.class, () -> u.special(Vocabulary.EOS));
        assertTrue(special.getMessage().contains("<eos>"), special.getMessage());

        // stored in a checkpoint's JSON configuration and read back, characters outside the BMP included
        Vocabulary w = Vocabulary.of("a\"b\n\t😀", Vocabulary.UNKNOWN);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Json.parse(Json.write(w.toConfig()));
        Vocabulary r = Vocabulary.fromConfig(back);
        assertEquals(w, r);
        assertArrayEquals(w.encode("b😀a?"), r.encode("b😀a?"));
        var bad = assertThrows(IllegalArgumentException.class, () -> Vocabulary.fromConfig(Map.of("chars", "ab", "spec", 1)));
        assertTrue(bad.getMessage().contains("unknown key 'spec'"), bad.getMessage());
    }

    @Test
    void windowsContinueEachRowFromOneBatchToTheNext() {
        // 26 tokens 0..25 in B = 2 rows: segments of L = 13 (rows start at 0 and 13), ⌊12 / 3⌋ = 4 windows of T = 3
        long[] tokens = new long[26];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = i;
        }
        Dataset w = new TokenStream(tokens).windows(2, 3);
        assertEquals(8, w.size());
        assertEquals(Shape.of(3), w.exampleShape(TokenStream.INPUT));
        try (Scope s = Scope.open()) {
            long[][] inputs = {{0, 1, 2, 13, 14, 15}, {3, 4, 5, 16, 17, 18}, {6, 7, 8, 19, 20, 21}, {9, 10, 11, 22, 23, 24}};
            for (int b = 0; b < 4; b++) {   // batch b of a loop with shuffle(false) and batch size 2
                Batch batch = w.batch(F, Batches.batch(Batches.sequential(8), 2, b));
                assertEquals(DType.INT64, batch.get(TokenStream.INPUT).dtype());
                assertEquals(Shape.of(2, 3), batch.get(TokenStream.INPUT).shape());
                assertArrayEquals(inputs[b], batch.get(TokenStream.INPUT).toLongArray(), "inputs of batch " + b);
                long[] next = new long[6];
                for (int i = 0; i < 6; i++) {
                    next[i] = inputs[b][i] + 1;
                }
                assertArrayEquals(next, batch.get(TokenStream.TARGET).toLongArray(), "targets of batch " + b);
            }
        }
        var tooShort = assertThrows(IllegalArgumentException.class, () -> new TokenStream(tokens).windows(4, 6));
        assertTrue(tooShort.getMessage().contains("26 tokens") && tooShort.getMessage().contains("4 rows"),
                tooShort.getMessage());
    }

    @Test
    void aStreamSplitsByPosition() {
        TokenStream t = TokenStream.of("abcdefghij", Vocabulary.of("abcdefghij"));
        TokenStream.Split s = t.split(0.6, 0.2);
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, s.train().tokens());
        assertArrayEquals(new long[] {6, 7}, s.validation().tokens());
        assertArrayEquals(new long[] {8, 9}, s.test().tokens());
        var e = assertThrows(IllegalArgumentException.class, () -> t.split(0.9, 0.2));
        assertTrue(e.getMessage().contains("train=0.9") && e.getMessage().contains("validation=0.2"), e.getMessage());
    }

    @Test
    void tinyShakespeareAsCharacterWindows() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(SHAKESPEARE), "no " + SHAKESPEARE);
        String text = DataCatalog.text(DataCatalog.TINY_SHAKESPEARE, SHAKESPEARE.getParent());
        assertEquals(1_115_394, text.length());
        Vocabulary v = Vocabulary.of(text);
        assertEquals(65, v.size(), "Karpathy's char-rnn vocabulary: 65 characters");
        assertEquals(text, v.decode(v.encode(text)), "encoding loses nothing");
        DataSplits d = TokenStream.of(text, v).windows(32, 128, 0.9, 0.05);
        int trainTokens = (int) Math.floor(0.9 * text.length());
        assertEquals(32 * ((trainTokens / 32 - 1) / 128), d.train().size());
        try (Scope s = Scope.open()) {
            int perRow = d.train().size() / 32;
            Batch first = d.train().batch(F, Batches.batch(Batches.sequential(d.train().size()), 32, 0));
            Batch second = d.train().batch(F, Batches.batch(Batches.sequential(d.train().size()), 32, 1));
            String row5 = v.decode(java.util.Arrays.copyOfRange(first.get(TokenStream.INPUT).toLongArray(), 5 * 128, 6 * 128));
            String row5next = v.decode(java.util.Arrays.copyOfRange(second.get(TokenStream.INPUT).toLongArray(), 5 * 128, 6 * 128));
            int segment = trainTokens / 32;
            assertEquals(text.substring(5 * segment, 5 * segment + 256), row5 + row5next,
                    "row 5 of batch 1 continues row 5 of batch 0 in the text");
            assertEquals(text.substring(1, 129), v.decode(java.util.Arrays.copyOf(first.get(TokenStream.TARGET).toLongArray(), 128)));
            assertTrue(perRow > 100, "windows per row: " + perRow);
        }
        assertFalse(DataCatalog.names().isEmpty());
        var e = assertThrows(IllegalArgumentException.class, () -> DataCatalog.splits(DataCatalog.TINY_SHAKESPEARE, 1));
        assertTrue(e.getMessage().contains("TokenStream"), e.getMessage());
    }

    @Test
    void sequencePairsArePaddedWithLengthsAndMasks() {
        Vocabulary v = Vocabulary.of("abc", Vocabulary.PAD, Vocabulary.BOS, Vocabulary.EOS);   // <pad>=0 <bos>=1 <eos>=2 a=3 b=4 c=5
        SequencePairs p = SequencePairs.of(List.of("abc", "a", ""), List.of("cba", "a", "bb"), v);
        assertEquals(3, p.size());
        assertNull(p.exampleShape(SequencePairs.SOURCE), "padded to each batch's longest");
        try (Scope s = Scope.open()) {
            Batch b = p.batch(F, new int[] {1, 0, 2});
            assertArrayEquals(new long[] {3, 0, 0, 3, 4, 5, 0, 0, 0}, b.get(SequencePairs.SOURCE).toLongArray());
            assertEquals(Shape.of(3, 3), b.get(SequencePairs.SOURCE).shape());
            assertArrayEquals(new long[] {1, 3, 0}, b.get(SequencePairs.SOURCE_LENGTH).toLongArray());
            assertArrayEquals(new long[] {1, 3, 2}, b.get(SequencePairs.TARGET_LENGTH).toLongArray());
            assertEquals(DType.BOOL, b.get(SequencePairs.SOURCE_MASK).dtype());
            assertArrayEquals(new long[] {1, 0, 0, 1, 1, 1, 0, 0, 0},
                    b.get(SequencePairs.SOURCE_MASK).to(DType.INT64).toLongArray());
            assertArrayEquals(new long[] {3, 0, 0, 5, 4, 3, 4, 4, 0}, b.get(SequencePairs.TARGET).toLongArray());
            assertArrayEquals(new long[] {1, 0, 0, 1, 1, 1, 1, 1, 0},
                    b.get(SequencePairs.TARGET_MASK).to(DType.INT64).toLongArray());
            Batch onlyEmpty = p.batch(F, new int[] {2});
            assertEquals(Shape.of(1, 0), onlyEmpty.get(SequencePairs.SOURCE).shape());
        }
        var e = assertThrows(IllegalArgumentException.class, () -> new SequencePairs(List.of(new long[1]), List.of(), 0));
        assertTrue(e.getMessage().contains("1 sources but 0 targets"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> p.batch(F, new int[] {3}));
    }
}
