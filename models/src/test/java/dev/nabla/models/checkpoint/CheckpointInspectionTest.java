package dev.nabla.models.checkpoint;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.NablaException;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a model builder and {@code eval}/{@code sample} need before they trust a checkpoint: its
 * header alone (issue 18, defect 1), a size budget, and finite values (defect 7).
 */
class CheckpointInspectionTest {
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    @TempDir
    Path dir;

    private Path real() {
        Path file = dir.resolve("c.safetensors");
        try (Linear net = new Linear(f, new Generator(1), 30, 20); Adam adam = new Adam(net.namedParameters(), 0.01)) {
            Checkpoint.of(net.state(), adam, 9, 2, 1, Map.of("model", "linear", "hidden", 20L),
                    Map.of("shuffle", new long[] {1, 2, 3, 4}), Map.of()).save(file);
        }
        return file;
    }

    @Test
    void theHeaderTellsShapesConfigAndBytesWithoutReadingATensor() {
        Path file = real();
        Checkpoint.Header h = Checkpoint.inspect(file);
        assertEquals(List.of("weight", "bias"), List.copyOf(h.model().keySet()));
        assertArrayEquals(new int[] {30, 20}, h.model().get("weight").shape());
        assertEquals(DType.FLOAT32, h.model().get("weight").dtype());
        assertEquals(Map.of("model", "linear", "hidden", 20L), h.modelConfig());
        assertEquals(9, h.step());
        assertEquals((20 * 30 + 20) * 4L, h.modelBytes());
        assertTrue(h.optimizerState().containsKey("weight.exp_avg"), h.optimizerState().keySet().toString());
        assertEquals(3 * (20 * 30 + 20) * 4L, h.totalBytes(), "the parameters and Adam's two moments");
        h.requireWithin(h.totalBytes());
        NablaException e = assertThrows(NablaException.class, () -> h.requireWithin(1000));
        assertTrue(e.getMessage().contains("(6 tensors) needs 7440 bytes (7.3 KiB), more than the budget of 1000 bytes"),
                e.getMessage());
    }

    @Test
    void loadLetsTheCallerRefuseBeforeAllocatingAndSeesTheSameFile() {
        Path file = real();
        RuntimeException refusal = new NablaException("config says hidden=40000, file says 20");
        Checkpoint.Header[] seen = new Checkpoint.Header[1];
        assertSame(refusal, assertThrows(NablaException.class, () -> Checkpoint.load(file, f, h -> {
            seen[0] = h;
            throw refusal;
        })));
        assertEquals(Checkpoint.inspect(file), seen[0]);
        try (Checkpoint c = Checkpoint.load(file, f, h -> h.requireWithin(1 << 20))) {
            assertEquals(2, c.model().size());
        }
    }

    @Test
    void sizesAreComputedWithoutOverflowAndRefusedWithTheirBytesNamed() {
        assertEquals(40_000L * 40_000 * 4, SizeBudget.bytes(DType.FLOAT32, 40_000, 40_000));
        assertThrows(NablaException.class, () -> SizeBudget.bytes(DType.FLOAT64, 1L << 40, 1L << 30));
        assertThrows(NablaException.class, () -> SizeBudget.bytes(DType.FLOAT32, -1));
        assertThrows(NablaException.class, () -> SizeBudget.add(Long.MAX_VALUE, 1));
        NablaException e = assertThrows(NablaException.class, () -> SizeBudget.require("model 'maf' (hidden=40000)",
                SizeBudget.bytes(DType.FLOAT32, 40_000, 40_000), 256L << 20));
        assertEquals("model 'maf' (hidden=40000) needs 6400000000 bytes (6.0 GiB), more than the budget of 268435456 bytes"
                + " (256.0 MiB)", e.getMessage());
        assertTrue(SizeBudget.heapHeadroom() > 0);
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheTensorAndTheIndex() {
        Path file = dir.resolve("nan.safetensors");
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("flows.0.scale", f.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        model.put("flows.0.weight", f.of(new float[] {1, 2, 3, Float.NaN, 5, Float.NEGATIVE_INFINITY}, 2, 3));
        model.put("steps", f.of(new long[] {1, 2}, 2));
        Checkpoint.of(model, (dev.nabla.models.optim.Optimizer) null, 1, 0, 0, Map.of(), Map.of(), Map.of()).save(file);
        model.values().forEach(Tensor::close);
        try (Checkpoint c = Checkpoint.load(file, f)) {
            NablaException e = assertThrows(NablaException.class, () -> c.requireFinite(file));
            assertEquals("checkpoint " + file + ": tensor 'flows.0.weight' [2, 3] holds 2 non-finite values (the first, NaN,"
                    + " at [1, 0]); the run diverged or the file was edited: use an earlier checkpoint or train again",
                    e.getMessage());
        }
        Path inf = dir.resolve("inf.safetensors");
        try (Tensor w = f.of(new double[] {1, 2}, 2); Tensor m = f.of(new double[] {0, Double.POSITIVE_INFINITY}, 2)) {
            new Checkpoint(Map.of("w", w), Map.of(Checkpoint.DEFAULT_UPDATE,
                    new Checkpoint.OptimizerState("adam", Map.of(), 1, Map.of("w.exp_avg_sq", m))), 1, 0, 0, Map.of(), Map.of(), Map.of())
                    .save(inf);
        }
        try (Checkpoint c = Checkpoint.load(inf, f)) {
            NablaException e = assertThrows(NablaException.class, () -> c.requireFinite(inf));
            assertTrue(e.getMessage().contains("tensor 'optimizer.w.exp_avg_sq' [2] holds 1 non-finite value (the first,"
                    + " Infinity, at [1])"), e.getMessage());
        }
        try (Checkpoint c = Checkpoint.load(real(), f)) {
            c.requireFinite(dir.resolve("c.safetensors"));
        }
    }
}
