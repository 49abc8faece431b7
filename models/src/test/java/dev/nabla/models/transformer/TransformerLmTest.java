package dev.nabla.models.transformer;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.TextData;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.SampleRequest;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.SequenceDataSets;
import dev.nabla.models.nn.KeyValueCache;
import dev.nabla.models.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code transformer-lm}: decoding with the key/value caches gives the logits of the full causal pass, a tiny
 * model learns a text (its loss falls far below the uniform {@code ln V}), evaluation follows its protocol, and
 * bad input is refused by name.
 */
class TransformerLmTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("native"));
    private static final String TEXT = "the cat sat on the mat. the dog sat on the log. ".repeat(40);

    private static TransformerLm net(String norm, int context, long seed) {
        return new TransformerLm(F, new Generator(seed), 20, new TransformerModels.Sizes(16, 2, 32, 2, 0.0, "relu",
                norm.equals("pre")), context);
    }

    private static long[] tokens(int n, long seed) {
        Generator g = new Generator(seed);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = g.nextLong(20);
        }
        return t;
    }

    @Test
    void theCacheGivesTheLogitsOfTheFullCausalPassPostAndPreLn() {
        for (String norm : List.of("pre", "post")) {
            try (TransformerLm lm = net(norm, 12, 3); GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                lm.eval();
                int b = 3;
                int t = 10;
                long[] ids = tokens(b * t, 5);
                double[] full = lm.forward(F.of(ids, b, t)).toDoubleArray();   // [B, T, V]
                List<KeyValueCache> caches = lm.newCache();
                // a prompt of 4 positions in one pass, then one position at a time
                long[] prompt = new long[b * 4];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(ids, i * t, prompt, i * 4, 4);
                }
                double[][] got = new double[t][];
                double[] first = lm.step(F.of(prompt, b, 4), caches).toDoubleArray();
                for (int p = 4; p < t; p++) {
                    long[] col = new long[b];
                    for (int i = 0; i < b; i++) {
                        col[i] = ids[i * t + p];
                    }
                    got[p] = lm.step(F.of(col, b, 1), caches).toDoubleArray();
                }
                assertEquals(t, caches.getFirst().length());
                double worst = 0;
                for (int i = 0; i < b; i++) {
                    for (int p = 0; p < t; p++) {
                        for (int v = 0; v < 20; v++) {
                            double want = full[(i * t + p) * 20 + v];
                            double have = p < 4 ? first[(i * 4 + p) * 20 + v] : got[p][i * 20 + v];
                            worst = Math.max(worst, Math.abs(want - have));
                        }
                    }
                }
                assertTrue(worst < 1e-5, norm + "-LN: cached decoding is off by " + worst);
                caches.forEach(KeyValueCache::close);
            }
        }
    }

    @Test
    void aTinyModelLearnsAText() {
        DataSplits data = SequenceDataSets.textSplits(TEXT, 16);
        Map<String, Object> description = SequenceDataSets.describeText(data);
        Map<String, Object> keys = Map.of("dModel", 32, "heads", 4, "feedforward", 64, "layers", 1, "context", 16);
        try (LanguageModel m = (LanguageModel) new TransformerFamily().build(new ModelRequest("transformer-lm",
                "tinyshakespeare", keys, description, F, new Generator(1), null))) {
            TextData train = (TextData) data.train();
            LanguageModelObjective objective = new LanguageModelObjective(m.network(), train.stream(), null);
            int v = m.vocabulary().size();
            double before = LanguageModelNats.nats(m.network(), train.stream()).mean();
            try (Adam adam = new Adam(m.parameters(), 3e-3)) {
                Generator g = new Generator(2);
                for (int step = 0; step < 150; step++) {
                    int[] batch = new int[8];
                    for (int i = 0; i < batch.length; i++) {
                        batch[i] = (int) g.nextLong(objective.trainingSize());
                    }
                    try (Scope s = Scope.open()) {
                        Tensor loss = objective.loss(batch, 8, g);
                        adam.zeroGrad();
                        loss.backward();
                        adam.step();
                    }
                }
            }
            double after = LanguageModelNats.nats(m.network(), train.stream()).mean();
            assertTrue(before > 0.8 * Math.log(v), "an untrained model is near uniform: " + before + " nats, ln V = " + Math.log(v));
            assertTrue(after < 0.6, "the repeated text is learnt: " + before + " -> " + after + " nats/char");
            String text = ((Samples.Text) m.sample(new SampleRequest(1, new Generator(3),
                    Map.of("prompt", "the ", "length", "40", "temperature", "0.05")))).texts().getFirst();
            assertEquals(44, text.length());
            assertTrue(text.contains("sat on the"), "a cold sample repeats the text: " + text);
        }
    }

    @Test
    void evaluationCoversEveryWholeWindowOnce() {
        DataSplits data = SequenceDataSets.textSplits(TEXT, 16);
        Map<String, Object> description = SequenceDataSets.describeText(data);
        try (LanguageModel m = (LanguageModel) new TransformerFamily().build(new ModelRequest("transformer-lm",
                "tinyshakespeare", Map.of("dModel", 8, "heads", 2, "feedforward", 8, "layers", 1, "context", 16),
                description, F, new Generator(1), null))) {
            TextData train = (TextData) data.train();
            LanguageModelNats.Nats n = LanguageModelNats.nats(m.network(), train.stream());
            assertEquals((long) 16 * ((train.stream().length() - 1) / 16), n.count());
            // the same sum from the logits of each window, by hand
            double sum = 0;
            long[] t = train.stream().tokens();
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                m.network().eval();
                for (int w = 0; w < (t.length - 1) / 16; w++) {
                    long[] in = java.util.Arrays.copyOfRange(t, w * 16, w * 16 + 16);
                    double[] lp = m.network().forward(F.of(in, 1, 16)).logSoftmax(-1).toDoubleArray();
                    for (int p = 0; p < 16; p++) {
                        sum -= lp[p * m.vocabulary().size() + (int) t[w * 16 + p + 1]];
                    }
                }
            }
            assertEquals(sum, n.sum(), 1e-5 * n.count());
            assertEquals(n.mean() / Math.log(2), n.bits(), 1e-12);
        }
    }

    @Test
    void generationRunsPastTheContextWithASlidingWindow() {
        try (TransformerLm lm = net("pre", 6, 4)) {
            List<long[]> out = lm.generate(new long[] {1, 2, 3}, 2, 12, 1.0, new Generator(9));
            assertEquals(2, out.size());
            assertEquals(12, out.get(0).length);
            for (long id : out.get(1)) {
                assertTrue(id >= 0 && id < 20);
            }
        }
    }

    @Test
    void badInputIsNamed() {
        try (TransformerLm lm = net("pre", 8, 1); Scope s = Scope.open()) {
            String m = assertThrows(ShapeException.class, () -> lm.forward(F.of(tokens(9, 1), 1, 9))).getMessage();
            assertTrue(m.contains("9 tokens") && m.contains("context of 8"), m);
        }
        DataSplits data = SequenceDataSets.textSplits(TEXT, 16);
        Map<String, Object> description = SequenceDataSets.describeText(data);
        String heads = assertThrows(IllegalArgumentException.class, () -> new TransformerFamily().build(new ModelRequest(
                "transformer-lm", "tinyshakespeare", Map.of("dModel", 10, "heads", 4), description, F, new Generator(1),
                null))).getMessage();
        assertTrue(heads.contains("heads=4") && heads.contains("dModel=10"), heads);
        try (LanguageModel m = (LanguageModel) new TransformerFamily().build(new ModelRequest("transformer-lm",
                "tinyshakespeare", Map.of("dModel", 8, "heads", 2, "feedforward", 8, "layers", 1, "context", 8),
                description, F, new Generator(1), null))) {
            String longPrompt = assertThrows(IllegalArgumentException.class, () -> m.sample(new SampleRequest(1,
                    new Generator(1), Map.of("prompt", "the cat sat")))).getMessage();
            assertTrue(longPrompt.contains("11 characters") && longPrompt.contains("context of 8"), longPrompt);
            String unknown = assertThrows(IllegalArgumentException.class, () -> m.sample(new SampleRequest(1,
                    new Generator(1), Map.of("prompt", "Z")))).getMessage();
            assertTrue(unknown.contains("'Z'") && unknown.contains("vocabulary"), unknown);
        }
    }
}
