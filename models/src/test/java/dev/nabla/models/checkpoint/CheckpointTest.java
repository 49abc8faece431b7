package dev.nabla.models.checkpoint;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.NablaException;
import dev.nabla.models.nn.BatchNorm;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.Sequential;
import dev.nabla.models.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    @TempDir
    Path dir;

    @Test
    void modelOptimizerAndTrainingStateRoundTrip() throws Exception {
        Path file = dir.resolve("c.safetensors");
        try (Sequential net = new Sequential(new Linear(f, new Generator(1), 3, 4), new BatchNorm(f, 4));
             Adam adam = new Adam(net.namedParameters(), 0.01)) {
            try (Scope s = Scope.open()) {
                net.forward(f.randn(new Generator(2), 8, 3)).square().sum().backward();
                adam.step();
            }
            Map<String, Object> config = Map.of("type", "sequential", "sizes", List.of(3L, 4L));
            Checkpoint.of(net.state(), adam, 17, 2, 5, config, Map.of("shuffle", new long[] {1, 2, 3, Long.MIN_VALUE}),
                    Map.of("note", "x")).save(file);
            try (Checkpoint c = Checkpoint.load(file, f);
                 Sequential other = new Sequential(new Linear(f, new Generator(9), 3, 4), new BatchNorm(f, 4));
                 Adam otherAdam = new Adam(other.namedParameters(), 0.5)) {
                assertEquals(List.copyOf(net.state().keySet()), List.copyOf(c.model().keySet()));
                assertTrue(c.model().containsKey("1.running_var"), "buffers are saved");
                other.loadState(c.model());
                otherAdam.loadState(c.optimizerState(), c.optimizerSteps());
                for (var e : net.state().entrySet()) {
                    assertArrayEquals(e.getValue().toFloatArray(), other.state().get(e.getKey()).toFloatArray(), e.getKey());
                }
                for (var e : adam.state().entrySet()) {
                    assertArrayEquals(e.getValue().toFloatArray(), otherAdam.state().get(e.getKey()).toFloatArray(), e.getKey());
                }
                assertEquals(1, otherAdam.steps());
                assertEquals("adam", c.optimizerName());
                assertEquals(0.01, c.hyperParameters().get("lr"));
                assertEquals(0.999, c.hyperParameters().get("beta2"));
                assertEquals(17, c.step());
                assertEquals(2, c.epoch());
                assertEquals(5, c.stepInEpoch());
                assertEquals(config, c.modelConfig());
                assertArrayEquals(new long[] {1, 2, 3, Long.MIN_VALUE}, c.rng().get("shuffle"));
                assertEquals(Map.of("note", "x"), c.extra());
            }
            // the JSON beside the weights is the same metadata, readable by anything
            String json = Files.readString(Checkpoint.jsonSibling(file), StandardCharsets.UTF_8);
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) Json.parse(json);
            assertEquals(1L, meta.get("format_version"));
            assertEquals(17L, meta.get("step"));
            assertEquals(SafeTensors.readMetadata(file).get("nabla"), json);
            // optimizer state sits in the safetensors file under optimizer. names
            try (SafeTensors.Contents raw = SafeTensors.read(file, f)) {
                assertTrue(raw.tensors().containsKey("optimizer.0.weight.exp_avg"), raw.tensors().keySet().toString());
            }
        }
    }

    @Test
    void refusesModelEntriesUnderTheOptimizerPrefix() {
        Path file = dir.resolve("prefix.safetensors");
        try (Scope s = Scope.open()) {
            // no optimizer state at all, so no exact clash: load() would still move the entry to the optimizer
            Checkpoint c = Checkpoint.of(Map.of("optimizer.scale", f.of(new float[] {1, 2}, 2)), (dev.nabla.models.optim.Optimizer) null, 1, 0, 1, null,
                    Map.of(), Map.of());
            var ex = assertThrows(IllegalArgumentException.class, () -> c.save(file));
            assertTrue(ex.getMessage().contains("'optimizer.scale'"), ex.getMessage());
        }
        assertFalse(Files.exists(file));
    }

    @Test
    void refusesPlainSafetensorsAndOtherFormatVersions() {
        Path plain = dir.resolve("plain.safetensors");
        try (Scope s = Scope.open()) {
            SafeTensors.write(plain, Map.of("w", f.zeros(2)), Map.of("format", "pt"));
            var ex = assertThrows(NablaException.class, () -> Checkpoint.load(plain, f));
            assertTrue(ex.getMessage().contains("not a Nabla checkpoint"), ex.getMessage());
            Path future = dir.resolve("future.safetensors");
            SafeTensors.write(future, Map.of("w", f.zeros(2)), Map.of("nabla", "{\"format_version\": 2}"));
            ex = assertThrows(NablaException.class, () -> Checkpoint.load(future, f));
            assertTrue(ex.getMessage().contains("format version 2; this build reads 1"), ex.getMessage());
            Path broken = dir.resolve("broken.safetensors");
            SafeTensors.write(broken, Map.of("w", f.zeros(2)), Map.of("nabla",
                    "{\"format_version\": 1, \"step\": -3, \"epoch\": 0, \"step_in_epoch\": 0, \"model_config\": {},"
                            + " \"rng\": {}, \"extra\": {}}"));
            ex = assertThrows(NablaException.class, () -> Checkpoint.load(broken, f));
            assertTrue(ex.getMessage().contains("'step' must be an integer in [0, 1099511627776], got -3"), ex.getMessage());
        }
    }

    /**
     * A one-optimizer checkpoint keeps the layout it always had ({@code optimizer.PARAM.SLOT}, metadata
     * {@code "optimizer"}); one written before updates had names (no {@code "update"} key) loads as the
     * update {@value Checkpoint#DEFAULT_UPDATE}; several optimizers are stored under their update names.
     */
    @Test
    void oneOptimizerKeepsTheOldLayoutAndSeveralAreKeyedByUpdate() throws Exception {
        Path file = dir.resolve("old.safetensors");
        try (Linear a = new Linear(f, new Generator(1), 2, 2); Linear b = new Linear(f, new Generator(2), 2, 1);
             Adam adamA = new Adam(a.namedParameters(), 0.01); Adam adamB = new Adam(b.namedParameters(), 0.02)) {
            Checkpoint.of(a.state(), adamA, 3, 0, 3, Map.of(), Map.of(), Map.of()).save(file);
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) Json.parse(SafeTensors.readMetadata(file).get("nabla"));
            @SuppressWarnings("unchecked")
            Map<String, Object> opt = (Map<String, Object>) meta.get("optimizer");
            assertEquals(Checkpoint.DEFAULT_UPDATE, opt.remove("update"));
            try (SafeTensors.Contents raw = SafeTensors.read(file, f)) {
                assertTrue(raw.tensors().containsKey("optimizer.weight.exp_avg"), raw.tensors().keySet().toString());
                SafeTensors.write(file, raw.tensors(), Map.of("nabla", Json.write(meta)));   // as written before updates
            }
            try (Checkpoint c = Checkpoint.load(file, f)) {
                assertEquals(List.of(Checkpoint.DEFAULT_UPDATE), List.copyOf(c.optimizers().keySet()));
                assertEquals("adam", c.optimizerName());
                assertEquals(List.of("weight.exp_avg", "bias.exp_avg", "weight.exp_avg_sq", "bias.exp_avg_sq"),
                        List.copyOf(c.optimizerState().keySet()));
            }
            Path two = dir.resolve("two.safetensors");
            Map<String, dev.nabla.models.optim.Optimizer> optimizers = new java.util.LinkedHashMap<>();
            optimizers.put("first", adamA);
            optimizers.put("second", adamB);
            Checkpoint.of(Map.of(), optimizers, 4, 1, 0, Map.of(), Map.of(), Map.of()).save(two);
            try (SafeTensors.Contents raw = SafeTensors.read(two, f)) {
                assertTrue(raw.tensors().containsKey("optimizer.first.weight.exp_avg")
                        && raw.tensors().containsKey("optimizer.second.bias.exp_avg_sq"), raw.tensors().keySet().toString());
            }
            try (Checkpoint c = Checkpoint.load(two, f)) {
                assertEquals(List.of("first", "second"), List.copyOf(c.optimizers().keySet()));
                assertEquals(0.02, c.optimizers().get("second").hyperParameters().get("lr"));
                assertEquals(a.namedParameters().keySet().size() * 2, c.optimizers().get("first").state().size());
            }
        }
    }
}
