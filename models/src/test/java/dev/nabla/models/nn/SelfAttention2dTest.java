package dev.nabla.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.GradCheck.Input;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SAGAN's self-attention block: γ = 0 is exactly the identity, attention rows sum to 1, the output against
 * float64 loops of the paper's equations, and gradients (input, W_f, W_g, W_h, γ) against finite differences
 * in float64 with γ ≠ 0.
 */
class SelfAttention2dTest {
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));

    private static double[] values(int n, double a, double b) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(a * i + b) + 0.2 * Math.cos(0.29 * i * i);
        }
        return v;
    }

    private static final int N = 2;
    private static final int C = 8;
    private static final int R = 2;
    private static final int H = 3;
    private static final int W = 2;

    private SelfAttention2d block(double gamma, boolean spectralNorm) {
        return new SelfAttention2d(new Generator(1), f.of(values(R * C, 0.7, 0.1), R, C, 1, 1),
                f.of(values(R * C, 1.3, 0.5), R, C, 1, 1), f.of(values(C * C, 0.37, 0.9), C, C, 1, 1),
                f.of(new double[] {gamma}, 1), spectralNorm);
    }

    @Test
    void gammaZeroIsExactlyTheIdentityAndTheDefaultStartsThere() {
        try (Scope s = Scope.open(); SelfAttention2d a = block(0.0, false);
                SelfAttention2d fresh = new SelfAttention2d(f, new Generator(2), 16, true)) {
            double[] x = values(N * C * H * W, 0.61, 0.3);
            Tensor xt = f.of(x, N, C, H, W);
            assertArrayEquals(x, a.forward(xt).toDoubleArray(), 0.0);
            assertEquals(0.0, fresh.gamma().item());
            assertEquals(2, fresh.reducedChannels(), "C/8 channels for f and g");
            Tensor x32 = f.normal(new Generator(3), 0, 1, Shape.of(1, 16, 4, 4), DType.FLOAT32);
            assertArrayEquals(x32.toFloatArray(), fresh.forward(x32).toFloatArray(), 0f);
            assertEquals(List.of("gamma", "f.weight_orig", "g.weight_orig", "h.weight_orig"),
                    List.copyOf(fresh.namedParameters().keySet()));
            assertEquals(List.of("f.weight_u", "f.weight_v", "g.weight_u", "g.weight_v", "h.weight_u", "h.weight_v"),
                    List.copyOf(fresh.namedBuffers().keySet()));
            assertEquals(List.of("gamma", "f.weight", "g.weight", "h.weight"), List.copyOf(a.namedParameters().keySet()));
        }
    }

    @Test
    void matchesTheEquationsComputedWithLoopsAndRowsSumToOne() {
        double gamma = 0.7;
        double[] wf = values(R * C, 0.7, 0.1);
        double[] wg = values(R * C, 1.3, 0.5);
        double[] wh = values(C * C, 0.37, 0.9);
        double[] x = values(N * C * H * W, 0.61, 0.3);
        int n = H * W;
        try (Scope s = Scope.open(); SelfAttention2d a = block(gamma, false)) {
            AttentionResult r = a.attend(f.of(x, N, C, H, W));
            assertEquals(Shape.of(N, C, H, W), r.output().shape());
            assertEquals(Shape.of(N, n, n), r.weights().shape());
            double[] y = r.output().toDoubleArray();
            double[] beta = r.weights().toDoubleArray();
            for (int b = 0; b < N; b++) {
                double[][] fx = new double[n][R];
                double[][] gx = new double[n][R];
                double[][] hx = new double[n][C];
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < C; c++) {
                        double xi = x[(b * C + c) * n + i];
                        for (int k = 0; k < R; k++) {
                            fx[i][k] += wf[k * C + c] * xi;
                            gx[i][k] += wg[k * C + c] * xi;
                        }
                        for (int k = 0; k < C; k++) {
                            hx[i][k] += wh[k * C + c] * xi;
                        }
                    }
                }
                for (int j = 0; j < n; j++) {
                    double[] e = new double[n];
                    double z = 0;
                    for (int i = 0; i < n; i++) {
                        double sij = 0;
                        for (int k = 0; k < R; k++) {
                            sij += fx[i][k] * gx[j][k];
                        }
                        e[i] = Math.exp(sij);
                        z += e[i];
                    }
                    double rowSum = 0;
                    for (int i = 0; i < n; i++) {
                        assertEquals(e[i] / z, beta[(b * n + j) * n + i], 1e-14, "β[" + b + ", " + j + ", " + i + "]");
                        rowSum += beta[(b * n + j) * n + i];
                    }
                    assertEquals(1.0, rowSum, 1e-14, "row " + j + " of batch " + b + " sums to 1");
                    for (int c = 0; c < C; c++) {
                        double o = 0;
                        for (int i = 0; i < n; i++) {
                            o += e[i] / z * hx[i][c];
                        }
                        assertEquals(gamma * o + x[(b * C + c) * n + j], y[(b * C + c) * n + j], 1e-13);
                    }
                }
            }
        }
        try (Scope s = Scope.open(); SelfAttention2d big = new SelfAttention2d(f, new Generator(4), 32, false)) {
            // a float32 block with C/8 = 4: every row of the attention map sums to 1
            Tensor x32 = f.normal(new Generator(5), 0, 3, Shape.of(2, 32, 5, 5), DType.FLOAT32);
            double[] rows = big.attend(x32).weights().sum(-1, false).toDoubleArray();
            assertEquals(50, rows.length);
            for (double v : rows) {
                assertEquals(1.0, v, 1e-6);
            }
        }
    }

    @Test
    void gradientsOfInputWeightsAndGammaPassFiniteDifferences() {
        double[] x = values(N * C * H * W, 0.61, 0.3);
        double[] c = values(N * C * H * W, 0.23, 1.7);
        // the input, through a block with γ = 0.7 (GradCheck on the input) …
        try (Scope s = Scope.open(); SelfAttention2d a = block(0.7, false)) {
            Tensor ct = f.of(c, N, C, H, W);
            GradCheck.check(f, List.of(new Input(x, N, C, H, W)), in -> a.forward(in.getFirst()).mul(ct).sum());
        }
        // … and every parameter, perturbed in place
        for (boolean sn : new boolean[] {false, true}) {
            try (Scope s = Scope.open(); SelfAttention2d a = block(0.7, sn)) {
                Tensor xt = f.of(x, N, C, H, W);
                Tensor ct = f.of(c, N, C, H, W);
                a.eval();                          // spectral norm: u and v fixed, a function of the weights alone
                Map<String, Tensor> params = a.namedParameters();
                List<Tensor> leaves = new ArrayList<>(params.values());
                List<Tensor> grads = Autograd.grad(a.forward(xt).mul(ct).sum(), leaves);
                int k = 0;
                for (var e : params.entrySet()) {
                    double[] analytic = grads.get(k++).toDoubleArray();
                    Tensor p = e.getValue();
                    double[] base = p.toDoubleArray();
                    for (int j = 0; j < base.length; j++) {
                        double numeric = (lossWith(a, p, base, j, 1e-6, xt, ct) - lossWith(a, p, base, j, -1e-6, xt, ct))
                                / 2e-6;
                        assertEquals(numeric, analytic[j], 1e-6 + 1e-5 * Math.abs(numeric),
                                (sn ? "spectral norm, " : "") + e.getKey() + " element " + j);
                    }
                }
                assertTrue(Math.abs(grads.getFirst().item()) > 1e-3, "γ has a gradient at all");
            }
        }
    }

    private double lossWith(SelfAttention2d a, Tensor p, double[] base, int j, double delta, Tensor x, Tensor c) {
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            double[] v = base.clone();
            v[j] += delta;
            p.assign(f.of(v, p.shape().dims()));
            double value = a.forward(x).mul(c).sum().item();
            p.assign(f.of(base, p.shape().dims()));
            return value;
        }
    }

    @Test
    void badShapesAreNamed() {
        try (Scope s = Scope.open(); SelfAttention2d a = new SelfAttention2d(f, new Generator(1), 16, false)) {
            var ex = assertThrows(ShapeException.class, () -> a.forward(f.zeros(1, 8, 4, 4)));
            assertTrue(ex.getMessage().contains("[1, 8, 4, 4]") && ex.getMessage().contains("[N, 16, H, W]"),
                    ex.getMessage());
            var bad = assertThrows(ShapeException.class, () -> new SelfAttention2d(new Generator(1), f.zeros(2, 8, 1, 1),
                    f.zeros(2, 8, 1, 1), f.zeros(8, 4, 1, 1), f.zeros(1), false));
            assertTrue(bad.getMessage().contains("[8, 4, 1, 1]"), bad.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new SelfAttention2d(f, new Generator(1), 0, false));
        }
    }
}
