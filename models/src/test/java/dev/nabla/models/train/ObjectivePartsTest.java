package dev.nabla.models.train;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An {@link Objective} that overrides {@link Objective#lossWithParts} has its loss minimised and its
 * named parts reported to the listeners, step by step (a VAE's {@code recon} and {@code kl}).
 */
class ObjectivePartsTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    @Test
    void thePartsOfAnObjectivesLossReachTheListeners() {
        Tensor p = F.of(new float[] {3f}, 1).toParameter();
        Objective o = new Objective() {
            @Override
            public int trainingSize() {
                return 4;
            }

            @Override
            public Tensor loss(int[] batch, int batchSize, Generator random) {
                return lossWithParts(batch, batchSize, random).value();
            }

            @Override
            public Loss lossWithParts(int[] batch, int batchSize, Generator random) {
                Tensor a = p.square().sum();
                Tensor b = p.mul(2).sum();
                return Loss.of(a.add(b)).with("square", a).with("twice", b);
            }

            @Override
            public Map<String, Tensor> parameters() {
                return Map.of("p", p);
            }
        };
        List<Map<String, Double>> seen = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        TrainingLoop loop = new TrainingLoop(o, new SGD(Map.of("p", p), 0.1), new TrainingOptions().epochs(1).batchSize(2).seed(1));
        loop.addListener(new TrainingListener() {
            @Override
            public void onStep(long step, double loss, Map<String, Double> parts) {
                seen.add(parts);
                losses.add(loss);
            }
        });
        loop.run();
        assertEquals(2, seen.size());
        assertEquals(9.0, seen.get(0).get("square"), 1e-6);
        assertEquals(6.0, seen.get(0).get("twice"), 1e-6);
        assertEquals(15.0, losses.get(0), 1e-6);
        // one SGD step on p^2 + 2p: p = 3 - 0.1 * (2*3 + 2) = 2.2
        assertEquals(2.2 * 2.2, seen.get(1).get("square"), 1e-5);
    }
}
