package dev.nabla.provider.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Runs the README's gradient example verbatim and checks it against the closed form. */
class ReadmeExampleTest {
    @Test
    void readmeGradientExample() {
        // --- the README example, verbatim ---
        Tensor w = Nabla.tensor(new float[][] {{0.5f, -1f}, {2f, 0.25f}}).requiresGrad(true);
        Tensor x = Nabla.tensor(new float[] {1f, 2f});
        try (Scope scope = Nabla.scope()) {
            Tensor loss = w.matmul(x).tanh().square().sum();
            loss.backward();
        }
        // --- end ---
        assertTrue(w.grad().toString().startsWith("Tensor[2, 2] float32 cpu [["), w.grad().toString());
        double[][] wv = {{0.5, -1}, {2, 0.25}};
        double[] xv = {1, 2};
        float[] g = w.grad().toFloatArray();
        for (int i = 0; i < 2; i++) {
            double h = wv[i][0] * xv[0] + wv[i][1] * xv[1];
            double t = Math.tanh(h);
            for (int j = 0; j < 2; j++) {
                assertEquals(2 * t * (1 - t * t) * xv[j], g[i * 2 + j], 1e-6, "grad[" + i + "][" + j + "]");
            }
        }
        w.close();
        x.close();
    }
}
