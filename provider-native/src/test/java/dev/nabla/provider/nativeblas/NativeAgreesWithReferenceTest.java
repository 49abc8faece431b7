package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.BatchNormOutput;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.nativeblas.blas.BlasLocator;
import dev.nabla.provider.nativeblas.kernels.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same programs on the native and the reference backend, compared within float tolerances:
 * a small MLP's forward and backward pass, softmax, reductions over assorted axes, batched and
 * broadcast matmul with transposes, and the layout and indexing kernels — at sizes well above
 * {@link Parallel#GRAIN}, on a backend forced to four threads, so that the split paths run here on
 * any machine. Inputs are drawn in Java from a seed and given to both backends as the same arrays.
 */
class NativeAgreesWithReferenceTest {
    private static NativeBackend nativeBackend;
    private static TensorFactory nat;
    private static TensorFactory ref;

    @BeforeAll
    static void backends() {
        nativeBackend = NativeBackendProvider.using(BlasLocator.standard(), new ThreadSetting(4, "test")).create();
        assertEquals(4, nativeBackend.threads());
        nat = TensorFactory.on(nativeBackend);
        // the reference provider is a test dependency, found like any provider (this module does not read it)
        Backend reference = Backends.providers().stream().filter(p -> p.name().equals("reference")).findFirst()
                .orElseThrow().create();
        ref = TensorFactory.on(reference);
    }

    @AfterAll
    static void close() {
        nativeBackend.close();
    }

    /** A program over tensors of one backend, returning the tensors to compare. */
    @FunctionalInterface
    interface Program {
        List<Tensor> run(TensorFactory f, List<Tensor> inputs);
    }

    /** Runs {@code program} on both backends over the same random inputs and compares every output. */
    private static void agree(String name, DType dtype, double rtol, List<int[]> shapes, Program program) {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        List<double[]> data = new ArrayList<>();
        for (int[] s : shapes) {
            double[] d = new double[(int) Shape.of(s).size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = r.nextDouble() * 4 - 2;
            }
            data.add(d);
        }
        List<double[]> expected = run(ref, dtype, shapes, data, program);
        List<double[]> actual = run(nat, dtype, shapes, data, program);
        assertEquals(expected.size(), actual.size());
        for (int k = 0; k < expected.size(); k++) {
            double[] e = expected.get(k);
            double[] a = actual.get(k);
            assertEquals(e.length, a.length, name + ": output " + k + " size");
            // relative to the element, and to the output's scale (sums of many terms cancel)
            double scale = 1.0;
            for (double v : e) {
                scale = Double.isFinite(v) ? Math.max(scale, Math.abs(v)) : scale;
            }
            for (int i = 0; i < e.length; i++) {
                double tol = rtol * Math.max(scale, Math.abs(e[i]));
                if (!(Math.abs(e[i] - a[i]) <= tol) && !(Double.isNaN(e[i]) && Double.isNaN(a[i]))) {
                    fail(name + " " + dtype + ": output " + k + " element " + i + ": reference " + e[i]
                            + ", native " + a[i]);
                }
            }
        }
    }

    private static List<double[]> run(TensorFactory f, DType dtype, List<int[]> shapes, List<double[]> data,
                                      Program program) {
        List<double[]> results = new ArrayList<>();
        try (Scope s = Scope.open()) {
            List<Tensor> inputs = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                Tensor t = f.of(data.get(i), shapes.get(i));
                inputs.add(dtype == DType.FLOAT64 ? t : t.to(dtype));
            }
            for (Tensor t : program.run(f, inputs)) {
                results.add(t.toDoubleArray());
            }
        }
        return results;
    }

    private static List<int[]> shapes(int[]... s) {
        return List.of(s);
    }

    @Test
    void mlpForwardAndBackwardAgree() {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = d == DType.FLOAT32 ? 2e-4 : 1e-9;
            // batch 256 x 300 inputs (76,800 elements), hidden 200: every kernel above the split size
            agree("mlp", d, tol, shapes(new int[] {256, 300}, new int[] {300, 200}, new int[] {200},
                    new int[] {200, 10}), (f, in) -> {
                        Tensor x = in.get(0);
                        Tensor w1 = in.get(1).mul(0.1).requiresGrad(true);
                        Tensor b1 = in.get(2).requiresGrad(true);
                        Tensor w2 = in.get(3).mul(0.1).requiresGrad(true);
                        Tensor h = x.matmul(w1).add(b1).tanh();
                        Tensor logits = h.matmul(w2);
                        Tensor loss = logits.logSoftmax(1).mean().neg().add(h.relu().square().mean());
                        loss.backward();
                        return List.of(loss, logits, w1.grad(), b1.grad(), w2.grad());
                    });
        }
    }

    /**
     * {@code conv2d} and {@code convTranspose2d} (on the native backend its fused {@code Conv2dKernel}, split over
     * the four threads; composed on the reference), their gradients, and gradients of gradients (a penalty on
     * {@code ∂loss/∂x}, as WGAN-GP takes, and on {@code ∂loss/∂w}): the backward pass recorded on the kernel's
     * three ops, each of whose backward then runs.
     */
    @Test
    void convolutionsAndTheirSecondOrderGradientsAgree() {
        int[] two = {2, 2};
        int[] one = {1, 1};
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = d == DType.FLOAT32 ? 5e-4 : 1e-9;
            agree("conv", d, tol, shapes(new int[] {8, 6, 14, 14}, new int[] {10, 6, 4, 4}, new int[] {10},
                    new int[] {10, 3, 4, 4}, new int[] {3}), (f, in) -> {
                        Tensor x = in.get(0).requiresGrad(true);
                        Tensor w = in.get(1).mul(0.2).requiresGrad(true);
                        Tensor b = in.get(2).requiresGrad(true);
                        Tensor wt = in.get(3).mul(0.2).requiresGrad(true);
                        Tensor bt = in.get(4).requiresGrad(true);
                        Tensor h = x.conv2d(w, b, two, one, one).tanh();
                        Tensor y = h.convTranspose2d(wt, bt, two, one, new int[] {0, 0});
                        Tensor loss = y.square().mean();
                        List<Tensor> first = Autograd.grad(loss, List.of(x, w), null, true);
                        Tensor penalty = first.get(0).square().sum().add(first.get(1).square().sum());
                        List<Tensor> out = new ArrayList<>(List.of(y, first.get(0), first.get(1)));
                        out.addAll(Autograd.grad(loss.add(penalty), List.of(x, w, b, wt, bt)));
                        return out;
                    });
        }
    }

    /**
     * Training-mode {@code batchNorm} and {@code leakyRelu} (on the native backend their fused kernels, split over
     * the four threads; composed on the reference), their gradients, and gradients of gradients: with the
     * backward recorded (a penalty on {@code ∂loss/∂x}, as WGAN-GP takes) both ops leave their kernels for the
     * closed-form composition, which this checks against the reference's.
     */
    @Test
    void batchNormAndLeakyReluAndTheirSecondOrderGradientsAgree() {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = d == DType.FLOAT32 ? 5e-4 : 1e-9;
            agree("batchnorm", d, tol, shapes(new int[] {16, 8, 12, 12}, new int[] {8}, new int[] {8}), (f, in) -> {
                Tensor x = in.get(0).mul(3).add(1).requiresGrad(true);
                Tensor g = in.get(1).requiresGrad(true);
                Tensor b = in.get(2).requiresGrad(true);
                BatchNormOutput bn = x.batchNorm(g, b, 1e-5);
                Tensor y = bn.output().leakyRelu(0.2);
                Tensor loss = y.mul(y.tanh()).mean();
                List<Tensor> first = Autograd.grad(loss, List.of(x, g), null, true);
                Tensor penalty = first.get(0).square().sum().add(first.get(1).square().sum());
                List<Tensor> out = new ArrayList<>(List.of(y, bn.mean(), bn.variance(), first.get(0), first.get(1)));
                out.addAll(Autograd.grad(loss.add(penalty), List.of(x, g, b)));
                return out;
            });
        }
    }

    @Test
    void softmaxAndReductionsAgree() {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = d == DType.FLOAT32 ? 1e-5 : 1e-10;
            agree("softmax+reductions", d, tol, shapes(new int[] {64, 40, 50}), (f, in) -> {
                Tensor x = in.get(0);
                return List.of(x.softmax(2), x.softmax(0), x.logSoftmax(1), x.sum(), x.sum(0, false),
                        x.sum(2, true), x.sum(new int[] {0, 2}, false), x.mean(new int[] {0, 1}, true),
                        x.max(1, false), x.max(), x.max(new int[] {0, 2}, true), x.cumsum(1), x.cumsum(2),
                        x.argmax(1, false).to(DType.FLOAT64), x.argmax().to(DType.FLOAT64));
            });
        }
        agree("int reductions", DType.INT64, 0, shapes(new int[] {300, 400}), (f, in) -> {
            Tensor x = in.get(0).to(DType.FLOAT64).mul(1000).to(DType.INT64);
            return List.of(x.sum(0, false), x.sum(), x.cumsum(0), x.max(1, false), x.argmax(0, false));
        });
    }

    @Test
    void matmulAgreesAboveTheSplitSize() {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = d == DType.FLOAT32 ? 1e-4 : 1e-10;
            agree("matmul", d, tol, shapes(new int[] {3, 1, 40, 70}, new int[] {4, 70, 50},
                    new int[] {300, 260}, new int[] {260, 280}), (f, in) -> {
                        Tensor a = in.get(0);
                        Tensor b = in.get(1);
                        Tensor big = in.get(2).matmul(in.get(3));
                        return List.of(a.matmul(b), // broadcast batch axes [3,1] x [4] -> [3,4]
                                a.transpose(2, 3).transpose(2, 3).matmul(b.transpose(1, 2).transpose(1, 2)),
                                b.transpose(1, 2).matmul(a.transpose(2, 3)), big,
                                in.get(2).transpose(0, 1).matmul(big)); // [260,300] x [300,280]
                    });
        }
    }

    @Test
    void elementwiseLayoutAndIndexingAgreeAboveTheSplitSize() {
        for (DType d : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = d == DType.FLOAT32 ? 1e-6 : 1e-12;
            // [40, 30, 60]: 72,000 elements, above the split size
            agree("elementwise", d, tol, shapes(new int[] {40, 1, 60}, new int[] {1, 30, 60},
                    new int[] {60}), (f, in) -> {
                        Tensor a = in.get(0);
                        Tensor b = in.get(1);
                        Tensor c = in.get(2);
                        Tensor idx = f.of(new long[] {5, 0, 29, 7, 7}, 5);
                        Tensor sum = a.add(b);           // broadcast both ways: the rows path
                        Tensor gatherIdx = f.of(randomIndices(40 * 30 * 40, 60), 40, 30, 40);
                        return List.of(sum, a.mul(c), c.div(b), a.sub(f.scalar(0.5).to(a.dtype())),
                                b.exp(), b.tanh(), b.sigmoid(), Tensor.where(sum.gt(f.scalar(0.0).to(a.dtype())),
                                        sum, sum.neg().mul(2)),
                                sum.permute(2, 0, 1), sum.slice(1, 3, 28, 2), sum.indexSelect(1, idx),
                                sum.gather(2, gatherIdx),
                                f.zeros(Shape.of(40, 30, 60), a.dtype()).scatterAdd(2, gatherIdx,
                                        sum.gather(2, gatherIdx)),
                                sum.to(DType.INT32).to(DType.FLOAT64), sum.abs().sqrt().log());
                    });
        }
    }

    private static long[] randomIndices(int n, int bound) {
        SplittableRandom r = new SplittableRandom(7);
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) {
            idx[i] = r.nextInt(bound);
        }
        return idx;
    }

    @Test
    void integerDivisionByZeroFailsInTheSplitPathToo() {
        int n = (int) Parallel.GRAIN * 3;
        int[] a = new int[n];
        int[] b = new int[n];
        java.util.Arrays.fill(b, 3);
        b[n - 1] = 0; // the zero sits in the last part, which a worker thread computes
        try (Scope s = Scope.open()) {
            Tensor x = nat.of(a, n);
            Tensor y = nat.of(b, n);
            ArithmeticException e = org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class,
                    () -> x.div(y).toIntArray());
            assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
        }
        try (Scope s = Scope.open()) {
            int[] q = nat.of(new int[] {7, -7, 7, -7}, 4).div(nat.of(new int[] {2, 2, -2, -2}, 4)).toIntArray();
            assertArrayEquals(new int[] {3, -4, -4, 3}, q, "integer division floors");
        }
    }
}
