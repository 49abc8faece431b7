package dev.nabla.models.flows;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.nabla.models.flows.FlowBijectionTest.F;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MADE's masks follow the degree rule, and MAF/IAF Jacobians are triangular in their declared (non-trivial) order. */
class AutoregressiveStructureTest {
    private static final int D = 5;
    private static final int[] ORDER = {3, 0, 4, 2, 1}; // neither natural nor reversed

    @Test
    void madeOutputsDependOnlyOnEarlierInputsInTheOrder() {
        Generator g = new Generator(3);
        try (Scope s = Scope.open(); MADE made = new MADE(F, g, ORDER, new int[] {12, 12}, 2, "tanh", DType.FLOAT64)) {
            FlowBijectionTest.perturb(new FlowSequenceProbe(made), g);
            Tensor x = F.normal(g, 0, 1, Shape.of(3, D), DType.FLOAT64);
            int[] rank = rank(ORDER);
            double[] y0 = made.forward(x).toDoubleArray();
            for (int j = 0; j < D; j++) {
                double[] xs = x.toDoubleArray();
                for (int b = 0; b < 3; b++) {
                    xs[b * D + j] += 0.5;
                }
                double[] y1 = made.forward(F.of(xs, 3, D)).toDoubleArray();
                for (int out = 0; out < 2 * D; out++) {
                    int i = out % D;
                    double diff = Math.abs(y1[out] - y0[out]);
                    if (rank[j] >= rank[i]) {
                        assertEquals(0.0, diff, 0.0, "output " + out + " must not see input " + j);
                    } else {
                        assertTrue(diff > 1e-9, "output " + out + " should see earlier input " + j);
                    }
                }
            }
        }
    }

    @Test
    void hiddenDegreesStayInOneToDMinusOne() {
        for (int k = 0; k < 40; k++) {
            int deg = MADE.hiddenDegree(k, D);
            assertTrue(deg >= 1 && deg <= D - 1, "degree " + deg);
        }
        assertArrayEquals(new int[] {2, 5, 4, 1, 3}, MADE.inputDegrees(ORDER));
    }

    @Test
    void mafAndIafJacobiansAreTriangularInTheirOrder() {
        Generator g = new Generator(9);
        int[] rank = rank(ORDER);
        try (Scope s = Scope.open();
             var maf = new MaskedAutoregressiveFlow(F, g, ORDER, new int[] {16}, "tanh", DType.FLOAT64);
             var iaf = new InverseAutoregressiveFlow(F, g, ORDER, new int[] {16}, "tanh", DType.FLOAT64)) {
            FlowBijectionTest.perturb(maf, g);
            FlowBijectionTest.perturb(iaf, g);
            Tensor x = F.normal(g, 0, 1, Shape.of(2, D), DType.FLOAT64);
            checkTriangular("MAF forward ∂z/∂x", dev.nabla.tck.FlowChecks.jacobian(maf::forward, x), rank);
            checkTriangular("MAF inverse ∂x/∂z", dev.nabla.tck.FlowChecks.jacobian(maf::inverse, x), rank);
            checkTriangular("IAF inverse ∂x/∂z", dev.nabla.tck.FlowChecks.jacobian(iaf::inverse, x), rank);
            checkTriangular("IAF forward ∂z/∂x", dev.nabla.tck.FlowChecks.jacobian(iaf::forward, x), rank);
        }
    }

    private static void checkTriangular(String what, double[][][] j, int[] rank) {
        int below = 0;
        for (double[][] m : j) {
            for (int i = 0; i < D; i++) {
                assertTrue(Math.abs(m[i][i]) > 1e-6, what + ": diagonal " + i + " must be non-zero");
                for (int c = 0; c < D; c++) {
                    if (rank[c] > rank[i]) {
                        assertEquals(0.0, m[i][c], 1e-9, what + ": output " + i + " depends on later input " + c);
                    } else if (rank[c] < rank[i] && Math.abs(m[i][c]) > 1e-6) {
                        below++;
                    }
                }
            }
        }
        assertTrue(below > 0, what + ": expected dependence on earlier inputs (a non-diagonal Jacobian)");
    }

    @Test
    void orderNamesAndBadOrders() {
        assertArrayEquals(new int[] {0, 1, 2}, MADE.order("natural", 3, new Generator(1)));
        assertArrayEquals(new int[] {2, 1, 0}, MADE.order("reversed", 3, new Generator(1)));
        int[] r1 = MADE.order("random", 8, new Generator(4));
        assertArrayEquals(r1, MADE.order("random", 8, new Generator(4)), "random order is seeded");
        int[] sorted = r1.clone();
        Arrays.sort(sorted);
        assertArrayEquals(MADE.order("natural", 8, null), sorted);
        var e = assertThrows(IllegalArgumentException.class, () -> MADE.order("sideways", 3, new Generator(1)));
        assertTrue(e.getMessage().contains("natural, reversed, random"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new MADE(F, new Generator(1), new int[] {0, 0, 1}, new int[] {4}, 2, "relu", DType.FLOAT32));
        assertTrue(e2.getMessage().contains("not a permutation"), e2.getMessage());
    }

    private static int[] rank(int[] order) {
        int[] r = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            r[order[k]] = k;
        }
        return r;
    }

    /** Exposes a MADE's parameters as a Flow so the shared perturbation helper applies to it. */
    private record FlowSequenceProbe(MADE made) implements dev.nabla.api.flow.Flow {
        @Override
        public dev.nabla.api.flow.FlowResult forward(Tensor x) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.nabla.api.flow.FlowResult inverse(Tensor z) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Map<String, Tensor> namedParameters() {
            return made.namedParameters();
        }

        @Override
        public void close() {
        }
    }
}
