package dev.nabla.trainer.spark;

import dev.nabla.api.train.TrainingReport;
import dev.nabla.models.spi.Trainers;
import dev.nabla.models.train.LoopTrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spark trainer in local[2] against single-process training of the same model. */
class SparkTrainerTest {
    private static final Map<String, Object> KEYS = Map.of("blocks", "2", "hidden", "16");

    @BeforeAll
    static void spark() {
        Fixture.sharedSpark();
    }

    private static Map<String, Object> settings(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Trains realnvp on moons with {@code trainer} and returns the fixture (to read its parameters). */
    private static Fixture train(String trainer, Map<String, Object> s, int epochs) {
        Fixture f = new Fixture("realnvp", "moons", KEYS, trainer, 7, s);
        LoopTrainer t = trainer.equals("spark") ? new SparkTrainer(s) : (LoopTrainer) Trainers.create(trainer, s);
        TrainingReport r = t.prepare(f.plan(epochs, 7, Map.of())).run();
        assertTrue(r.steps() > 0);
        return f;
    }

    /**
     * SGD with momentum, so the comparison is of the summed gradients: Adam divides by √v, and an element
     * whose true gradient is 0 (ActNorm's {@code loc} right after its data-dependent initialisation on
     * that very batch) takes a step of ±lr from rounding noise alone, in either process.
     */
    @Test
    void syncOverFourPartitionsIsSingleProcessTrainingOnTheSameGlobalBatch() {
        Map<String, Object> common = settings("batchSize", 64, "maxSteps", 20L, "lr", 0.05, "optimizer", "sgd",
                "momentum", 0.9);
        Map<String, Object> spread = new LinkedHashMap<>(common);
        spread.put("mode", "sync");
        spread.put("partitions", 4);
        try (Fixture single = train("mle", common, 1); Fixture spark = train("spark", spread, 1)) {
            Map<String, float[]> a = single.parameters();
            Map<String, float[]> b = spark.parameters();
            assertEquals(a.keySet(), b.keySet());
            Map<String, float[]> start;
            try (Fixture fresh = new Fixture("realnvp", "moons", KEYS, "mle", 7, common)) {
                start = fresh.parameters();
            }
            double moved = 0;
            for (String k : a.keySet()) {
                float[] x = a.get(k);
                float[] y = b.get(k);
                double scale = 0;
                double diff = 0;
                for (int i = 0; i < x.length; i++) {
                    scale = Math.max(scale, Math.abs(x[i]));
                    diff = Math.max(diff, Math.abs(x[i] - y[i]));
                    moved = Math.max(moved, Math.abs(x[i] - start.get(k)[i]));
                }
                assertTrue(diff <= 1e-5 * Math.max(scale, 1e-3), k + ": max |Δ| " + diff + " against max |θ| " + scale);
            }
            assertTrue(moved > 1e-2, "20 steps moved the parameters by " + moved);   // the comparison is not of untrained models
        }
    }

    @Test
    void averageReachesTheSingleProcessTestLikelihood() {
        double single;
        try (Fixture f = train("mle", settings("batchSize", 64, "maxSteps", 400L, "lr", 1e-2), 100)) {
            single = f.testLogLikelihood();
        }
        double averaged;   // 20 rounds of 20 local steps on batches of 32 in each of 2 partitions
        try (Fixture f = train("spark", settings("batchSize", 64, "maxSteps", 20L, "lr", 1e-2, "mode", "average",
                "partitions", 2, "localSteps", 20), 100)) {
            averaged = f.testLogLikelihood();
        }
        double untrained;
        try (Fixture f = new Fixture("realnvp", "moons", KEYS, "mle", 7, Map.of())) {
            untrained = f.testLogLikelihood();
        }
        System.out.printf("test log-likelihood: untrained %.4f, single %.4f, average %.4f%n", untrained, single, averaged);
        assertTrue(single - untrained > 0.3, "single-process training learned: " + untrained + " -> " + single);
        assertEquals(single, averaged, 0.05, "test log-likelihood (nats)");
    }

    @Test
    void aFirstAttemptFailureLeavesTheResultIdentical() {
        for (String mode : new String[] {"sync", "average"}) {
            Map<String, Object> s = settings("batchSize", 32, "maxSteps", 2L, "mode", mode, "partitions", 4, "localSteps", 2,
                    "treeDepth", 2);
            Map<String, Object> failing = new LinkedHashMap<>(s);
            failing.put("failFirstAttempt", 2);
            try (Fixture clean = train("spark", s, 1); Fixture retried = train("spark", failing, 1)) {
                Map<String, float[]> a = clean.parameters();
                Map<String, float[]> b = retried.parameters();
                for (String k : a.keySet()) {
                    assertArrayEquals(a.get(k), b.get(k), mode + ": " + k);
                }
            }
        }
    }

    @Test
    void aResumedDriverContinuesBitForBit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        for (String mode : new String[] {"sync", "average"}) {
            Map<String, Object> s = settings("batchSize", 32, "mode", mode, "partitions", 2, "localSteps", 2);
            Map<String, Object> straight = new LinkedHashMap<>(s);
            straight.put("maxSteps", 4L);
            String ck = dir.resolve(mode + ".safetensors").toString();
            Map<String, Object> first = new LinkedHashMap<>(s);
            first.put("maxSteps", 2L);
            first.put("checkpoint", ck);
            Map<String, Object> second = new LinkedHashMap<>(straight);
            second.put("checkpoint", ck);
            second.put("resume", ck);
            try (Fixture whole = train("spark", straight, 1); Fixture killed = train("spark", first, 1);
                 Fixture resumed = train("spark", second, 1)) {
                Map<String, float[]> a = whole.parameters();
                Map<String, float[]> b = resumed.parameters();
                for (String k : a.keySet()) {
                    assertArrayEquals(a.get(k), b.get(k), mode + ": " + k);
                }
            }
        }
    }
}
