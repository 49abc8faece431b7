package dev.nabla.models.fewshot;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SNAIL's blocks: the dilation schedule, causality of the TC and attention blocks (and of the whole
 * stack), a finite-difference gradient check of a TC block in float64, and their shape errors.
 */
class SnailBlocksTest {
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));

    @Test
    void dilationsDoubleFromOneUntilTheReceptiveFieldCoversTheSequence() {
        assertEquals(List.of(1), TcBlock.dilations(1));
        assertEquals(List.of(1), TcBlock.dilations(2));
        assertEquals(List.of(1, 2), TcBlock.dilations(3));
        assertEquals(List.of(1, 2), TcBlock.dilations(4));
        assertEquals(List.of(1, 2, 4), TcBlock.dilations(5));        // 4-way 1-shot
        assertEquals(List.of(1, 2, 4, 8, 16), TcBlock.dilations(21)); // 4-way 5-shot
        for (int t = 1; t <= 300; t++) {
            List<Integer> d = TcBlock.dilations(t);
            int field = 1 + d.stream().mapToInt(Integer::intValue).sum();   // kernel 2: each block reaches d back
            assertTrue(field >= t, "length " + t + ": receptive field " + field);
            assertTrue(d.size() == 1 || field - d.getLast() < t, "length " + t + ": one block too many " + d);
        }
        assertThrows(IllegalArgumentException.class, () -> TcBlock.dilations(0));
    }

    @Test
    void aTcBlockHasOneDenseBlockPerDilationAndConcatenatesItsFilters() {
        TcBlock tc = new TcBlock(f, new Generator(1), 21, 6, 3);
        assertEquals(6 + 5 * 3, tc.outChannels());
        try (Scope s = Scope.open()) {
            Tensor x = f.randn(new Generator(2), 2, 21, 6);
            Tensor y = tc.forward(x);
            assertEquals(List.of(2, 21, 21), java.util.Arrays.stream(y.shape().dims()).boxed().toList());
            // the input comes through unchanged in the first channels
            assertEquals(0.0, y.slice(2, 0, 6).sub(x).abs().max().item(), 0.0);
        }
    }

    @Test
    void theTwoGemmFormIsTheCausalConvolution() {
        for (int d : new int[] {1, 2, 4, 8}) {
            DenseBlock block = new DenseBlock(f, new Generator(d), 3, 4, d, DType.FLOAT64);
            try (Scope s = Scope.open()) {
                Tensor x = f.randn(new Generator(10 + d), 2, 6, 3).to(DType.FLOAT64);
                assertEquals(0.0, block.forward(x).sub(block.convolve(x)).abs().max().item(), 1e-13, "dilation " + d);
            }
        }
    }

    @Test
    void theTcBlockIsCausal() {
        TcBlock tc = new TcBlock(f, new Generator(3), 9, 3, 4);
        assertCausal(tc::forward, 3);
    }

    @Test
    void theAttentionBlockIsCausal() {
        AttentionBlock att = new AttentionBlock(f, new Generator(4), 3, 4, 2);
        assertCausal(att::forward, 3);
    }

    @Test
    void theWholeStackIsCausal() {
        Snail snail = new Snail(f, new Generator(5), 2, 4, 2, 4, 3);
        assertCausal(snail::blocks, snail.embedding().dim() + 2);
    }

    /**
     * Changing step {@code t0} of the input leaves every output before {@code t0} bit-identical and changes
     * the output at {@code t0} and later.
     */
    private void assertCausal(UnaryOperator<Tensor> block, int channels) {
        int t = 9;
        try (Scope s = Scope.open(); GradMode ignored = Autograd.noGrad()) {
            Tensor x = f.randn(new Generator(6), 2, t, channels);
            for (int t0 : new int[] {0, 4, t - 1}) {
                double[] bump = new double[2 * t * channels];
                for (int b = 0; b < 2; b++) {
                    for (int c = 0; c < channels; c++) {
                        bump[(b * t + t0) * channels + c] = 1.5 + c;
                    }
                }
                Tensor x2 = x.add(f.of(bump, 2, t, channels).to(x.dtype()));
                Tensor y = block.apply(x);
                Tensor y2 = block.apply(x2);
                if (t0 > 0) {
                    assertEquals(0.0, y.slice(1, 0, t0).sub(y2.slice(1, 0, t0)).abs().max().item(), 0.0,
                            "outputs before step " + t0 + " changed");
                }
                for (int u = t0; u < t; u++) {
                    assertTrue(y.select(1, u).sub(y2.select(1, u)).abs().max().item() > 1e-6,
                            "output at step " + u + " ignores the change at step " + t0);
                }
            }
        }
    }

    @Test
    void aTcBlockMatchesFiniteDifferencesInFloat64() {
        TcBlock tc = new TcBlock(f, new Generator(7), 5, 2, 2, DType.FLOAT64);   // dilations 1, 2, 4
        Generator g = new Generator(8);
        double[] xs = new double[2 * 5 * 2];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = g.nextGaussian();
        }
        double[] rs = new double[2 * 5 * tc.outChannels()];
        for (int i = 0; i < rs.length; i++) {
            rs[i] = g.nextGaussian();
        }
        Tensor r = f.of(rs, 2, 5, tc.outChannels()).keep();
        Tensor x = f.of(xs, 2, 5, 2).requiresGrad(true).keep();
        List<Tensor> leaves = new ArrayList<>();
        leaves.add(x);
        Map<String, Tensor> params = tc.namedParameters();
        leaves.addAll(params.values());
        assertEquals(6, params.size());   // three dense blocks, weight and bias each
        List<Tensor> grads;
        try (Scope s = Scope.open()) {
            grads = Autograd.grad(tc.forward(x).mul(r).sum(), leaves);
            grads.forEach(Tensor::keep);
        }
        double eps = 1e-6;
        for (int i = 0; i < leaves.size(); i++) {
            Tensor leaf = leaves.get(i);
            double[] base = leaf.toDoubleArray();
            double[] analytic = grads.get(i).toDoubleArray();
            for (int j = 0; j < base.length; j++) {
                double up = lossAt(tc, x, r, leaf, base, j, eps);
                double down = lossAt(tc, x, r, leaf, base, j, -eps);
                double numeric = (up - down) / (2 * eps);
                assertEquals(numeric, analytic[j], 1e-7 + 1e-6 * Math.abs(numeric),
                        "leaf " + i + " (" + leaf.shape() + ") at " + j);
            }
        }
    }

    private double lossAt(TcBlock tc, Tensor x, Tensor r, Tensor leaf, double[] base, int j, double delta) {
        double[] v = base.clone();
        v[j] += delta;
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            Tensor moved = f.of(v, leaf.shape().dims());
            if (leaf == x) {
                return tc.forward(moved).mul(r).sum().item();
            }
            leaf.assign(moved);
            double out = tc.forward(x).mul(r).sum().item();
            leaf.assign(f.of(base, leaf.shape().dims()));
            return out;
        }
    }

    @Test
    void blocksNameTheShapesTheyRefuse() {
        TcBlock tc = new TcBlock(f, new Generator(9), 5, 3, 2);
        AttentionBlock att = new AttentionBlock(f, new Generator(9), 3, 4, 2);
        Snail snail = new Snail(f, new Generator(9), 3, 1, 2, 4, 2);
        try (Scope s = Scope.open()) {
            ShapeException e = assertThrows(ShapeException.class, () -> tc.forward(f.zeros(2, 5, 4)));
            assertTrue(e.getMessage().contains("[2, 5, 4]") && e.getMessage().contains("[B, T, 3]"), e.getMessage());
            e = assertThrows(ShapeException.class, () -> att.forward(f.zeros(5, 3)));
            assertTrue(e.getMessage().contains("[5, 3]"), e.getMessage());
            e = assertThrows(ShapeException.class, () -> snail.forward(f.zeros(2, 4, 784), f.zeros(2, 4, 2)));
            assertTrue(e.getMessage().contains("[2, 4, 2]") && e.getMessage().contains("[B, T, 3]"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Snail(f, new Generator(9), 3, 1, 2, 5, 2));
    }
}
