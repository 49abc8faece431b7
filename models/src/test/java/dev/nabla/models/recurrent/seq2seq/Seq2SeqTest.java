package dev.nabla.models.recurrent.seq2seq;

import dev.nabla.models.data.Dates;
import dev.nabla.models.nn.BeamSearch;
import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.SequencePairs;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.family.SampleRequest;
import dev.nabla.models.family.Samples;
import dev.nabla.models.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The encoder-decoder: a tiny one learns to copy strings in a few hundred steps, padding does not change
 * an encoding, beam width 1 decodes as greedy, and the translator refuses bad inputs by name.
 */
class Seq2SeqTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("native"));
    private static final Vocabulary SOURCE = Vocabulary.of("abcd", Vocabulary.PAD);
    private static final Vocabulary TARGET = Vocabulary.of("abcd", Vocabulary.PAD, Vocabulary.BOS, Vocabulary.EOS);

    private static List<String> strings(long seed, int n) {
        Generator g = new Generator(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            int len = 2 + (int) g.nextLong(3);
            for (int k = 0; k < len; k++) {
                b.append("abcd".charAt((int) g.nextLong(4)));
            }
            out.add(b.toString());
        }
        return out;
    }

    private static Seq2Seq<?> net(Seq2Seq.Cell cell, long seed) {
        return Seq2Seq.create(cell, F, new Generator(seed), SOURCE.size(), TARGET.size(), 8, 48,
                TARGET.special(Vocabulary.PAD), TARGET.special(Vocabulary.BOS), TARGET.special(Vocabulary.EOS));
    }

    private static SequencePairs copies(List<String> s) {
        List<long[]> src = new ArrayList<>();
        List<long[]> tgt = new ArrayList<>();
        s.forEach(x -> src.add(SOURCE.encode(x)));
        s.forEach(x -> tgt.add(TARGET.encode(x)));
        return new SequencePairs(src, tgt, SOURCE.special(Vocabulary.PAD));
    }

    private static List<String> decode(Seq2Seq<?> net, SequencePairs data, int beam) {
        List<String> out = new ArrayList<>();
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            Batch b = data.all(F);
            for (BeamSearch.Hypothesis h : net.decode(b.get(SequencePairs.SOURCE),
                    b.get(SequencePairs.SOURCE_LENGTH).toLongArray(), beam, 8)) {
                StringBuilder t = new StringBuilder();
                for (long id : h.tokens()) {
                    t.append(TARGET.token(id));
                }
                out.add(t.toString());
            }
        }
        return out;
    }

    @Test
    void aTinyGruLearnsToCopyStrings() {
        List<String> train = strings(1, 2000);
        List<String> test = strings(2, 200);
        SequencePairs data = copies(train);
        try (Seq2Seq<?> net = net(Seq2Seq.Cell.GRU, 3)) {
            Adam adam = new Adam(net.namedParameters(), 1e-2);
            Generator shuffle = new Generator(4);
            double first = 0;
            double last = 0;
            int steps = 400;
            int[] order = Batches.permutation(shuffle, data.size());
            for (int step = 0; step < steps; step++) {
                try (Scope s = Scope.open()) {
                    adam.zeroGrad();
                    Batch b = data.batch(F, Batches.batch(order, 32, step % (data.size() / 32)));
                    Tensor loss = net.loss(b.get(SequencePairs.SOURCE), b.get(SequencePairs.SOURCE_LENGTH).toLongArray(),
                            b.get(SequencePairs.TARGET), b.get(SequencePairs.TARGET_LENGTH).toLongArray());
                    loss.backward();
                    adam.step();
                    if (step < 10) {
                        first += loss.item() / 10;
                    }
                    if (step >= steps - 10) {
                        last += loss.item() / 10;
                    }
                }
            }
            assertTrue(first > 1.2, "starts near log 7: " + first);
            assertTrue(last < 0.1, "learns to copy: loss " + first + " -> " + last);
            List<String> greedy = decode(net, copies(test), 1);
            int right = 0;
            for (int i = 0; i < test.size(); i++) {
                right += greedy.get(i).equals(test.get(i)) ? 1 : 0;
            }
            assertTrue(right >= 0.95 * test.size(), "copies " + right + " of " + test.size() + " held-out strings");
            List<String> beam = decode(net, copies(test), 3);
            int beamRight = 0;
            for (int i = 0; i < test.size(); i++) {
                beamRight += beam.get(i).equals(test.get(i)) ? 1 : 0;
            }
            assertTrue(beamRight >= 0.95 * test.size(), "beam 3 copies " + beamRight);
        }
    }

    @Test
    void beamWidthOneDecodesAsGreedyOnAnUntrainedModel() {
        for (Seq2Seq.Cell cell : Seq2Seq.Cell.values()) {
            try (Seq2Seq<?> net = net(cell, 5)) {
                SequencePairs d = copies(strings(6, 50));
                List<String> greedy = decode(net, d, 1);
                List<String> viaBeam = new ArrayList<>();
                try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                    Batch b = d.all(F);
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    BeamSearch<Object> search = new BeamSearch<>((BeamSearch.Scorer) net.scorer(), net.bos(), net.eos(), 8);
                    Object start = net.encode(b.get(SequencePairs.SOURCE), b.get(SequencePairs.SOURCE_LENGTH).toLongArray());
                    for (BeamSearch.Hypothesis h : search.beam(start, d.size(), 1)) {
                        StringBuilder t = new StringBuilder();
                        for (long id : h.tokens()) {
                            t.append(TARGET.token(id));
                        }
                        viaBeam.add(t.toString());
                    }
                }
                assertEquals(greedy, viaBeam, cell.name());
            }
        }
    }

    @Test
    void paddingDoesNotChangeAnEncoding() {
        for (Seq2Seq.Cell cell : Seq2Seq.Cell.values()) {
            try (Seq2Seq<?> net = net(cell, 7); GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                long[] alone = SOURCE.encode("abc");
                Seq2Seq.DecoderState<?> one = net.encode(F.of(alone, 1, 3), new long[] {3});
                long[] padded = {alone[0], alone[1], alone[2], 0, 0, 1, 2, 3, 0, 1};
                Seq2Seq.DecoderState<?> two = net.encode(F.of(padded, 2, 5), new long[] {3, 5});
                float[] a = one.context().toFloatArray();
                float[] b = two.context().toFloatArray();
                assertArrayEquals(a, java.util.Arrays.copyOf(b, a.length), 1e-6f, cell.name());
            }
        }
    }

    @Test
    void theTranslatorRefusesBadInputsByName() {
        try (Seq2SeqModel m = new Seq2SeqModel("seq2seq-gru", Seq2Seq.Cell.GRU, dev.nabla.api.spi.Config.keys("seq2seq-gru", Map.of("hidden", 8, "embed", 4), Set.of("hidden", "embed")),
                Dates.sourceVocabulary(), Dates.targetVocabulary(), F, new Generator(1))) {
            Generator g = new Generator(2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.sample(new SampleRequest(1, g, Map.of("input", ""))));
            assertEquals("sample: --input must not be empty", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> m.sample(new SampleRequest(1, g, Map.of("input", "3/3/9€"))));
            assertTrue(e.getMessage().contains("character '€' (U+20AC) at position 5"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> m.sample(new SampleRequest(1, g, Map.of("input", "3/3/98", "beam", "0"))));
            assertEquals("sample: --beam must be from 1 to 64, got 0", e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> m.sample(new SampleRequest(1, g, Map.of("input", "3/3/98", "temperature", "1"))));
            assertTrue(e.getMessage().contains("does not take --temperature"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> new Seq2SeqModel("seq2seq-gru", Seq2Seq.Cell.GRU,
                    dev.nabla.api.spi.Config.keys("seq2seq-gru", Map.of("beam", 65), Set.of("beam")), Dates.sourceVocabulary(), Dates.targetVocabulary(), F, new Generator(1)));
            assertTrue(e.getMessage().contains("beam"), e.getMessage());
            Samples.Text t = (Samples.Text) m.sample(new SampleRequest(1, g, Map.of("input", "3/3/98", "beam", "3")));
            assertEquals(1, t.texts().size());
            Samples.Text drawn = (Samples.Text) m.sample(new SampleRequest(3, g));
            assertEquals(3, drawn.texts().size());
            assertTrue(drawn.texts().getFirst().contains(" -> "), drawn.texts().getFirst());
        }
    }
}
