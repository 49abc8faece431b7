package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.LayerNormKernel;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import dev.nabla.provider.nativeblas.blas.BlasLocator;
import dev.nabla.provider.nativeblas.kernels.VectorSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native fused layer normalisation on the paths the conformance kit does not reach on one backend: its
 * Vector API rows (float32) and its plain rows (a backend made with {@code -Dnabla.native.vector=false}), rows
 * split over four threads (the sums over rows of ∂γ and ∂β kept per part), widths shorter and longer than one
 * vector, and the float blocks of ∂γ and ∂β over many rows — each against the reference backend's composed op,
 * values and the gradients of x, γ and β; a second-order gradient through the recorded (composed) backward;
 * the same bits twice; and the shape errors.
 */
class NativeLayerNormTest {
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
        assertTrue(vector4.fused(LayerNormKernel.class).isPresent());
        var reference = Backends.providers().stream().filter(p -> p.name().equals("reference")).findFirst()
                .orElseThrow().create();
        assertTrue(reference.fused(LayerNormKernel.class).isEmpty(), "the reference backend composes the op");
        ref = TensorFactory.on(reference);
    }

    @AfterAll
    static void close() {
        vector4.close();
        plain1.close();
    }

    private static double[] random(int n, long seed, double offset, double spread) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = offset + spread * (2 * r.nextDouble() - 1);
        }
        return v;
    }

    /** y and the gradients of x, γ, β of Σ y·R, as float64 arrays. */
    private static List<double[]> run(TensorFactory f, DType d, int rows, int cols, boolean affine, double offset) {
        Tensor x = f.of(random(rows * cols, 1, offset, 3), rows, cols).to(d).requiresGrad(true);
        Tensor w = affine ? f.of(random(cols, 2, 1, 0.5), cols).to(d).requiresGrad(true) : null;
        Tensor b = affine ? f.of(random(cols, 3, 0, 0.5), cols).to(d).requiresGrad(true) : null;
        Tensor y = x.layerNorm(new int[] {cols}, w, b, 1e-5);
        Tensor loss = y.mul(f.of(random(rows * cols, 4, 0, 1), rows, cols).to(d)).sum();
        List<double[]> out = new ArrayList<>(List.of(y.toDoubleArray()));
        for (Tensor g : Autograd.grad(loss, affine ? List.of(x, w, b) : List.of(x))) {
            out.add(g.toDoubleArray());
        }
        return out;
    }

    private static void assertClose(String what, List<double[]> expected, List<double[]> got, double tol) {
        assertEquals(expected.size(), got.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            double[] e = expected.get(i);
            double[] g = got.get(i);
            double scale = 1;
            for (double v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertEquals(e.length, g.length, what + ", result " + i);
            for (int j = 0; j < e.length; j++) {
                assertEquals(e[j], g[j], tol * scale, what + ", result " + i + " (y, dx, dγ, dβ) at " + j);
            }
        }
    }

    @Test
    void vectorAndPlainRowsOnOneAndFourThreadsAgreeWithTheComposedOp() {
        int[][] sizes = {{3, 5}, {7, 16}, {5, 33}, {300, 128}, {2, 1}, {0, 8}};
        for (int[] s : sizes) {
            for (boolean affine : new boolean[] {true, false}) {
                String what = "[" + s[0] + ", " + s[1] + "] affine " + affine;
                List<double[]> expected = run(ref, DType.FLOAT64, s[0], s[1], affine, 0.5);
                for (NativeBackend b : List.of(vector4, plain1)) {
                    TensorFactory f = TensorFactory.on(b);
                    assertClose(what + " float64 on " + b, expected, run(f, DType.FLOAT64, s[0], s[1], affine, 0.5),
                            1e-12);
                    assertClose(what + " float32 on " + b, expected, run(f, DType.FLOAT32, s[0], s[1], affine, 0.5),
                            2e-5);
                }
            }
        }
    }

    @Test
    void rowsFarFromZeroAreNormalisedAsPrecisely() {
        // float32 values around 1000 with spread 3: the mean is taken before the squares, as the composed op does
        List<double[]> expected = run(ref, DType.FLOAT64, 40, 48, true, 1000);
        for (NativeBackend b : List.of(vector4, plain1)) {
            assertClose("offset 1000, float32 on " + b, expected,
                    run(TensorFactory.on(b), DType.FLOAT32, 40, 48, true, 1000), 5e-4);
        }
    }

    @Test
    void theSecondOrderGradientGoesThroughTheComposedBackward() {
        List<double[]> results = new ArrayList<>();
        for (TensorFactory f : List.of(ref, TensorFactory.on(vector4))) {
            Tensor x = f.of(random(4 * 6, 5, 0, 2), 4, 6).requiresGrad(true);
            Tensor w = f.of(random(6, 6, 1, 0.5), 6).requiresGrad(true);
            Tensor b = f.of(random(6, 7, 0, 0.5), 6).requiresGrad(true);
            Tensor y = x.layerNorm(new int[] {6}, w, b, 1e-5);
            Tensor gx = Autograd.grad(y.mul(y).sum(), List.of(x), null, true, false).getFirst();
            List<Tensor> second = Autograd.grad(gx.mul(gx).sum(), List.of(x, w));
            results.add(second.get(0).toDoubleArray());
            results.add(second.get(1).toDoubleArray());
        }
        assertArrayEquals(results.get(0), results.get(2), 1e-10);
        assertArrayEquals(results.get(1), results.get(3), 1e-10);
    }

    @Test
    void theSameInputsGiveTheSameBits() {
        TensorFactory f = TensorFactory.on(vector4);
        List<double[]> a = run(f, DType.FLOAT32, 2048, 128, true, 0);
        List<double[]> b = run(f, DType.FLOAT32, 2048, 128, true, 0);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), 0.0, "result " + i);
        }
    }

    @Test
    void shapesThatDoNotFitAreNamed() {
        TensorFactory f = TensorFactory.on(vector4);
        Tensor x = f.zeros(2, 3, 4);
        ShapeException tail = assertThrows(ShapeException.class,
                () -> x.layerNorm(new int[] {3}, null, null, 1e-5));
        assertTrue(tail.getMessage().contains("[2, 3, 4]") && tail.getMessage().contains("[3]"), tail.getMessage());
        ShapeException weight = assertThrows(ShapeException.class,
                () -> x.layerNorm(new int[] {4}, f.zeros(3), null, 1e-5));
        assertTrue(weight.getMessage().contains("weight") && weight.getMessage().contains("[3]"), weight.getMessage());
        IllegalArgumentException eps = assertThrows(IllegalArgumentException.class,
                () -> x.layerNorm(new int[] {4}, null, null, -1));
        assertTrue(eps.getMessage().contains("eps"), eps.getMessage());
    }
}
