package dev.nabla.models.recurrent.lm;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.TokenStream;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.family.SampleRequest;
import dev.nabla.models.family.Samples;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The language model's numbers against independent computations on the reference backend: bits per
 * character against one long forward pass per row and a float64 log-softmax by hand; truncated BPTT's
 * carried state and window losses against one long pass (detaching does not change values); sampling
 * against the generator's own draws.
 */
class LanguageModelsTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));
    private static final String TEXT = "to be or not to be, that is the question: whether 'tis nobler in the mind "
            + "to suffer the slings and arrows of outrageous fortune, or to take arms against a sea of troubles";

    private static CharLanguageModel model(CharLanguageModel.Cell cell, Vocabulary v) {
        return new CharLanguageModel(F, new Generator(7), v.size(), 6, 10, cell, 2, 0.0);
    }

    /** {@code −Σ log softmax(logits)[target]} in float64 over rows of {@code logits} {@code [n, V]}. */
    private static double crossEntropySum(float[] logits, long[] targets, int v) {
        double sum = 0;
        for (int i = 0; i < targets.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) {
                max = Math.max(max, logits[i * v + j]);
            }
            double z = 0;
            for (int j = 0; j < v; j++) {
                z += Math.exp(logits[i * v + j] - max);
            }
            sum -= logits[i * v + (int) targets[i]] - max - Math.log(z);
        }
        return sum;
    }

    @Test
    void bitsPerCharacterAgreeWithOneLongPassPerRowAndAHandLogSoftmax() {
        Vocabulary v = Vocabulary.of(TEXT);
        TokenStream s = TokenStream.of(TEXT, v);
        for (CharLanguageModel.Cell cell : CharLanguageModel.Cell.values()) {
            try (CharLanguageModel m = model(cell, v)) {
                int bptt = 5;
                LanguageModels.Nats n = LanguageModels.nats(m, s, bptt);
                // the protocol: min(32, n / (bptt + 1)) rows of floor((L − 1) / bptt) windows each
                long[] tokens = s.tokens();
                int rows = Math.min(LanguageModels.EVAL_ROWS, tokens.length / (bptt + 1));
                int segment = tokens.length / rows;
                int covered = (segment - 1) / bptt * bptt;
                double sum = 0;
                try (GradMode ignored = Autograd.noGrad()) {
                    for (int r = 0; r < rows; r++) {
                        long[] in = java.util.Arrays.copyOfRange(tokens, r * segment, r * segment + covered);
                        long[] target = java.util.Arrays.copyOfRange(tokens, r * segment + 1, r * segment + covered + 1);
                        float[] logits = m.forward(F.of(in, 1, covered), m.initialState(1)).logits().toFloatArray();
                        sum += crossEntropySum(logits, target, v.size());
                    }
                }
                assertEquals((long) rows * covered, n.count(), cell.name());
                assertEquals(sum, n.sum(), 1e-4 * Math.abs(sum), cell.name());
                assertEquals(n.sum() / n.count() / Math.log(2), n.bits(), 1e-12);
                assertTrue(Math.abs(n.mean() - Math.log(v.size())) < 0.5, "an untrained model is near uniform: " + n.mean());
            }
        }
    }

    @Test
    void truncatedBpttCarriesTheStateOfOneLongPass() {
        Vocabulary v = Vocabulary.of(TEXT);
        TokenStream s = TokenStream.of(TEXT, v);
        int rows = 2;
        int bptt = 4;
        for (CharLanguageModel.Cell cell : new CharLanguageModel.Cell[] {CharLanguageModel.Cell.LSTM, CharLanguageModel.Cell.GRU}) {
            try (CharLanguageModel m = model(cell, v)) {
                LanguageModelObjective o = new LanguageModelObjective(m, s, null, rows, bptt);
                double[] losses = new double[3];
                for (int w = 0; w < 3; w++) {
                    for (Tensor p : m.namedParameters().values()) {
                        p.zeroGrad();
                    }
                    Tensor loss = o.loss(new int[] {w * rows, w * rows + 1}, rows, new Generator(1));
                    losses[w] = loss.item();
                    loss.backward();   // the graph reads the window's start state while the next one is written
                }
                Map<String, Tensor> carried = o.runState();
                // one pass over the rows' first 12 tokens
                long[] tokens = s.tokens();
                int segment = tokens.length / rows;
                long[] in = new long[rows * 3 * bptt];
                long[] target = new long[rows * 3 * bptt];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(tokens, r * segment, in, r * 3 * bptt, 3 * bptt);
                    System.arraycopy(tokens, r * segment + 1, target, r * 3 * bptt, 3 * bptt);
                }
                try (GradMode ignored = Autograd.noGrad()) {
                    CharLanguageModel.Output whole = m.forward(F.of(in, rows, 3 * bptt), m.initialState(rows));
                    for (int i = 0; i < whole.state().tensors().size(); i++) {
                        assertArrayEquals(whole.state().tensors().get(i).toFloatArray(),
                                carried.get("carry." + i).toFloatArray(), 1e-6f, cell + " carry." + i);
                    }
                    float[] logits = whole.logits().toFloatArray();
                    int vs = v.size();
                    for (int w = 0; w < 3; w++) {
                        double sum = 0;
                        for (int r = 0; r < rows; r++) {
                            int from = r * 3 * bptt + w * bptt;
                            sum += crossEntropySum(java.util.Arrays.copyOfRange(logits, from * vs, (from + bptt) * vs),
                                    java.util.Arrays.copyOfRange(target, from, from + bptt), vs);
                        }
                        assertEquals(sum / (rows * bptt), losses[w], 1e-5, cell + " window " + w);
                    }
                }
                // the first window of an epoch starts afresh
                double again = o.loss(new int[] {0, 1}, rows, new Generator(1)).item();
                assertEquals(losses[0], again, 1e-6);
                o.end();
            }
        }
    }

    @Test
    void theCarriedStateComesBackFromACheckpointMap() {
        Vocabulary v = Vocabulary.of(TEXT);
        TokenStream s = TokenStream.of(TEXT, v);
        try (CharLanguageModel m = model(CharLanguageModel.Cell.LSTM, v)) {
            LanguageModelObjective a = new LanguageModelObjective(m, s, null, 2, 4);
            a.loss(new int[] {0, 1}, 2, new Generator(1));
            double next = a.loss(new int[] {2, 3}, 2, new Generator(1)).item();
            LanguageModelObjective b = new LanguageModelObjective(m, s, null, 2, 4);
            LanguageModelObjective c = new LanguageModelObjective(m, s, null, 2, 4);
            c.loss(new int[] {0, 1}, 2, new Generator(1));
            b.loadRunState(c.runState());
            assertEquals(next, b.loss(new int[] {2, 3}, 2, new Generator(1)).item(), 0.0, "resumed window = carried window");
            assertThrows(IllegalArgumentException.class, () -> new LanguageModelObjective(m, s, null, 3, 4)
                    .loadRunState(c.runState()), "another batch size does not fit");
            a.end();
            b.end();
            c.end();
        }
    }

    @Test
    void samplingIsTheGeneratorsDrawAndRepeatsWithTheSeed() {
        double[] logits = {0, Math.log(3)};   // p = (1/4, 3/4)
        Generator g = new Generator(11);
        Generator same = new Generator(11);
        for (int i = 0; i < 20; i++) {
            int expected = same.nextDouble() * 4 < 1 ? 0 : 1;
            assertEquals(expected, CharModel.draw(logits, 0, 2, 1.0, g));
        }
        assertEquals(1, CharModel.draw(new double[] {0, 0.01}, 0, 2, 0.0001, new Generator(3)), "a cold draw is the argmax");

        Vocabulary v = Vocabulary.of(TEXT);
        try (CharModel m = new CharModel("char-gru", model(CharLanguageModel.Cell.GRU, v), v, 8)) {
            Map<String, String> o = Map.of("prompt", "to be", "length", "30", "temperature", "0.8");
            Samples.Text a = (Samples.Text) m.sample(new SampleRequest(2, new Generator(5), o));
            Samples.Text b = (Samples.Text) m.sample(new SampleRequest(2, new Generator(5), o));
            Samples.Text c = (Samples.Text) m.sample(new SampleRequest(2, new Generator(6), o));
            assertEquals(a, b);
            assertNotEquals(a, c);
            for (String t : a.texts()) {
                assertTrue(t.startsWith("to be") && t.codePointCount(0, t.length()) == 35, t);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> m.sample(new SampleRequest(1, new Generator(1), Map.of("prompt", "toZ"))));
            assertTrue(e.getMessage().contains("'Z'") && e.getMessage().contains("position 2"), e.getMessage());
        }
    }
}
