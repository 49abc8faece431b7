package dev.nabla.models.transformer;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.SequencePairs;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.PairsObjective;
import dev.nabla.models.family.SampleRequest;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.SequenceDataSets;
import dev.nabla.models.nn.BeamSearch;
import dev.nabla.models.nn.TransformerDecoderLayer;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.optim.LrSchedule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code transformer} on the dates: the decoder stepped over its caches gives the log-probabilities of the
 * full teacher-forced pass (post-LN and pre-LN, sinusoidal and learned positions), beam width 1 is greedy, a
 * tiny model's loss falls under the warm-up schedule, and bad input is refused by name.
 */
class TranslatorTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("native"));
    private static final DataSplits DATES = SequenceDataSets.dates(1, Map.of("examples", 600));
    private static final Map<String, Object> DESCRIPTION = SequenceDataSets.describeDates(DATES);

    private static TranslationModel model(Map<String, Object> extra) {
        Map<String, Object> keys = new LinkedHashMap<>(Map.of("dModel", 16, "heads", 2, "feedforward", 32, "layers", 1,
                "dropout", 0.0));
        keys.putAll(extra);
        return (TranslationModel) new TransformerFamily().build(new ModelRequest("transformer", "dates", keys, DESCRIPTION,
                F, new Generator(1), null));
    }

    @Test
    void steppingOverTheCachesGivesTheFullPassPostAndPreLnSinusoidalAndLearned() {
        for (Map<String, Object> k : List.of(Map.<String, Object>of("norm", "post"), Map.<String, Object>of("norm", "pre",
                "positions", "learned", "layers", 2))) {
            try (TranslationModel m = model(k); GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                Translator net = m.network();
                net.eval();
                Batch b = ((SequencePairs) DATES.validation()).batch(F, new int[] {0, 1, 2, 3});
                Tensor src = b.get(SequencePairs.SOURCE);
                long[] lengths = b.get(SequencePairs.SOURCE_LENGTH).toLongArray();
                long[] tgt = b.get(SequencePairs.TARGET).toLongArray();
                int rows = 4;
                int steps = 6;
                long[] in = new long[rows * steps];
                for (int i = 0; i < rows; i++) {
                    in[i * steps] = net.bos();
                    for (int t = 1; t < steps; t++) {
                        in[i * steps + t] = tgt[i * b.get(SequencePairs.TARGET).dim(1) + t - 1];
                    }
                }
                double[] full = net.logits(src, lengths, F.of(in, rows, steps)).logSoftmax(-1).toDoubleArray();
                int v = full.length / (rows * steps);
                List<TransformerDecoderLayer.Cache> owned = new ArrayList<>();
                BeamSearch.Scorer<Translator.DecoderState> scorer = net.scorer(owned);
                Translator.Memory memory = net.encode(src, lengths);
                Translator.DecoderState state = net.start(memory, owned);
                double worst = 0;
                for (int t = 0; t < steps; t++) {
                    long[] col = new long[rows];
                    for (int i = 0; i < rows; i++) {
                        col[i] = in[i * steps + t];
                    }
                    BeamSearch.Step<Translator.DecoderState> st = scorer.step(state, col);
                    for (int i = 0; i < rows; i++) {
                        for (int c = 0; c < v; c++) {
                            worst = Math.max(worst, Math.abs(st.logProbs()[i * v + c] - full[(i * steps + t) * v + c]));
                        }
                    }
                    state = t == 2 ? scorer.select(st.state(), new int[] {0, 1, 2, 3}) : st.state();   // a select keeps rows
                }
                owned.forEach(TransformerDecoderLayer.Cache::close);
                assertTrue(worst < 1e-5, k + ": stepped log-probabilities off by " + worst);
            }
        }
    }

    @Test
    void beamWidthOneIsGreedyAndTranslationsAreDates() {
        try (TranslationModel m = model(Map.of())) {
            Translator net = m.network();
            net.eval();
            Batch b = ((SequencePairs) DATES.test()).batch(F, new int[] {0, 1, 2, 3, 4, 5});
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                List<TransformerDecoderLayer.Cache> owned = new ArrayList<>();
                List<BeamSearch.Hypothesis> beam = net.search(owned, 12).beam(net.start(net.encode(b.get(SequencePairs.SOURCE),
                        b.get(SequencePairs.SOURCE_LENGTH).toLongArray()), owned), 6, 1);
                owned.forEach(TransformerDecoderLayer.Cache::close);
                List<BeamSearch.Hypothesis> greedy = net.decode(b.get(SequencePairs.SOURCE),
                        b.get(SequencePairs.SOURCE_LENGTH).toLongArray(), 1, 12);
                for (int i = 0; i < 6; i++) {
                    assertEquals(java.util.Arrays.toString(greedy.get(i).tokens()), java.util.Arrays.toString(beam.get(i).tokens()));
                    assertEquals(greedy.get(i).score(), beam.get(i).score(), 1e-9);
                }
                List<BeamSearch.Hypothesis> wide = net.decode(b.get(SequencePairs.SOURCE),
                        b.get(SequencePairs.SOURCE_LENGTH).toLongArray(), 4, 12);
                for (int i = 0; i < 6; i++) {
                    assertTrue(!wide.get(i).finished() || !greedy.get(i).finished()
                            || wide.get(i).score() >= greedy.get(i).score() - 1e-9, "beam 4 finds no worse a finished hypothesis");
                }
            }
            assertEquals(3, m.translate(List.of("3/3/98", "Tuesday, March 3rd 1998", "12.11.2001"), 2).size());
        }
    }

    @Test
    void aTinyModelLearnsUnderTheWarmupSchedule() {
        try (TranslationModel m = model(Map.of("labelSmoothing", 0.1))) {
            SequencePairs train = (SequencePairs) DATES.train();
            PairsObjective objective = m.objective(train, (SequencePairs) DATES.validation());
            double before = objective.validationLoss(200, new Generator(1));
            LrSchedule schedule = LrSchedule.noam(16, 25);
            try (Adam adam = new Adam(m.parameters(), schedule.lr(0))) {
                Generator g = new Generator(2);
                for (int step = 0; step < 100; step++) {
                    int[] batch = new int[16];
                    for (int i = 0; i < batch.length; i++) {
                        batch[i] = (int) g.nextLong(train.size());
                    }
                    schedule.apply(adam);
                    try (Scope s = Scope.open()) {
                        Tensor loss = objective.loss(batch, 16, g);
                        adam.zeroGrad();
                        loss.backward();
                        adam.step();
                    }
                }
            }
            double after = objective.validationLoss(200, new Generator(1));
            assertTrue(after < 0.5 * before, "validation cross-entropy " + before + " -> " + after);
        }
    }

    @Test
    void badInputIsNamed() {
        try (TranslationModel m = model(Map.of("maxPositions", 20, "maxLength", 12))) {
            String tooLong = assertThrows(IllegalArgumentException.class, () -> m.sample(new SampleRequest(1,
                    new Generator(1), Map.of("input", "Wednesday, September 23rd 1998")))).getMessage();
            assertTrue(tooLong.contains("30 characters") && tooLong.contains("20 source positions"), tooLong);
            String unknown = assertThrows(IllegalArgumentException.class, () -> m.sample(new SampleRequest(1,
                    new Generator(1), Map.of("input", "3/3/98#")))).getMessage();
            assertTrue(unknown.contains("'#'") && unknown.contains("position 6"), unknown);
            Samples.Text t = (Samples.Text) m.sample(new SampleRequest(2, new Generator(1), Map.of("beam", "2")));
            assertEquals(2, t.texts().size());
            assertTrue(t.texts().getFirst().contains(" -> "), t.texts().toString());
        }
        String heads = assertThrows(IllegalArgumentException.class, () -> model(Map.of("heads", 3))).getMessage();
        assertTrue(heads.contains("heads=3") && heads.contains("dModel=16"), heads);
        String norm = assertThrows(IllegalArgumentException.class, () -> model(Map.of("norm", "middle"))).getMessage();
        assertTrue(norm.contains("norm") && norm.contains("middle"), norm);
        String ls = assertThrows(IllegalArgumentException.class, () -> model(Map.of("labelSmoothing", 1.5))).getMessage();
        assertTrue(ls.contains("labelSmoothing"), ls);
    }
}
