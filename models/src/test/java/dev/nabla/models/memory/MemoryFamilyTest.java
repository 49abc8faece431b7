package dev.nabla.models.memory;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.SampleRequest;
import dev.nabla.models.family.Samples;
import dev.nabla.models.spi.ServiceComponents;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The family as a host sees it: the copy data set (seeded, lengths as documented), models built from keys
 * (an unknown key refused by name), eval's bit errors at lengths 20 and 40, and the weighting picture.
 */
class MemoryFamilyTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("native"));
    private static final MemoryFamily FAMILY = new MemoryFamily();

    private static FamilyModel build(String model, Map<String, Object> keys) {
        DataSplits d = FAMILY.data("copy", 1, keys);
        return FAMILY.build(new ModelRequest(model, "copy", keys, FAMILY.describe("copy", d), F, new Generator(2),
                ServiceComponents.load()));
    }

    @Test
    void theCopyDataIsSeededWithTheDocumentedLengths() {
        DataSplits a = FAMILY.data("copy", 5, Map.of("tests", 7));
        DataSplits b = FAMILY.data("copy", 5, Map.of("tests", 7));
        CopyTask.Sequences test = (CopyTask.Sequences) a.test();
        assertEquals(14, test.size());
        for (int i = 0; i < 14; i++) {
            assertEquals(i < 7 ? 20 : 40, test.sequence(i).length);
            assertArrayEquals(test.sequence(i)[0], ((CopyTask.Sequences) b.test()).sequence(i)[0]);
        }
        CopyTask.Sequences train = (CopyTask.Sequences) FAMILY.data("copy", 5, Map.of("length", 3)).train();
        boolean[] seen = new boolean[4];
        int ones = 0;
        int bits = 0;
        for (int i = 0; i < train.size(); i++) {
            byte[][] s = train.sequence(i);
            assertTrue(s.length >= 1 && s.length <= 3);
            seen[s.length] = true;
            for (byte[] v : s) {
                for (byte x : v) {
                    ones += x;
                    bits++;
                }
            }
        }
        assertTrue(seen[1] && seen[2] && seen[3]);
        assertEquals(0.5, (double) ones / bits, 0.01, "fair bits");
        assertEquals(CopyTask.TRAIN_SAMPLE, train.size());
    }

    @Test
    void aBatchLaysOutInputDelimiterAndTarget() {
        byte[][] seq = {{1, 0, 1, 0, 1, 0, 1, 0}, {0, 0, 0, 0, 1, 1, 1, 1}};
        var b = CopyTask.batch(F, java.util.Collections.singletonList(seq));
        float[] in = b.get(CopyTask.INPUT).toFloatArray();
        float[] target = b.get(CopyTask.TARGET).toFloatArray();
        assertArrayEquals(new float[] {0, 0, 0, 1, 1}, b.get(CopyTask.MASK).toFloatArray());
        for (int t = 0; t < 5; t++) {
            for (int bit = 0; bit < 8; bit++) {
                assertEquals(t < 2 ? seq[t][bit] : 0, in[t * 9 + bit]);
                assertEquals(t >= 3 ? seq[t - 3][bit] : 0, target[t * 8 + bit]);
            }
            assertEquals(t == 2 ? 1 : 0, in[t * 9 + 8], "the delimiter channel");
        }
    }

    @Test
    void modelsBuildFromKeysEvaluateAtBothLengthsAndDrawTheirWeightings() {
        Map<String, Object> keys = Map.of("memory", 12, "width", 5, "hidden", 8, "length", 3, "tests", 4);
        try (FamilyModel ntm = build("ntm", keys)) {
            Evaluation e = ntm.evaluate(FAMILY.data("copy", 1, keys).test(), 16);
            assertEquals(List.of("bit_errors_20", "bit_errors_40", "bit_errors"),
                    e.metrics().stream().map(Evaluation.Metric::key).toList());
            double at20 = e.metrics().get(0).value();
            double at40 = e.metrics().get(1).value();
            assertTrue(at20 >= 0 && at20 <= 160 && at40 >= 0 && at40 <= 320, e.summary());
            assertEquals((at20 + at40) / 2, e.metrics().get(2).value(), 1e-9);
            Samples s = ntm.sample(new SampleRequest(1, new Generator(3), Map.of("length", "4")));
            Samples.Images img = (Samples.Images) s;
            assertEquals(9 * WeightingPicture.COLUMN, img.width(), "one column per step, 2·4 + 1 steps");
            int memRow = Math.min(WeightingPicture.BIT_ROW, 384 / 12);
            assertEquals((9 + 8 + 8) * WeightingPicture.BIT_ROW + 2 * 12 * memRow + 4 * WeightingPicture.BAND,
                    img.height());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> ntm.sample(new SampleRequest(1, new Generator(3), Map.of("prompt", "x"))));
            assertTrue(bad.getMessage().contains("--prompt") && bad.getMessage().contains("--length"), bad.getMessage());
        }
        try (FamilyModel lstm = build("copy-lstm", Map.of("hidden", 8, "layers", 2, "length", 3))) {
            assertTrue(lstm.parameters().containsKey("lstm.weight_ih_l1"), lstm.parameters().keySet().toString());
            Samples.Images img = (Samples.Images) lstm.sample(new SampleRequest(2, new Generator(3)));
            assertEquals(2, img.count());
            assertEquals(7 * WeightingPicture.COLUMN, img.width());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build("ntm", Map.of("layers", 2)));
        assertTrue(e.getMessage().contains("layers") && e.getMessage().contains("memory"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> build("ntm", Map.of("memory", 0)));
        assertTrue(e2.getMessage().contains("memory"), e2.getMessage());
    }
}
