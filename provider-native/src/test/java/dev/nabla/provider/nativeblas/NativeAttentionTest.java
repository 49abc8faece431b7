package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.AttentionKernel;
import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.tensor.AttentionOutput;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.provider.nativeblas.blas.BlasLocator;
import dev.nabla.provider.nativeblas.kernels.VectorSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native fused attention kernel on the paths the conformance kit does not reach on one backend: its
 * Vector API rows and its plain rows (a backend made with {@code -Dnabla.native.vector=false}), heads split
 * over four threads, and rows longer and shorter than one vector with causal and padding masks — each
 * against the reference backend's composed op (float64 loops through matmul and softmax), values and the
 * gradients of the output and the weights; a query with no key gets NaN as it does there; and the same
 * inputs give the same bits twice.
 */
class NativeAttentionTest {
    private static NativeBackend vector4;
    private static NativeBackend plain1;
    private static TensorFactory ref;

    @BeforeAll
    static void backends() {
        vector4 = NativeBackendProvider.using(BlasLocator.standard(), new ThreadSetting(4, "test")).create();
        String before = System.getProperty(VectorSupport.PROPERTY);
        System.setProperty(VectorSupport.PROPERTY, "false");
        try {
            plain1 = NativeBackendProvider.using(BlasLocator.standard(), new ThreadSetting(1, "test")).create();
        } finally {
            if (before == null) {
                System.clearProperty(VectorSupport.PROPERTY);
            } else {
                System.setProperty(VectorSupport.PROPERTY, before);
            }
        }
        assertTrue(vector4.toString().contains("Vector API"), vector4.toString());
        assertTrue(plain1.toString().contains("plain loops"), plain1.toString());
        assertTrue(vector4.fused(AttentionKernel.class).isPresent());
        Backend reference = Backends.providers().stream().filter(p -> p.name().equals("reference")).findFirst()
                .orElseThrow().create();
        assertTrue(reference.fused(AttentionKernel.class).isEmpty(), "the reference backend composes the op");
        ref = TensorFactory.on(reference);
    }

    @AfterAll
    static void close() {
        vector4.close();
        plain1.close();
    }

    private static double[] random(int n, long seed, double spread) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = spread * (2 * r.nextDouble() - 1);
        }
        return v;
    }

    /** Output, weights and the gradients of q, k, v (and a float mask) of Σ O·R + Σ P·S, as float64 arrays. */
    private static List<double[]> run(TensorFactory f, DType d, int heads, int tq, int tk, int dim, boolean causal,
                                      String maskKind) {
        Tensor q = f.of(random(heads * tq * dim, 1, 2), heads, tq, dim).to(d).requiresGrad(true);
        Tensor k = f.of(random(heads * tk * dim, 2, 2), heads, tk, dim).to(d).requiresGrad(true);
        Tensor v = f.of(random(heads * tk * dim, 3, 1), heads, tk, dim).to(d).requiresGrad(true);
        Tensor mask = null;
        if (maskKind.equals("bool")) {
            boolean[] b = new boolean[heads * tk];
            for (int i = 0; i < b.length; i++) {
                b[i] = i % tk < tk - i / tk % 5;   // per head, its last (head mod 5) keys are padding
            }
            mask = f.of(b, heads, 1, tk);
        } else if (maskKind.equals("float")) {
            mask = f.of(random(tq * tk, 4, 1), tq, tk).to(d).requiresGrad(true);
        }
        AttentionOutput o = Tensor.scaledDotProductAttentionWithWeights(q, k, v, mask, causal, 1 / Math.sqrt(dim));
        Tensor loss = o.output().mul(f.of(random(heads * tq * dim, 5, 1), heads, tq, dim).to(d)).sum()
                .add(o.weights().mul(f.of(random(heads * tq * tk, 6, 1), heads, tq, tk).to(d)).sum());
        List<Tensor> leaves = new ArrayList<>(List.of(q, k, v));
        if (maskKind.equals("float")) {
            leaves.add(mask);
        }
        List<double[]> out = new ArrayList<>(List.of(o.output().toDoubleArray(), o.weights().toDoubleArray()));
        for (Tensor g : Autograd.grad(loss, leaves)) {
            out.add(g.toDoubleArray());
        }
        return out;
    }

    private static void assertClose(String what, List<double[]> expected, List<double[]> got, double tol) {
        assertEquals(expected.size(), got.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            double[] e = expected.get(i);
            double[] g = got.get(i);
            assertEquals(e.length, g.length, what + ", result " + i);
            for (int j = 0; j < e.length; j++) {
                assertEquals(e[j], g[j], tol * Math.max(1, Math.abs(e[j])),
                        what + ", result " + i + " (output, weights, dq, dk, dv, dmask) at " + j);
            }
        }
    }

    @Test
    void vectorAndPlainRowsOnOneAndFourThreadsAgreeWithTheComposedOp() {
        int[][] sizes = {{3, 5, 7, 4}, {5, 16, 16, 8}, {4, 17, 33, 5}, {3, 64, 64, 32}};
        for (int[] s : sizes) {
            for (boolean causal : new boolean[] {false, true}) {
                for (String mask : new String[] {"none", "bool", "float"}) {
                    String what = "heads " + s[0] + " tq " + s[1] + " tk " + s[2] + " d " + s[3] + " causal " + causal
                            + " mask " + mask;
                    List<double[]> expected = run(ref, DType.FLOAT64, s[0], s[1], s[2], s[3], causal, mask);
                    for (NativeBackend b : List.of(vector4, plain1)) {
                        TensorFactory f = TensorFactory.on(b);
                        assertClose(what + " float64 on " + b, expected, run(f, DType.FLOAT64, s[0], s[1], s[2], s[3],
                                causal, mask), 1e-12);
                        assertClose(what + " float32 on " + b, expected, run(f, DType.FLOAT32, s[0], s[1], s[2], s[3],
                                causal, mask), 2e-5);
                    }
                }
            }
        }
    }

    @Test
    void aQueryWithNoKeyGetsNaNAsInTheComposedOpAndOthersAreUntouched() {
        for (NativeBackend b : List.of(vector4, plain1)) {
            TensorFactory f = TensorFactory.on(b);
            for (DType d : List.of(DType.FLOAT32, DType.FLOAT64)) {
                Tensor q = f.of(random(2 * 3, 7, 1), 2, 3).to(d);
                Tensor k = f.of(random(4 * 3, 8, 1), 4, 3).to(d);
                Tensor v = f.of(random(4 * 2, 9, 1), 4, 2).to(d);
                Tensor mask = f.of(new boolean[] {false, false, false, false, true, false, true, false}, 2, 4);
                double[] w = Tensor.scaledDotProductAttentionWithWeights(q, k, v, mask, false, 1).weights()
                        .toDoubleArray();
                for (int j = 0; j < 4; j++) {
                    assertTrue(Double.isNaN(w[j]), "row 0 has no key: NaN on " + b);
                }
                assertEquals(1, w[4] + w[6], 1e-6);
                assertEquals(0, w[5]);
                assertEquals(0, w[7]);
                assertFalse(Double.isNaN(w[4]));
            }
        }
    }

    @Test
    void theSameInputsGiveTheSameBits() {
        TensorFactory f = TensorFactory.on(vector4);
        List<double[]> a = run(f, DType.FLOAT32, 16, 64, 64, 32, true, "float");
        List<double[]> b = run(f, DType.FLOAT32, 16, 64, 64, 32, true, "float");
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), 0.0, "result " + i);
        }
    }
}
