package dev.nabla.models.train;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.NablaException;
import dev.nabla.models.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18 #8: optimizer state that overflows (Adam's second moments of a 1e30 gradient are ∞ in float32)
 * stops training at that step, not at the next checkpoint, and the message says truly whether a
 * checkpoint was kept.
 */
class OptimizerOverflowTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    @TempDir
    Path dir;

    /** loss = 1e30 · Σ p: finite, with a finite gradient of 1e30 whose square overflows float32. */
    private static Objective steep(Tensor p) {
        return new Objective() {
            @Override
            public int trainingSize() {
                return 64;
            }

            @Override
            public Tensor loss(int[] batch, int batchSize, Generator random) {
                return p.sum().mul(1e30);
            }

            @Override
            public Map<String, Tensor> parameters() {
                return Map.of("p", p);
            }
        };
    }

    @Test
    void overflowingSecondMomentsStopTheFirstStepWithoutClaimingACheckpoint() {
        Tensor p = F.zeros(3).toParameter();
        Path ckpt = dir.resolve("c.safetensors");
        TrainingLoop loop = new TrainingLoop(steep(p), new Adam(Map.of("p", p), 1e-3),
                new TrainingOptions().epochs(3).batchSize(8).seed(1).checkpoint(ckpt));
        NablaException e = assertThrows(NablaException.class, loop::run);
        assertTrue(e.getMessage().contains("step 1 ") && e.getMessage().contains("optimizer's state"), e.getMessage());
        assertTrue(e.getMessage().contains("no checkpoint was written"), e.getMessage());
        assertFalse(e.getMessage().contains("not overwritten") || e.getMessage().contains("kept"), e.getMessage());
        assertFalse(Files.exists(ckpt));
    }
}
