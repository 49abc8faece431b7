package dev.nabla.models.recurrent.tree;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tree networks: level-by-level batching gives the values and gradients of evaluating one node at a
 * time, and both give the Tree-LSTM and Tree-RNN equations computed in float64 loops on the host.
 */
class TreeNetworkTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    private static List<Expression> trees(long seed, int n) {
        Generator g = new Generator(seed);
        List<Expression> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Expressions.draw(g, i % 5));   // depths 0 to 4 mixed: leaves sit at many levels
        }
        return out;
    }

    private static Map<String, double[]> gradients(TreeNetwork net, Tensor logits, Tensor weights) {
        net.namedParameters().values().forEach(Tensor::zeroGrad);
        logits.mul(weights).sum().backward();
        Map<String, double[]> g = new LinkedHashMap<>();
        net.namedParameters().forEach((k, v) -> g.put(k, v.grad().toDoubleArray()));
        return g;
    }

    @Test
    void levelByLevelEqualsOneNodeAtATimeInValuesAndGradients() {
        for (TreeNetwork.Kind kind : TreeNetwork.Kind.values()) {
            try (TreeNetwork net = new TreeNetwork(F, new Generator(1), kind, 4, 5, DType.FLOAT64);
                 Scope s = Scope.open()) {
                List<Expression> batch = trees(2, 12);
                Tensor weights = F.normal(new Generator(3), 0, 1, dev.nabla.api.types.Shape.of(12, 10), DType.FLOAT64);
                Tensor batched = net.forward(batch);
                Map<String, double[]> gb = gradients(net, batched, weights);
                Tensor alone = net.forwardOneByOne(batch);
                Map<String, double[]> ga = gradients(net, alone, weights);
                assertArrayEquals(alone.toDoubleArray(), batched.toDoubleArray(), 1e-12, kind + " logits");
                assertEquals(ga.keySet(), gb.keySet());
                for (String k : ga.keySet()) {
                    assertArrayEquals(ga.get(k), gb.get(k), 1e-12, kind + " gradient of " + k);
                    assertTrue(java.util.Arrays.stream(ga.get(k)).anyMatch(v -> v != 0), kind + " " + k + " gets a gradient");
                }
            }
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** h (and c) of a node by the paper's equations, from the parameters read back as float64 arrays. */
    private static double[][] reference(Expression e, TreeNetwork.Kind kind, Map<String, double[]> p, int embed, int hidden) {
        double[][] zero = {new double[hidden], new double[hidden]};
        double[][] l = e instanceof Expression.Op op ? reference(op.left(), kind, p, embed, hidden) : zero;
        double[][] r = e instanceof Expression.Op op ? reference(op.right(), kind, p, embed, hidden) : zero;
        double[] in = new double[embed + 2 * hidden];
        int token = Expressions.VOCABULARY.id(e.token());
        System.arraycopy(p.get("embedding"), token * embed, in, 0, embed);
        System.arraycopy(l[0], 0, in, embed, hidden);
        System.arraycopy(r[0], 0, in, embed + hidden, hidden);
        int gates = kind == TreeNetwork.Kind.LSTM ? 5 : 1;
        double[] z = new double[gates * hidden];
        for (int j = 0; j < z.length; j++) {
            z[j] = p.get("bias")[j];
            for (int k = 0; k < in.length; k++) {
                z[j] += in[k] * p.get("weight")[k * z.length + j];
            }
        }
        double[] h = new double[hidden];
        double[] c = new double[hidden];
        for (int j = 0; j < hidden; j++) {
            if (kind == TreeNetwork.Kind.RNN) {
                h[j] = Math.tanh(z[j]);
            } else {
                double i = sigmoid(z[j]);
                double fl = sigmoid(z[hidden + j]);
                double fr = sigmoid(z[2 * hidden + j]);
                double o = sigmoid(z[3 * hidden + j]);
                double u = Math.tanh(z[4 * hidden + j]);
                c[j] = i * u + fl * l[1][j] + fr * r[1][j];
                h[j] = o * Math.tanh(c[j]);
            }
        }
        return new double[][] {h, c};
    }

    @Test
    void theNetworksComputeTheirEquations() {
        int embed = 3;
        int hidden = 4;
        for (TreeNetwork.Kind kind : TreeNetwork.Kind.values()) {
            try (TreeNetwork net = new TreeNetwork(F, new Generator(7), kind, embed, hidden, DType.FLOAT64);
                 Scope s = Scope.open()) {
                Map<String, double[]> p = new LinkedHashMap<>();
                net.namedParameters().forEach((k, v) -> p.put(k, v.toDoubleArray()));
                List<Expression> batch = List.of(Expression.parse("(+ 3 (* 4 5))"), Expression.parse("8"),
                        Expression.parse("(* (+ 1 2) (* (+ 3 4) 5))"));
                double[] got = net.forward(batch).toDoubleArray();
                for (int b = 0; b < batch.size(); b++) {
                    double[] h = reference(batch.get(b), kind, p, embed, hidden)[0];
                    for (int k = 0; k < 10; k++) {
                        double want = p.get("output_bias")[k];
                        for (int j = 0; j < hidden; j++) {
                            want += h[j] * p.get("output_weight")[j * 10 + k];
                        }
                        assertEquals(want, got[b * 10 + k], 1e-12, kind + " tree " + b + " class " + k);
                    }
                }
            }
        }
    }

    /** The reference kernels, counting matrix products. */
    private static final class CountingMatmuls extends dev.nabla.tck.ForwardingKernels {
        int products;

        CountingMatmuls(dev.nabla.api.backend.Kernels k) {
            super(k);
        }

        @Override
        public void matmul(dev.nabla.api.backend.Storage a, dev.nabla.api.types.Shape aShape, boolean transposeA,
                           dev.nabla.api.backend.Storage b, dev.nabla.api.types.Shape bShape, boolean transposeB,
                           dev.nabla.api.backend.Storage out, dev.nabla.api.types.Shape outShape) {
            products++;
            super.matmul(a, aShape, transposeA, b, bShape, transposeB, out, outShape);
        }
    }

    @Test
    void theBatchedForwardMakesOneProductPerLevel() {
        CountingMatmuls[] counter = new CountingMatmuls[1];
        TensorFactory counting = TensorFactory.on(dev.nabla.tck.ForwardingKernels.backend("counting",
                Nabla.backend("reference"), k -> counter[0] = new CountingMatmuls(k)));
        try (TreeNetwork net = new TreeNetwork(counting, new Generator(1), TreeNetwork.Kind.LSTM, 4, 5, DType.FLOAT64);
             Scope s = Scope.open()) {
            List<Expression> batch = trees(2, 12);
            int nodes = batch.stream().mapToInt(Expression::size).sum();
            int levels = 1 + batch.stream().mapToInt(Expression::depth).max().orElseThrow();
            int before = counter[0].products;
            net.forward(batch);
            assertEquals(levels + 1, counter[0].products - before,
                    "one product per level (" + levels + " levels, " + nodes + " nodes) and the output layer's");
            before = counter[0].products;
            net.forwardOneByOne(batch);
            assertEquals(nodes + batch.size(), counter[0].products - before, "the reference: one per node and per root");
        }
    }
}
