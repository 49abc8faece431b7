package dev.nabla.models.flows;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Flows#stateBytes} is exactly what the built model's state takes, and bounds absurd keys (issue 18). */
class StateBytesTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    @Test
    void matchesTheBuiltModel() {
        for (String model : List.of("realnvp", "maf", "iaf")) {
            for (Map<String, Object> c : List.of(
                    Map.<String, Object>of("dim", 2),
                    Map.<String, Object>of("dim", 3, "blocks", "3", "hidden", 5, "layers", 1),
                    Map.<String, Object>of("dim", 4, "blocks", 2, "hidden", 7, "layers", 3, "dtype", "float64"),
                    Map.<String, Object>of("dim", 2, "actnorm", false, "batchnorm", true, "blocks", 1))) {
                if (model.equals("realnvp") && c.containsKey("batchnorm") || !model.equals("realnvp") && c.containsKey("actnorm")) {
                    continue;
                }
                try (TransformedDistribution d = Flows.model(model, F, new Generator(1), c)) {
                    long built = d.state().values().stream().mapToLong(t -> t.numel() * t.dtype().byteSize()).sum();
                    assertEquals(built, Flows.stateBytes(model, c).orElseThrow(), model + " " + c);
                }
            }
        }
    }

    @Test
    void absurdSizesAreRefusedOrSaturate() {
        assertThrows(IllegalArgumentException.class, () -> Flows.stateBytes("maf", Map.of("dim", 2, "blocks", "1e9")));
        assertThrows(IllegalArgumentException.class, () -> Flows.stateBytes("maf", Map.of("dim", 2, "blocks", 1e8)));
        assertThrows(IllegalArgumentException.class, () -> Flows.stateBytes("maf", Map.of("dim", 2, "hidden", 1e7)));
        assertThrows(IllegalArgumentException.class, () -> Flows.stateBytes("maf", Map.of("dim", 2_000_000_000)));
        assertTrue(Flows.stateBytes("maf", Map.of("dim", 1 << 20, "hidden", 1 << 20, "blocks", 10_000, "layers", 1000))
                .orElseThrow() > 1L << 50);
        assertTrue(Flows.stateBytes("realnvp", Map.of("dim", 2, "hidden", 40000)).orElseThrow() > 20_000_000_000L);
    }
}
