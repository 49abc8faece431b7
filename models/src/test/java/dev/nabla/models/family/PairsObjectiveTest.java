package dev.nabla.models.family;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.SequencePairs;
import dev.nabla.models.nn.Linear;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared teacher-forced objective: the validation loss is the mean of the batches' losses weighted by their
 * target tokens (each target's length plus its end token), computed in evaluation mode and with the validation
 * flag, and the training loss gets the training flag; checked with a loss that reports what it was given.
 */
class PairsObjectiveTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    @Test
    void theValidationLossIsTheTokenWeightedMeanOfTheBatchesInEvaluationMode() {
        // targets of lengths 1, 3 and 5: with batches of 2, batch 0 holds 1 + 1 and 3 + 1 = 6 tokens, batch 1
        // holds 5 + 1 = 6 tokens; the fake loss of a batch is its longest target's length
        List<long[]> sources = List.of(new long[] {1}, new long[] {1}, new long[] {1});
        List<long[]> targets = List.of(new long[] {2}, new long[] {2, 2, 2}, new long[] {2, 2, 2, 2, 2});
        SequencePairs pairs = new SequencePairs(sources, targets, 0);
        try (Linear net = new Linear(F, new Generator(1), 2, 2)) {
            List<String> seen = new ArrayList<>();
            PairsObjective o = new PairsObjective(net, pairs, pairs, (b, validation, random) -> {
                seen.add((validation ? "validation" : "training") + (net.isTraining() ? " in training mode" : " in evaluation mode"));
                long max = 0;
                for (long l : b.get(SequencePairs.TARGET_LENGTH).toLongArray()) {
                    max = Math.max(max, l);
                }
                return F.scalar(max);
            });
            net.train(true);
            assertEquals((3.0 * 6 + 5.0 * 6) / 12, o.validationLoss(2, new Generator(2)), 1e-12);
            assertTrue(net.isTraining(), "the mode is restored");
            assertTrue(seen.stream().allMatch(s -> s.equals("validation in evaluation mode")), seen.toString());
            seen.clear();
            assertEquals(5.0, o.loss(new int[] {2, 0}, 2, new Generator(3)).item(), 0);
            assertEquals(List.of("training in training mode"), seen);
            assertEquals(3, o.trainingSize());
            assertFalse(o.parameters().isEmpty());
        }
    }
}
