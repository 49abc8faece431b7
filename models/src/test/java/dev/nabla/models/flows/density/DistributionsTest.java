package dev.nabla.models.flows.density;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistributionsTest {
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));

    @Test
    void standardNormalLogProbAndSamples() {
        try (Scope s = Scope.open()) {
            StandardNormal n = new StandardNormal(f, 2, DType.FLOAT64);
            double lp = n.logProb(f.of(new double[] {1.0, -2.0}, 1, 2)).item();
            assertEquals(-0.5 * 5 - Math.log(2 * Math.PI), lp, 1e-12);
            Tensor x = n.sample(20000, new Generator(1));
            assertArrayEquals(new int[] {20000, 2}, x.shape().dims());
            assertEquals(0.0, x.mean().item(), 0.02);
            assertEquals(1.0, x.variance(new int[] {0, 1}, 0, false).item(), 0.03);
            assertArrayEquals(x.toDoubleArray(), n.sample(20000, new Generator(1)).toDoubleArray(), 0.0);
            var e = assertThrows(ShapeException.class, () -> n.logProb(f.zeros(3, 3)));
            assertTrue(e.getMessage().contains("[batch, 2]"), e.getMessage());
        }
    }

    @Test
    void diagonalGaussianMatchesTheClosedFormAndIsReparameterised() {
        try (Scope s = Scope.open();
             DiagonalGaussian g = new DiagonalGaussian(f, f.of(new double[] {1.0, -3.0}, 2),
                     f.of(new double[] {Math.log(2.0), Math.log(0.5)}, 2), true)) {
            double lp = g.logProb(f.of(new double[] {2.0, -2.0}, 1, 2)).item();
            double expect = (-0.5 * 0.25 - Math.log(2.0)) + (-0.5 * 4.0 - Math.log(0.5)) - Math.log(2 * Math.PI);
            assertEquals(expect, lp, 1e-12);
            Tensor x = g.sample(20000, new Generator(2));
            double[] mean = x.mean(0, false).toDoubleArray();
            double[] var = x.variance(new int[] {0}, 0, false).toDoubleArray();
            assertEquals(1.0, mean[0], 0.05);
            assertEquals(-3.0, mean[1], 0.02);
            assertEquals(4.0, var[0], 0.15);
            assertEquals(0.25, var[1], 0.01);
            x.sum().backward(); // d/d loc of Σ x = n per dimension: the sample is a function of the parameters
            assertEquals(20000.0, g.loc().grad().toDoubleArray()[0], 1e-6);
            assertEquals(2, g.namedParameters().size());
        }
        try (DiagonalGaussian fixed = new DiagonalGaussian(f, 3, DType.FLOAT32, false)) {
            assertTrue(fixed.namedParameters().isEmpty());
            assertEquals(2, fixed.namedBuffers().size());
        }
    }
}
