package dev.nabla.models.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.Batch;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.SequencePairs;
import dev.nabla.models.data.Vocabulary;
import dev.nabla.models.nn.BeamSearch;
import dev.nabla.models.nn.LuongAttention;
import dev.nabla.models.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attention encoder-decoders learn: a tiny Bahdanau model learns to reverse strings (loss and held-out
 * exact match, greedy and beam), a Luong local-p and a hard-attention model lower their loss; an alignment
 * row is a distribution over the source.
 */
class AttentionSeq2SeqTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("native"));
    private static final Vocabulary SOURCE = Vocabulary.of("abcd", Vocabulary.PAD);
    private static final Vocabulary TARGET = Vocabulary.of("abcd", Vocabulary.PAD, Vocabulary.BOS, Vocabulary.EOS);

    private static List<String> strings(long seed, int n) {
        Generator g = new Generator(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            int len = 2 + (int) g.nextLong(4);
            for (int k = 0; k < len; k++) {
                b.append("abcd".charAt((int) g.nextLong(4)));
            }
            out.add(b.toString());
        }
        return out;
    }

    private static SequencePairs reversals(List<String> s) {
        List<long[]> src = new ArrayList<>();
        List<long[]> tgt = new ArrayList<>();
        s.forEach(x -> src.add(SOURCE.encode(x)));
        s.forEach(x -> tgt.add(TARGET.encode(new StringBuilder(x).reverse().toString())));
        return new SequencePairs(src, tgt, SOURCE.special(Vocabulary.PAD));
    }

    private static AttentionSeq2Seq net(AttentionSeq2Seq.DecoderFactory decoder, boolean hard) {
        return new AttentionSeq2Seq(F, new Generator(3), SOURCE.size(), TARGET.size(), 8, 24, decoder, hard,
                TARGET.special(Vocabulary.PAD), TARGET.special(Vocabulary.BOS), TARGET.special(Vocabulary.EOS));
    }

    private static final AttentionSeq2Seq.DecoderFactory BAHDANAU =
            (f, g, e, h, v) -> new BahdanauDecoder(f, g, e, h, h, 16, v, DType.FLOAT32);

    /** Trains {@code steps} steps; the mean loss of the first and the last 10. */
    private static double[] train(AttentionSeq2Seq net, SequencePairs data, int steps) {
        Adam adam = new Adam(net.namedParameters(), 1e-2);
        Generator g = new Generator(4);
        int[] order = Batches.permutation(g, data.size());
        double first = 0;
        double last = 0;
        for (int step = 0; step < steps; step++) {
            try (Scope s = Scope.open()) {
                adam.zeroGrad();
                Batch b = data.batch(F, Batches.batch(order, 32, step % (data.size() / 32)));
                Tensor loss = net.loss(b.get(SequencePairs.SOURCE), b.get(SequencePairs.SOURCE_LENGTH).toLongArray(),
                        b.get(SequencePairs.TARGET), b.get(SequencePairs.TARGET_LENGTH).toLongArray(), g);
                loss.backward();
                adam.step();
                first += step < 10 ? loss.item() / 10 : 0;
                last += step >= steps - 10 ? loss.item() / 10 : 0;
            }
        }
        return new double[] {first, last};
    }

    private static int correct(AttentionSeq2Seq net, List<String> test, int beam) {
        net.train(false);
        int right = 0;
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            Batch b = reversals(test).all(F);
            List<BeamSearch.Hypothesis> hs = net.decode(b.get(SequencePairs.SOURCE),
                    b.get(SequencePairs.SOURCE_LENGTH).toLongArray(), beam, 8);
            for (int i = 0; i < test.size(); i++) {
                StringBuilder t = new StringBuilder();
                for (long id : hs.get(i).tokens()) {
                    t.append(TARGET.token(id));
                }
                right += t.toString().equals(new StringBuilder(test.get(i)).reverse().toString()) ? 1 : 0;
            }
        }
        net.train(true);
        return right;
    }

    @Test
    void aTinyBahdanauModelLearnsToReverseStrings() {
        List<String> test = strings(2, 100);
        try (AttentionSeq2Seq net = net(BAHDANAU, false)) {
            double[] loss = train(net, reversals(strings(1, 2000)), 150);
            assertTrue(loss[0] > 1.2, "starts near log 7: " + loss[0]);
            assertTrue(loss[1] < 0.15, "learns to reverse: loss " + loss[0] + " -> " + loss[1]);
            int greedy = correct(net, test, 1);
            int beam = correct(net, test, 3);
            assertTrue(greedy >= 90, "greedy reverses " + greedy + " of 100 held-out strings");
            assertTrue(beam >= 90, "beam 3 reverses " + beam + " of 100");
            double[][] a = net.alignment(F, SOURCE.encode("abcd"), TARGET.encode("dcba"));
            assertEquals(5, a.length);
            for (double[] row : a) {
                assertEquals(4, row.length);
                assertEquals(1.0, java.util.Arrays.stream(row).sum(), 1e-5);
            }
        }
    }

    @Test
    void luongLocalPAndHardAttentionLowerTheirLoss() {
        SequencePairs data = reversals(strings(1, 640));
        try (AttentionSeq2Seq luong = net((f, g, e, h, v) -> new LuongDecoder(f, g, LuongAttention.Score.GENERAL,
                LuongAttention.Window.LOCAL_P, e, h, h, 16, v, 2, 16, DType.FLOAT32), false)) {
            double[] loss = train(luong, data, 80);
            assertTrue(loss[1] < 0.7 * loss[0], "local-p: loss " + loss[0] + " -> " + loss[1]);
        }
        try (AttentionSeq2Seq hard = net(BAHDANAU, true)) {
            double[] loss = train(hard, data, 80);
            assertTrue(loss[1] < 0.7 * loss[0], "hard: loss " + loss[0] + " -> " + loss[1]);
            assertTrue(hard.hard().baseline() < 0, "the baseline tracks the (negative) log-likelihood reward: "
                    + hard.hard().baseline());
        }
    }
}
