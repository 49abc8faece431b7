package dev.nabla.provider.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.GruCellKernel;
import dev.nabla.api.backend.LstmCellKernel;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.LstmCellOutput;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link Tensor#lstmCell} and {@link Tensor#gruCell} in their composed form (the reference backend offers
 * no fused cell kernel) against plain float64 loops written from PyTorch's equations, values and
 * gradients (the gradients also against central finite differences of those loops); their error
 * messages; and the autodiff engine's handling of a tensor used many times (gradients accumulated in
 * place) and of {@code split}'s one node for all pieces.
 */
class RecurrentCellOpsTest {
    private final TensorFactory f = TensorFactory.on(new ReferenceBackendProvider().create());

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** h' (or c') of an LSTM step, by the equations, in float64. */
    private static double[] lstm(double[] gates, double[] c, int b, int h, boolean wantC) {
        double[] out = new double[b * h];
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < h; j++) {
                double i = sigmoid(gates[r * 4 * h + j]);
                double fg = sigmoid(gates[r * 4 * h + h + j]);
                double g = Math.tanh(gates[r * 4 * h + 2 * h + j]);
                double o = sigmoid(gates[r * 4 * h + 3 * h + j]);
                double c2 = fg * c[r * h + j] + i * g;
                out[r * h + j] = wantC ? c2 : o * Math.tanh(c2);
            }
        }
        return out;
    }

    /** h' of a GRU step, by the equations, in float64. */
    private static double[] gru(double[] gi, double[] gh, double[] hPrev, int b, int h) {
        double[] out = new double[b * h];
        for (int row = 0; row < b; row++) {
            for (int j = 0; j < h; j++) {
                int k = row * 3 * h;
                double r = sigmoid(gi[k + j] + gh[k + j]);
                double z = sigmoid(gi[k + h + j] + gh[k + h + j]);
                double n = Math.tanh(gi[k + 2 * h + j] + r * gh[k + 2 * h + j]);
                out[row * h + j] = (1 - z) * n + z * hPrev[row * h + j];
            }
        }
        return out;
    }

    private static double[] draw(SplittableRandom r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * (2 * r.nextDouble() - 1);
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Central finite differences of {@code loss} at {@code x}, in float64. */
    private static double[] numericGrad(Function<double[], Double> loss, double[] x) {
        double[] g = new double[x.length];
        double eps = 1e-6;
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + eps;
            double up = loss.apply(x);
            x[i] = keep - eps;
            double down = loss.apply(x);
            x[i] = keep;
            g[i] = (up - down) / (2 * eps);
        }
        return g;
    }

    @Test
    void theReferenceBackendComposesTheCells() {
        assertTrue(f.backend().fused(LstmCellKernel.class).isEmpty());
        assertTrue(f.backend().fused(GruCellKernel.class).isEmpty());
    }

    @Test
    void lstmCellMatchesTheEquationsInValuesAndGradients() {
        int b = 3;
        int h = 4;
        SplittableRandom r = new SplittableRandom(11);
        double[] gates = draw(r, b * 4 * h, 3);
        double[] c = draw(r, b * h, 1.5);
        double[] wh = draw(r, b * h, 1);
        double[] wc = draw(r, b * h, 1);
        Tensor tg = f.of(gates, b, 4 * h).requiresGrad(true);
        Tensor tc = f.of(c, b, h).requiresGrad(true);
        LstmCellOutput out = Tensor.lstmCell(tg, tc);
        assertArrayEquals(lstm(gates, c, b, h, false), out.h().toDoubleArray(), 1e-14);
        assertArrayEquals(lstm(gates, c, b, h, true), out.c().toDoubleArray(), 1e-14);
        Tensor loss = out.h().mul(f.of(wh, b, h)).sum().add(out.c().mul(f.of(wc, b, h)).sum());
        List<Tensor> grads = Autograd.grad(loss, List.of(tg, tc));
        double[] gGates = numericGrad(x -> dot(lstm(x, c, b, h, false), wh) + dot(lstm(x, c, b, h, true), wc),
                gates.clone());
        double[] gC = numericGrad(x -> dot(lstm(gates, x, b, h, false), wh) + dot(lstm(gates, x, b, h, true), wc),
                c.clone());
        assertArrayEquals(gGates, grads.get(0).toDoubleArray(), 1e-8);
        assertArrayEquals(gC, grads.get(1).toDoubleArray(), 1e-8);
    }

    @Test
    void gruCellMatchesTheEquationsInValuesAndGradients() {
        int b = 2;
        int h = 5;
        SplittableRandom r = new SplittableRandom(12);
        double[] gi = draw(r, b * 3 * h, 3);
        double[] gh = draw(r, b * 3 * h, 3);
        double[] hPrev = draw(r, b * h, 1);
        double[] w = draw(r, b * h, 1);
        Tensor ti = f.of(gi, b, 3 * h).requiresGrad(true);
        Tensor th = f.of(gh, b, 3 * h).requiresGrad(true);
        Tensor tp = f.of(hPrev, b, h).requiresGrad(true);
        Tensor out = Tensor.gruCell(ti, th, tp);
        assertArrayEquals(gru(gi, gh, hPrev, b, h), out.toDoubleArray(), 1e-14);
        List<Tensor> grads = Autograd.grad(out.mul(f.of(w, b, h)).sum(), List.of(ti, th, tp));
        assertArrayEquals(numericGrad(x -> dot(gru(x, gh, hPrev, b, h), w), gi.clone()), grads.get(0).toDoubleArray(),
                1e-8);
        assertArrayEquals(numericGrad(x -> dot(gru(gi, x, hPrev, b, h), w), gh.clone()), grads.get(1).toDoubleArray(),
                1e-8);
        assertArrayEquals(numericGrad(x -> dot(gru(gi, gh, x, b, h), w), hPrev.clone()), grads.get(2).toDoubleArray(),
                1e-8);
    }

    @Test
    void float32GivesTheSameToFloatPrecision() {
        SplittableRandom r = new SplittableRandom(13);
        double[] gates = draw(r, 2 * 12, 3);
        double[] c = draw(r, 2 * 3, 1);
        LstmCellOutput out = Tensor.lstmCell(f.of(gates, 2, 12).to(DType.FLOAT32), f.of(c, 2, 3).to(DType.FLOAT32));
        assertEquals(DType.FLOAT32, out.h().dtype());
        assertArrayEquals(lstm(gates, c, 2, 3, false), out.h().toDoubleArray(), 1e-6);
    }

    @Test
    void badOperandsAreNamed() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Tensor.lstmCell(f.zeros(DType.FLOAT64, 3, 7), f.zeros(DType.FLOAT64, 3, 2)));
        assertEquals("lstmCell: gates [3, 7] must be [batch, 4·hidden] = [3, 8] for c [3, 2]", e.getMessage());
        e = assertThrows(ShapeException.class,
                () -> Tensor.gruCell(f.zeros(DType.FLOAT64, 2, 6), f.zeros(DType.FLOAT64, 2, 9), f.zeros(DType.FLOAT64, 2, 2)));
        assertEquals("gruCell: gi [2, 6] and gh [2, 9] must both be [batch, 3·hidden] = [2, 6] for h [2, 2]",
                e.getMessage());
        e = assertThrows(ShapeException.class, () -> Tensor.lstmCell(f.zeros(DType.FLOAT64, 8), f.zeros(DType.FLOAT64, 2)));
        assertTrue(e.getMessage().startsWith("lstmCell: gates must have rank 2"), e.getMessage());
    }

    @Test
    void aTensorUsedManyTimesGetsTheSumOfItsGradientsWithoutDisturbingTheOthers() {
        // x feeds five nodes, and add's backward hands the same gradient to both of its inputs (x and x):
        // the sums the engine adds into in place must not be tensors another gradient still uses
        Tensor x = f.of(new double[] {0.5, -1.0, 2.0}, 3).requiresGrad(true);
        Tensor w = f.of(new double[] {1.0, 2.0, 3.0}, 3).requiresGrad(true);
        Tensor loss = x.add(x).mul(w).sum().add(x.mul(x).mul(3.0).sum()).add(x.exp().sum()).add(x.mul(w).sum());
        List<Tensor> g = Autograd.grad(loss, List.of(x, w));
        double[] xs = {0.5, -1.0, 2.0};
        double[] ws = {1.0, 2.0, 3.0};
        double[] gx = new double[3];
        double[] gw = new double[3];
        for (int i = 0; i < 3; i++) {
            gx[i] = 2 * ws[i] + 6 * xs[i] + Math.exp(xs[i]) + ws[i];
            gw[i] = 2 * xs[i] + xs[i];
        }
        assertArrayEquals(gx, g.get(0).toDoubleArray(), 1e-12);
        assertArrayEquals(gw, g.get(1).toDoubleArray(), 1e-12);
    }

    @Test
    void splitIsOneNodeWhoseBackwardJoinsThePiecesGradients() {
        Tensor x = f.of(new double[] {1, 2, 3, 4, 5, 6}, 6).requiresGrad(true);
        List<Tensor> pieces = x.split(0, 1, 2, 3);
        assertEquals("split", pieces.get(0).gradFnName());
        // the middle piece unused: its part of the gradient is zero
        Tensor loss = pieces.get(0).mul(10.0).sum().add(pieces.get(2).mul(pieces.get(2)).sum());
        assertArrayEquals(new double[] {10, 0, 0, 8, 10, 12}, Autograd.grad(loss, List.of(x)).getFirst().toDoubleArray());
    }
}
