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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Global-norm clipping in the loop against a hand computation: for {@code L = w · c} the gradient is
 * {@code c = (3, 4)}, {@code ‖g‖ = 5}; with {@code G = 1} SGD moves {@code w} by {@code −lr · c · G/‖g‖},
 * with {@code G = 10} by {@code −lr · c}; the loop reports {@code grad_norm = 5} (before clipping) as a step part.
 */
class GradNormClipTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    private static double[] train(double clipNorm, List<Map<String, Double>> parts) {
        Tensor w = F.of(new double[] {1, 2}, 2).toParameter();
        Tensor c = F.of(new double[] {3, 4}, 2);
        Objective o = new Objective() {
            @Override
            public int trainingSize() {
                return 0;
            }

            @Override
            public Tensor loss(int[] batch, int batchSize, Generator random) {
                return w.mul(c).sum();
            }

            @Override
            public Map<String, Tensor> parameters() {
                return Map.of("w", w);
            }
        };
        TrainingOptions options = new TrainingOptions().epochs(1).stepsPerEpoch(1).batchSize(1).clipNorm(clipNorm);
        TrainingLoop loop = new TrainingLoop(o, new SGD(o.parameters(), 0.1), options);
        loop.addListener(new TrainingListener() {
            @Override
            public void onStep(long step, double loss, Map<String, Double> p) {
                parts.add(Map.copyOf(p));
            }
        });
        loop.run();
        return w.toDoubleArray();
    }

    @Test
    void clipsToTheGlobalNormAndReportsTheNormBeforeClipping() {
        List<Map<String, Double>> parts = new ArrayList<>();
        assertArrayEquals(new double[] {1 - 0.1 * 3 / 5.0, 2 - 0.1 * 4 / 5.0}, train(1.0, parts), 1e-7,
                "GradClip scales by a float32 factor G/‖g‖");
        assertEquals(5.0, parts.getFirst().get(TrainingLoop.GRAD_NORM), 1e-12);
    }

    @Test
    void aNormBelowTheLimitIsLeftAlone() {
        List<Map<String, Double>> parts = new ArrayList<>();
        assertArrayEquals(new double[] {1 - 0.1 * 3, 2 - 0.1 * 4}, train(10.0, parts), 1e-12);
        assertEquals(5.0, parts.getFirst().get(TrainingLoop.GRAD_NORM), 1e-12);
    }

    @Test
    void withoutClippingNoNormIsReported() {
        List<Map<String, Double>> parts = new ArrayList<>();
        train(0, parts);
        assertFalse(parts.getFirst().containsKey(TrainingLoop.GRAD_NORM));
    }
}
