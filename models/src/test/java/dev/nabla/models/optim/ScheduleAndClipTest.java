package dev.nabla.models.optim;

import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ScheduleAndClipTest {
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    @Test
    void stepScheduleDecaysEveryStepSize() {
        LrSchedule s = LrSchedule.step(1.0, 3, 0.5);
        assertEquals(1.0, s.lr(0));
        assertEquals(1.0, s.lr(2));
        assertEquals(0.5, s.lr(3));
        assertEquals(0.25, s.lr(7));
    }

    @Test
    void cosineGoesFromLrToMinAndStays() {
        LrSchedule s = LrSchedule.cosine(1.0, 10, 0.1);
        assertEquals(1.0, s.lr(0), 1e-15);
        assertEquals(0.55, s.lr(5), 1e-15);
        assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * 0.3)) / 2, s.lr(3), 1e-15);
        assertEquals(0.1, s.lr(10), 1e-15);
        assertEquals(0.1, s.lr(50), 1e-15);
    }

    @Test
    void warmupThenCosineComposes() {
        LrSchedule s = LrSchedule.linearWarmup(2.0, 4).then(4, LrSchedule.cosine(2.0, 8, 0));
        assertEquals(0.5, s.lr(0), 1e-15);
        assertEquals(1.5, s.lr(2), 1e-15);
        assertEquals(2.0, s.lr(3), 1e-15);
        assertEquals(2.0, s.lr(4), 1e-15);   // cosine's step 0
        assertEquals(1.0, s.lr(8), 1e-15);   // cosine's midpoint
        assertEquals(0.0, s.lr(12), 1e-15);
    }

    private Tensor paramWithGrad(double[] g) {
        Tensor p;
        try (Scope s = Scope.open()) {
            p = f.zeros(g.length).to(dev.nabla.api.types.DType.FLOAT64).toParameter();
            p.mul(f.of(g, g.length)).sum().backward();
        }
        return p;
    }

    @Test
    void clipByGlobalNormScalesAllGradientsTogether() {
        Tensor a = paramWithGrad(new double[] {3, 0});
        Tensor b = paramWithGrad(new double[] {0, 4});
        try {
            double norm = GradClip.byGlobalNorm(List.of(a, b), 1.0);
            assertEquals(5.0, norm, 1e-12);
            double c = 1.0 / (5.0 + 1e-6);
            assertArrayEquals(new double[] {3 * c, 0}, a.grad().toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {0, 4 * c}, b.grad().toDoubleArray(), 1e-12);
            double again = GradClip.byGlobalNorm(List.of(a, b), 10.0);   // below the cap: untouched
            assertEquals(5 * c, again, 1e-12);
            assertArrayEquals(new double[] {3 * c, 0}, a.grad().toDoubleArray(), 1e-12);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void clipByValueClampsElementwise() {
        Tensor a = paramWithGrad(new double[] {-3, 0.5, 2});
        try {
            GradClip.byValue(List.of(a), 1.0);
            assertArrayEquals(new double[] {-1, 0.5, 1}, a.grad().toDoubleArray(), 0);
        } finally {
            a.close();
        }
    }
}
