package dev.nabla.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.ShapeException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spectral normalisation: the power-iteration estimate against the largest singular value computed in float64
 * (Jacobi eigenvalues of W Wᵀ, written here), one step against float64 loops, the normalised weight's spectral
 * norm, gradients by finite differences, the buffers in the state and evaluation mode.
 */
class SpectralNormTest {
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));

    private static double[] values(int n, double a, double b) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.sin(a * i + b) + 0.3 * Math.cos(0.37 * i * i);
        }
        return v;
    }

    /** The largest singular value of the row-major {@code [rows, cols]} matrix, by cyclic Jacobi on {@code A Aᵀ}. */
    static double largestSingularValue(double[] a, int rows, int cols) {
        double[][] m = new double[rows][rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                double s = 0;
                for (int k = 0; k < cols; k++) {
                    s += a[i * cols + k] * a[j * cols + k];
                }
                m[i][j] = s;
            }
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < rows; p++) {
                for (int q = p + 1; q < rows; q++) {
                    off += m[p][q] * m[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < rows; p++) {
                for (int q = p + 1; q < rows; q++) {
                    if (m[p][q] == 0) {
                        continue;
                    }
                    double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < rows; k++) {          // columns p, q: M ← M J
                        double mkp = m[k][p];
                        double mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < rows; k++) {          // rows p, q: M ← Jᵀ M
                        double mpk = m[p][k];
                        double mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                }
            }
        }
        double max = 0;
        for (int i = 0; i < rows; i++) {
            max = Math.max(max, m[i][i]);
        }
        return Math.sqrt(max);
    }

    /** [O, C, k, k] weight → the row-major [O, C·k·k] matrix; [Cin, Cout, k, k] with axis 1 → [Cout, Cin·k·k]. */
    private static double[] asMatrix(double[] w, int[] shape, int outAxis) {
        if (outAxis == 0) {
            return w.clone();
        }
        int a = shape[0];
        int b = shape[1];
        int rest = w.length / (a * b);
        double[] m = new double[w.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                for (int r = 0; r < rest; r++) {
                    m[(j * a + i) * rest + r] = w[(i * b + j) * rest + r];
                }
            }
        }
        return m;
    }

    @Test
    void theJacobiReferenceIsRightOnAKnownMatrix() {
        // [[3, 0], [4, 5]]: singular values √45 and √5 (AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5)
        assertEquals(Math.sqrt(45), largestSingularValue(new double[] {3, 0, 4, 5}, 2, 2), 1e-14);
        // a rank-one matrix u vᵀ has σ = ‖u‖‖v‖
        assertEquals(Math.sqrt(14) * Math.sqrt(2), largestSingularValue(new double[] {1, 1, 2, 2, 3, 3}, 3, 2), 1e-13);
    }

    @Test
    void afterManyForwardPassesSigmaIsTheLargestSingularValueInFloat64() {
        int[] shape = {6, 3, 3, 3};
        double[] w = values(6 * 27, 0.71, 0.2);
        double want = largestSingularValue(w, 6, 27);
        try (Scope s = Scope.open();
                SpectralNorm sn = new SpectralNorm(new Generator(3), f.of(w, shape), null, 0,
                        (x, weight, b) -> x.conv2d(weight, b, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}),
                        "Conv2d(3 -> 6)")) {
            double first = sn.sigma();
            Tensor x = f.of(values(2 * 3 * 5 * 5, 0.3, 0.1), 2, 3, 5, 5);
            for (int i = 0; i < 200; i++) {
                try (Scope step = Scope.open()) {
                    sn.forward(x);
                }
            }
            assertTrue(Math.abs(first - want) > 1e-3, "the random start is not already converged: " + first + " vs " + want);
            assertEquals(want, sn.sigma(), 1e-6 * want);
            assertEquals(want, sn.sigma(), 1e-12 * want, "float64 converges to round-off");
            // W / σ has spectral norm 1
            double[] normalised = sn.weight().toDoubleArray();
            assertEquals(1.0, largestSingularValue(normalised, 6, 27), 1e-12);
        }
    }

    @Test
    void float32ConvLayersConvergeToTheFloat64SingularValueOfTheirWeights() {
        try (Scope s = Scope.open();
                SpectralNorm conv = SpectralNorm.conv2d(f, new Generator(5), 4, 8, 3, 2, 1);
                SpectralNorm deconv = SpectralNorm.convTranspose2d(f, new Generator(6), 8, 4, 4, 2, 1, 0);
                SpectralNorm linear = SpectralNorm.linear(f, new Generator(7), 12, 5, true)) {
            assertEquals(List.of(8, 36), List.of(conv.u().dim(0), conv.v().dim(0)));
            assertEquals(List.of(4, 128), List.of(deconv.u().dim(0), deconv.v().dim(0)), "ConvTranspose2d: output axis 1");
            assertEquals(List.of(5, 12), List.of(linear.u().dim(0), linear.v().dim(0)), "Linear [in, out]: u has out entries");
            Tensor x1 = f.normal(new Generator(1), 0, 1, dev.nabla.api.types.Shape.of(2, 4, 8, 8),
                    dev.nabla.api.types.DType.FLOAT32);
            Tensor x2 = f.normal(new Generator(2), 0, 1, dev.nabla.api.types.Shape.of(2, 8, 3, 3),
                    dev.nabla.api.types.DType.FLOAT32);
            Tensor x3 = f.normal(new Generator(3), 0, 1, dev.nabla.api.types.Shape.of(3, 12),
                    dev.nabla.api.types.DType.FLOAT32);
            assertEquals(List.of(2, 8, 4, 4), Arrays.stream(conv.forward(x1).shape().dims()).boxed().toList());
            assertEquals(List.of(2, 4, 6, 6), Arrays.stream(deconv.forward(x2).shape().dims()).boxed().toList());
            assertEquals(List.of(3, 5), Arrays.stream(linear.forward(x3).shape().dims()).boxed().toList());
            for (int i = 0; i < 300; i++) {
                try (Scope step = Scope.open()) {
                    conv.weight();
                    deconv.weight();
                    linear.weight();
                }
            }
            double cw = largestSingularValue(conv.weightOrig().toDoubleArray(), 8, 36);
            double dw = largestSingularValue(asMatrix(deconv.weightOrig().toDoubleArray(), new int[] {8, 4, 4, 4}, 1), 4,
                    128);
            // Nabla's Linear weight is [in, out]; σ is that of its transpose
            double lw = largestSingularValue(asMatrix(linear.weightOrig().toDoubleArray(), new int[] {12, 5}, 1), 5, 12);
            assertEquals(cw, conv.sigma(), 1e-6 * cw);
            assertEquals(dw, deconv.sigma(), 1e-6 * dw);
            assertEquals(lw, linear.sigma(), 1e-6 * lw);
        }
    }

    @Test
    void oneTrainingStepIsOnePowerIterationAndTheOutputUsesWOverSigma() {
        int rows = 3;
        int cols = 4;
        double[] w = values(rows * cols, 1.1, 0.4);
        double[] b = {0.1, -0.2, 0.3};
        try (Scope s = Scope.open();
                SpectralNorm sn = new SpectralNorm(new Generator(9), f.of(w, rows, cols), f.of(b, rows), 0,
                        (x, weight, bias) -> x.matmul(weight.t()).add(bias), "x Wᵀ + b")) {
            double[] u = sn.u().toDoubleArray();
            double[] v = new double[cols];
            for (int j = 0; j < cols; j++) {
                for (int i = 0; i < rows; i++) {
                    v[j] += w[i * cols + j] * u[i];
                }
            }
            scale(v);
            double[] u2 = new double[rows];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    u2[i] += w[i * cols + j] * v[j];
                }
            }
            scale(u2);
            double sigma = 0;
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    sigma += u2[i] * w[i * cols + j] * v[j];
                }
            }
            double[] x = {0.5, -1.0, 2.0, 0.25};
            double[] y = sn.forward(f.of(x, 1, cols)).toDoubleArray();
            assertArrayEquals(v, sn.v().toDoubleArray(), 1e-14);
            assertArrayEquals(u2, sn.u().toDoubleArray(), 1e-14);
            assertEquals(sigma, sn.sigma(), 1e-14);
            for (int i = 0; i < rows; i++) {
                double want = b[i];
                for (int j = 0; j < cols; j++) {
                    want += w[i * cols + j] / sigma * x[j];
                }
                assertEquals(want, y[i], 1e-13);
            }

            sn.eval();
            double[] frozen = sn.u().toDoubleArray();
            sn.forward(f.of(x, 1, cols));
            assertArrayEquals(frozen, sn.u().toDoubleArray(), 0.0, "evaluation mode does not iterate");
            sn.train(true);
            sn.forward(f.of(x, 1, cols));
            assertNotEquals(Arrays.toString(frozen), Arrays.toString(sn.u().toDoubleArray()), "training mode does");
        }
    }

    private static void scale(double[] a) {
        double n = 0;
        for (double x : a) {
            n += x * x;
        }
        n = Math.sqrt(n);
        for (int i = 0; i < a.length; i++) {
            a[i] /= n;
        }
    }

    @Test
    void gradientsThroughWOverSigmaMatchFiniteDifferences() {
        int[] shape = {2, 3, 2, 2};   // ConvTranspose2d [Cin, Cout, k, k], output axis 1
        double[] w = values(24, 0.53, 0.7);
        double[] x = values(1 * 2 * 3 * 3, 0.9, 0.3);
        double[] c = values(1 * 3 * 4 * 4, 0.41, 1.1);
        try (Scope s = Scope.open();
                SpectralNorm sn = new SpectralNorm(new Generator(4), f.of(w, shape), f.of(new double[] {0.1, 0.2, 0.3}, 3),
                        1, (in, weight, b) -> in.convTranspose2d(weight, b, new int[] {1, 1}, new int[] {0, 0},
                                new int[] {0, 0}), "ConvTranspose2d(2 -> 3, k2)")) {
            for (int i = 0; i < 3; i++) {
                sn.weight();          // a few steps so u and v are not the random start
            }
            sn.eval();                // u and v fixed: the loss is a function of W alone
            Tensor xt = f.of(x, 1, 2, 3, 3);
            Tensor ct = f.of(c, 1, 3, 4, 4);
            Tensor loss = sn.forward(xt).mul(ct).sum();
            double[] analytic = Autograd.grad(loss, List.of(sn.weightOrig())).getFirst().toDoubleArray();
            double eps = 1e-6;
            for (int j = 0; j < w.length; j++) {
                double[] plus = w.clone();
                double[] minus = w.clone();
                plus[j] += eps;
                minus[j] -= eps;
                double numeric = (lossAt(sn, plus, shape, xt, ct) - lossAt(sn, minus, shape, xt, ct)) / (2 * eps);
                assertEquals(numeric, analytic[j], 1e-6 + 1e-5 * Math.abs(numeric), "weight_orig element " + j);
            }
        }
    }

    private double lossAt(SpectralNorm sn, double[] w, int[] shape, Tensor x, Tensor c) {
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            Tensor saved = sn.weightOrig().detach().mul(1.0);
            sn.weightOrig().assign(f.of(w, shape));
            double value = sn.forward(x).mul(c).sum().item();
            sn.weightOrig().assign(saved);
            return value;
        }
    }

    @Test
    void theBuffersAreStateWithPyTorchsNamesAndLoadBack() {
        try (Scope s = Scope.open();
                SpectralNorm a = SpectralNorm.conv2d(f, new Generator(1), 2, 3, 3, 1, 1);
                SpectralNorm b = SpectralNorm.conv2d(f, new Generator(2), 2, 3, 3, 1, 1)) {
            assertEquals(List.of("weight_orig", "bias"), List.copyOf(a.namedParameters().keySet()));
            assertEquals(List.of("weight_u", "weight_v"), List.copyOf(a.namedBuffers().keySet()));
            Tensor x = f.normal(new Generator(8), 0, 1, dev.nabla.api.types.Shape.of(1, 2, 4, 4),
                    dev.nabla.api.types.DType.FLOAT32);
            a.forward(x);
            a.forward(x);
            Map<String, Tensor> state = a.state();
            b.loadState(state);
            a.eval();
            b.eval();
            assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray(), 0f);
            assertArrayEquals(a.u().toFloatArray(), b.u().toFloatArray(), 0f);
            assertTrue(a.toString().startsWith("SpectralNorm(Conv2d(2 -> 3"), a.toString());
            var ex = assertThrows(ShapeException.class, () -> a.forward(f.zeros(1, 3, 4, 4)));
            assertTrue(ex.getMessage().contains("[1, 3, 4, 4]") && ex.getMessage().contains("[N, 2, H, W]"),
                    ex.getMessage());
            var bad = assertThrows(IllegalArgumentException.class,
                    () -> new SpectralNorm(new Generator(1), f.zeros(2, 3), null, 2, (p, q, r) -> p, "x"));
            assertTrue(bad.getMessage().contains("[2, 3]") && bad.getMessage().contains("axis 2"), bad.getMessage());
        }
    }
}
