package dev.nabla.models.gan;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.nn.Linear;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GAN losses against their closed forms in float64 loops, and the reason the non-saturating loss
 * exists: as {@code D(G(z)) → 0} the minimax generator's gradient vanishes and the non-saturating one's
 * does not — at the logits and at the generator's parameters.
 */
class GanLossTest {
    static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));
    static final double[] A = {2.5, -0.7, 0.1, 4.0, -3.2};
    static final double[] B = {-1.5, 0.3, -6.0, 1.2, -0.05};

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static Tensor t(double[] v) {
        return F.of(v, v.length, 1);
    }

    @Test
    void theDiscriminatorLossIsMinusTheValueFunctionAndBceWithSmoothedRealLabels() {
        try (Scope s = Scope.open()) {
            for (double smooth : new double[] {0, 0.1, 0.3}) {
                double real = 0;
                for (double a : A) {
                    real -= (1 - smooth) * Math.log(sigmoid(a)) + smooth * Math.log(1 - sigmoid(a));
                }
                double fake = 0;
                for (double b : B) {
                    fake -= Math.log(1 - sigmoid(b));
                }
                double expected = real / A.length + fake / B.length;
                assertEquals(expected, GanLoss.discriminator(t(A), t(B), smooth).item(), 1e-12, "smooth " + smooth);
                Tensor bce = Losses.binaryCrossEntropyWithLogits(t(A), F.full(dev.nabla.api.types.Shape.of(A.length, 1), 1 - smooth, DType.FLOAT64))
                        .add(Losses.binaryCrossEntropyWithLogits(t(B), F.zeros(DType.FLOAT64, B.length, 1)));
                assertEquals(bce.item(), GanLoss.discriminator(t(A), t(B), smooth).item(), 1e-12);
            }
            double v = 0;   // V(D, G) = E[log D(x)] + E[log(1 - D(G(z)))]
            for (int i = 0; i < A.length; i++) {
                v += (Math.log(sigmoid(A[i])) + Math.log(1 - sigmoid(B[i]))) / A.length;
            }
            assertEquals(-v, GanLoss.discriminator(t(A), t(B), 0).item(), 1e-12);
        }
    }

    @Test
    void theGeneratorLossesAreTheirClosedForms() {
        try (Scope s = Scope.open()) {
            double minimax = 0;
            double nonSaturating = 0;
            for (double b : B) {
                minimax += Math.log(1 - sigmoid(b)) / B.length;
                nonSaturating -= Math.log(sigmoid(b)) / B.length;
            }
            assertEquals(minimax, GanLoss.MINIMAX.generator(t(B)).item(), 1e-12);
            assertEquals(nonSaturating, GanLoss.NON_SATURATING.generator(t(B)).item(), 1e-12);
            // finite at logits where log(sigmoid) would underflow in a naive form
            assertEquals(-800, GanLoss.MINIMAX.generator(t(new double[] {800})).item(), 1e-9);
            assertEquals(800, GanLoss.NON_SATURATING.generator(t(new double[] {-800})).item(), 1e-9);
        }
    }

    /** dL_G/db for logits b all equal to {@code logit}, batch of 4. */
    private static double[] logitGradient(GanLoss loss, double logit) {
        try (Scope s = Scope.open()) {
            Tensor b = F.full(dev.nabla.api.types.Shape.of(4, 1), logit, DType.FLOAT64).requiresGrad(true);
            loss.generator(b).backward();
            return b.grad().toDoubleArray();
        }
    }

    @Test
    void asTheDiscriminatorRejectsTheSamplesTheMinimaxGradientVanishesAndTheNonSaturatingOneDoesNot() {
        for (double logit : new double[] {-5, -10, -20, -30}) {
            double d = sigmoid(logit);   // D(G(z))
            double[] mm = logitGradient(GanLoss.MINIMAX, logit);
            double[] ns = logitGradient(GanLoss.NON_SATURATING, logit);
            for (int i = 0; i < 4; i++) {
                assertEquals(-d / 4, mm[i], 1e-15, "minimax dL/db = -D(G(z))/n");
                assertEquals((d - 1) / 4, ns[i], 1e-15, "non-saturating dL/db = (D(G(z)) - 1)/n");
            }
            if (logit <= -20) {
                assertTrue(Math.abs(mm[0]) < 1e-9, "minimax gradient vanishes: " + mm[0]);
                assertTrue(Math.abs(ns[0]) > 0.24, "non-saturating gradient does not: " + ns[0]);
            }
        }
    }

    @Test
    void atTheGeneratorsParametersTooTheMinimaxGradientVanishes() {
        Generator g = new Generator(3);
        try (Linear gen = new Linear(F, g, 2, 2, true, DType.FLOAT64);
             Linear disc = new Linear(F, g, 2, 1, true, DType.FLOAT64); Scope s = Scope.open()) {
            Tensor z = F.randn(g, 16, 2).to(DType.FLOAT64);
            for (GanLoss loss : GanLoss.values()) {
                double[] norms = new double[2];
                for (int shift = 0; shift < 2; shift++) {
                    // a discriminator whose bias pushes D(G(z)) to about e^-25 (shift 1), or leaves it near 1/2
                    Tensor b = disc.forward(gen.forward(z)).sub(shift == 0 ? 0.0 : 25.0);
                    gen.weight().zeroGrad();
                    loss.generator(b).backward();
                    norms[shift] = gen.weight().grad().square().sum().sqrt().item();
                }
                if (loss == GanLoss.MINIMAX) {
                    assertTrue(norms[1] < 1e-9 * norms[0], "minimax: " + norms[1] + " vs " + norms[0]);
                } else {
                    assertTrue(norms[1] > 0.5 * norms[0], "non-saturating: " + norms[1] + " vs " + norms[0]);
                }
            }
        }
    }

    @Test
    void anUnknownLossIsNamedWithTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GanLoss.parse("wasserstein"));
        assertEquals("gan: unknown loss 'wasserstein'; valid: minimax, nonsaturating, hinge", e.getMessage());
        assertEquals(GanLoss.NON_SATURATING, GanLoss.parse("non-saturating"));
        assertEquals(GanLoss.MINIMAX, GanLoss.parse("minimax"));
    }
}
