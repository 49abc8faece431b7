package org.example.nabla.plugin;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The residual MLP in float64 on the reference backend: its output equals the documented formula computed
 * with plain loops in doubles, its initialisation is the documented one, and bad input is named.
 */
class ResidualMlpTest {
    static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    private Scope scope;

    @BeforeEach
    void open() {
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "tanh", "softplus", "elu", "identity"})
    void outputEqualsTheFormulaComputedWithLoops(String activation) {
        Generator g = new Generator(7);
        int in = 3;
        int out = 4;
        int hidden = 5;
        int layers = 3;
        try (ResidualMlp net = new ResidualMlp(F, g, in, out, hidden, layers, activation, DType.FLOAT64)) {
            perturb(net, g);   // the output layer starts at zero; move every parameter
            Tensor x = F.normal(g, 0, 1.5, Shape.of(6, in), DType.FLOAT64);
            double[] got = net.forward(x).toDoubleArray();
            Map<String, Tensor> p = net.namedParameters();
            DoubleUnaryOperator act = switch (activation) {
                case "relu" -> v -> Math.max(v, 0);
                case "tanh" -> Math::tanh;
                case "softplus" -> v -> Math.log1p(Math.exp(v));
                case "elu" -> v -> v > 0 ? v : Math.expm1(v);
                default -> v -> v;
            };
            double[] xs = x.toDoubleArray();
            for (int b = 0; b < 6; b++) {
                double[] row = new double[in];
                System.arraycopy(xs, b * in, row, 0, in);
                double[] h = affine(row, p.get("input.weight"), p.get("input.bias"));
                for (int k = 0; k + 1 < layers; k++) {
                    double[] r = affine(apply(act, h), p.get("blocks." + k + ".weight"), p.get("blocks." + k + ".bias"));
                    for (int j = 0; j < hidden; j++) {
                        h[j] += r[j];
                    }
                }
                double[] y = affine(apply(act, h), p.get("output.weight"), p.get("output.bias"));
                for (int j = 0; j < out; j++) {
                    assertEquals(y[j], got[b * out + j], 1e-12, activation + ": y[" + b + "][" + j + "]");
                }
            }
        }
    }

    @Test
    void isInitialisedAsDocumented() {
        int in = 4;
        int hidden = 32;
        int layers = 4;
        try (ResidualMlp net = new ResidualMlp(F, new Generator(1), in, 6, hidden, layers, "relu", DType.FLOAT32)) {
            assertEquals(List.of("input.weight", "input.bias", "blocks.0.weight", "blocks.0.bias", "blocks.1.weight",
                    "blocks.1.bias", "blocks.2.weight", "blocks.2.bias", "output.weight", "output.bias"),
                    List.copyOf(net.namedParameters().keySet()));
            Map<String, Tensor> p = net.namedParameters();
            assertWithin(p.get("input.weight"), 1 / Math.sqrt(in));
            assertWithin(p.get("input.bias"), 1 / Math.sqrt(in));
            for (int k = 0; k + 1 < layers; k++) {
                assertWithin(p.get("blocks." + k + ".weight"), 1 / Math.sqrt(hidden * (layers - 1)));
                assertEquals(0.0, p.get("blocks." + k + ".bias").abs().sum().item());
            }
            assertEquals(0.0, p.get("output.weight").abs().sum().item());
            assertEquals(0.0, p.get("output.bias").abs().sum().item());
            Tensor y = net.forward(F.randn(new Generator(2), 5, in));
            assertEquals(Shape.of(5, 6), y.shape());
            assertEquals(0.0, y.abs().sum().item(), "a fresh residual_mlp is the zero function");
            // ... whose output layer still learns: its gradient σ(h_L)ᵀ·∂L/∂y is non-zero
            y.sum().backward();
            assertTrue(p.get("output.weight").grad().abs().sum().item() > 0);
        }
    }

    @Test
    void theSameSeedGivesTheSameParametersAndAnotherSeedOthers() {
        try (ResidualMlp a = new ResidualMlp(F, new Generator(9), 2, 4, 8, 2, "tanh", DType.FLOAT32);
             ResidualMlp b = new ResidualMlp(F, new Generator(9), 2, 4, 8, 2, "tanh", DType.FLOAT32);
             ResidualMlp c = new ResidualMlp(F, new Generator(10), 2, 4, 8, 2, "tanh", DType.FLOAT32)) {
            assertArrayEquals(a.namedParameters().get("blocks.0.weight").toFloatArray(),
                    b.namedParameters().get("blocks.0.weight").toFloatArray());
            assertFalse(java.util.Arrays.equals(a.namedParameters().get("blocks.0.weight").toFloatArray(),
                    c.namedParameters().get("blocks.0.weight").toFloatArray()));
        }
    }

    @Test
    void oneLayerIsAOneHiddenLayerMlpAndLeadingAxesBroadcast() {
        try (ResidualMlp net = new ResidualMlp(F, new Generator(3), 2, 3, 4, 1, "tanh", DType.FLOAT64)) {
            assertEquals(0, net.blocks());
            assertEquals(4, net.namedParameters().size());
            assertEquals(Shape.of(2, 5, 3), net.forward(F.zeros(Shape.of(2, 5, 2), DType.FLOAT64)).shape());
        }
    }

    @Test
    void refusesInputOfTheWrongWidthOrDTypeNamingIt() {
        try (ResidualMlp net = new ResidualMlp(F, new Generator(3), 2, 3, 4, 1, "relu", DType.FLOAT32)) {
            ShapeException e = assertThrows(ShapeException.class, () -> net.forward(F.zeros(5, 3)));
            assertTrue(e.getMessage().contains("[5, 3]") && e.getMessage().contains("end in 2"), e.getMessage());
            assertThrows(ShapeException.class, () -> net.forward(F.zeros(Shape.of(5, 2), DType.FLOAT64)));
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new ResidualMlp(F, new Generator(3), 2, 3, 4, 1, "swish", DType.FLOAT32));
        assertTrue(bad.getMessage().contains("swish") && bad.getMessage().contains("tanh"), bad.getMessage());
    }

    static void perturb(ResidualMlp net, Generator g) {
        try (Scope ignored = Scope.open()) {
            for (Tensor t : net.namedParameters().values()) {
                t.assign(t.add(F.normal(g, 0, 0.4, t.shape(), t.dtype())));
            }
        }
    }

    private static void assertWithin(Tensor t, double bound) {
        double[] v = t.toDoubleArray();
        double max = 0;
        for (double d : v) {
            max = Math.max(max, Math.abs(d));
        }
        assertTrue(max <= bound, "|values| <= " + bound + ", got " + max);
        assertTrue(max > 0.5 * bound, "uniform in ±" + bound + " should come close to the bound, got " + max);
    }

    /** {@code row·W + b} for {@code W: [n, m]}. */
    private static double[] affine(double[] row, Tensor w, Tensor b) {
        double[] ws = w.toDoubleArray();
        double[] bs = b.toDoubleArray();
        int m = bs.length;
        double[] y = new double[m];
        for (int j = 0; j < m; j++) {
            double s = bs[j];
            for (int i = 0; i < row.length; i++) {
                s += row[i] * ws[i * m + j];
            }
            y[j] = s;
        }
        return y;
    }

    private static double[] apply(DoubleUnaryOperator f, double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = f.applyAsDouble(v[i]);
        }
        return r;
    }
}
