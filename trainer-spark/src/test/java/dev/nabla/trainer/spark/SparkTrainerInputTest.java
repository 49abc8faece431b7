package dev.nabla.trainer.spark;

import dev.nabla.api.train.TrainingPlan;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad settings and plans are refused in one line each, before Spark starts or a checkpoint is touched. */
class SparkTrainerInputTest {
    private static final Map<String, Object> KEYS = Map.of("blocks", "1", "hidden", "8");

    private static String refusal(Map<String, Object> settings, Map<String, Object> configChanges) {
        try (Fixture f = new Fixture("realnvp", "moons", KEYS, "spark", 3, settings)) {
            Map<String, Object> parts = new LinkedHashMap<>(f.parts);
            if (configChanges != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> mc = new LinkedHashMap<>((Map<String, Object>) parts.get("modelConfig"));
                mc.putAll(configChanges);
                mc.values().removeIf(v -> v.equals("-"));
                parts.put("modelConfig", mc);
            }
            SparkTrainer t = new SparkTrainer(settings);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> t.prepare(new TrainingPlan(parts, 1, 3, Map.of())));
            assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
            return e.getMessage();
        }
    }

    @Test
    void morePartitionsThanTheGlobalBatchAreRefused() {
        String m = refusal(Map.of("partitions", 16, "batchSize", 8), null);
        assertTrue(m.contains("partitions=16") && m.contains("8"), m);
    }

    @Test
    void morePartitionsThanExamplesAreRefused() {
        String m = refusal(Map.of("partitions", 100_000, "batchSize", 100_000), null);
        assertTrue(m.contains("partitions=100000") && m.contains("training examples"), m);
    }

    @Test
    void aModelThatCannotBeRebuiltIsRefusedNamingWhy() {
        String m = refusal(Map.of(), Map.of("family", "nosuchfamily"));
        assertTrue(m.contains("cannot be rebuilt") && m.contains("nosuchfamily"), m);
        String n = refusal(Map.of(), Map.of("config", Map.of("blocks", "1", "hidden", "8", "nosuchkey", "1")));
        assertTrue(n.contains("cannot be rebuilt") && n.contains("nosuchkey"), n);
        String o = refusal(Map.of(), Map.of("model", "-"));
        assertTrue(o.contains("cannot be rebuilt") && o.contains("'model'"), o);
    }

    @Test
    void badSettingsAreRefusedByName() {
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> new SparkTrainer(Map.of("mode", "async")));
        assertTrue(mode.getMessage().contains("mode") && mode.getMessage().contains("async"), mode.getMessage());
        IllegalArgumentException parts = assertThrows(IllegalArgumentException.class,
                () -> new SparkTrainer(Map.of("partitions", "0")));
        assertTrue(parts.getMessage().contains("partitions"), parts.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new SparkTrainer(Map.of("partitons", "4")));
        assertTrue(unknown.getMessage().contains("partitons"), unknown.getMessage());
    }

    @Test
    void theProviderOffersSparkAndSaysItIsAvailable() {
        SparkTrainerProvider p = new SparkTrainerProvider();
        assertEquals(java.util.Set.of("spark"), p.names());
        assertTrue(p.availability().available(), p.availability().reason());
        assertTrue(p.create("spark", Map.of()) instanceof SparkTrainer);
    }

    @Test
    void anUnreachableMasterIsNamedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkRounds.requireReachable("spark://127.0.0.1:1"));
        assertTrue(e.getMessage().contains("spark://127.0.0.1:1") && e.getMessage().contains("cannot reach"), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
        SparkRounds.requireReachable("local[2]");   // not a standalone master: nothing to check
    }
}
