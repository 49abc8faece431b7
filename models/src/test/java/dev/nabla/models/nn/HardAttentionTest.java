package dev.nabla.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hard attention and its REINFORCE estimator: the surrogate's gradient is exactly
 * {@code −(1/N) Σ (r_i − b) ∇ log p(s_i)} (for a softmax, {@code ∇_e log p(s) = onehot(s) − a}); averaged over
 * many draws it is the exact gradient of {@code −E[r]} on a closed-form case, with and without the baseline;
 * the baseline is the running mean the class comment states; draws follow the alignment; the context is the
 * drawn position's key.
 */
class HardAttentionTest {
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));

    @Test
    void surrogateGradientIsTheAdvantageTimesTheScoreFunction() {
        try (Scope ignored = Scope.open(); HardAttention hard = new HardAttention(f, 0.9)) {
            int b = 4;
            int s = 5;
            Generator g = new Generator(3);
            double[] e = new double[b * s];
            for (int i = 0; i < e.length; i++) {
                e[i] = g.nextGaussian();
            }
            Tensor scores = f.of(e, b, s).requiresGrad(true);
            Tensor a = scores.softmax(1);
            double[] keyValues = new double[b * s * 2];
            for (int i = 0; i < keyValues.length; i++) {
                keyValues[i] = i;
            }
            Tensor keys = f.of(keyValues, b, s, 2);
            HardAttention.Draw d = HardAttention.sample(a, keys, g);
            double[] c = d.context().toDoubleArray();
            for (int i = 0; i < b; i++) {   // the context is the drawn position's key
                assertEquals(keyValues[(i * s + d.positions()[i]) * 2], c[i * 2], 0.0);
                assertEquals(keyValues[(i * s + d.positions()[i]) * 2 + 1], c[i * 2 + 1], 0.0);
            }
            double[] reward = {1.5, -0.5, 2.0, 0.25};
            hard.surrogate(d.logProb(), new double[] {0.0, 0.0, 0.0, 0.0}, 1);   // sets the baseline to 0
            hard.surrogate(d.logProb(), new double[] {1.0, 1.0, 1.0, 1.0}, 1);   // then 0.9·0 + 0.1·1
            double baseline = hard.baseline();
            assertEquals(0.1, baseline, 1e-15);
            Tensor surrogate = hard.surrogate(d.logProb(), reward, 3.0);
            double[] grad = Autograd.grad(surrogate, List.of(scores)).getFirst().toDoubleArray();
            double[] p = a.toDoubleArray();
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < s; k++) {
                    double expected = -(reward[i] - baseline) / 3.0 * ((k == d.positions()[i] ? 1 : 0) - p[i * s + k]);
                    assertEquals(expected, grad[i * s + k], 1e-14, "row " + i + " position " + k);
                }
            }
            double mean = (1.5 - 0.5 + 2.0 + 0.25) / 4;
            assertEquals(0.9 * 0.1 + 0.1 * mean, hard.baseline(), 1e-15, "the running baseline");
        }
    }

    @Test
    void theEstimatorIsUnbiasedOnAClosedFormCase() {
        // three positions with fixed rewards: E[r] = Σ p_k r_k and ∂E[r]/∂e_k = p_k (r_k − E[r])
        double[] e = {0.3, -0.8, 1.1};
        double[] r = {1.0, -2.0, 0.5};
        double[] p = new double[3];
        double z = 0;
        for (int k = 0; k < 3; k++) {
            z += Math.exp(e[k]);
        }
        double expectation = 0;
        for (int k = 0; k < 3; k++) {
            p[k] = Math.exp(e[k]) / z;
            expectation += p[k] * r[k];
        }
        int n = 40_000;
        try (Scope ignored = Scope.open(); HardAttention hard = new HardAttention(f, 0.0)) {
            Generator g = new Generator(17);
            Tensor keys = f.zeros(dev.nabla.api.types.DType.FLOAT64, n, 3, 1);
            for (int round = 0; round < 2; round++) {   // without a baseline (0), then with b = the last mean reward
                double[] rows = new double[n * 3];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(e, 0, rows, i * 3, 3);
                }
                Tensor scores = f.of(e, 1, 3).requiresGrad(true);
                Tensor a = scores.broadcastTo(n, 3).softmax(1);
                HardAttention.Draw d = HardAttention.sample(a, keys, g);
                double[] reward = new double[n];
                int[] counts = new int[3];
                for (int i = 0; i < n; i++) {
                    reward[i] = r[d.positions()[i]];
                    counts[d.positions()[i]]++;
                }
                for (int k = 0; k < 3; k++) {   // the draws follow the alignment (5 standard errors)
                    assertEquals(p[k], counts[k] / (double) n, 5 * Math.sqrt(p[k] * (1 - p[k]) / n));
                }
                double b = round == 0 ? 0 : hard.baseline();
                if (round == 0) {
                    // the first surrogate sets the baseline but uses 0
                    assertEquals(0.0, hard.baseline(), 0.0);
                }
                Tensor surrogate = hard.surrogate(d.logProb(), reward, n);
                double[] grad = Autograd.grad(surrogate, List.of(scores)).getFirst().toDoubleArray();
                for (int k = 0; k < 3; k++) {
                    double exact = -p[k] * (r[k] - expectation);   // the surrogate's gradient estimates −∇E[r]
                    assertEquals(exact, grad[k], 0.03, "round " + round + " (baseline " + b + "), position " + k);
                }
            }
        }
    }
}
