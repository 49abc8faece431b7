package dev.nabla.tck;

import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.Tensor;

import java.util.function.Function;

/**
 * Numerical tools for testing a normalizing flow (ours or a plugin's) against its own claims: the
 * Jacobian of a row-wise map by central differences, and {@code log|det|} of a matrix by LU, so a test
 * can assert that the log-det a flow returns equals {@code log|det J|} of what it computes:
 * <pre>{@code
 * // given: dev.nabla.api.flow.Flow flow, Tensor x, int n
 * double[][][] j = FlowChecks.jacobian(flow::forward, x);          // x: [n, d], float64 recommended
 * double[] logDet = flow.forward(x).logDet().toDoubleArray();
 * for (int b = 0; b < n; b++) org.junit.jupiter.api.Assertions.assertEquals(FlowChecks.logAbsDet(j[b]), logDet[b], 1e-6);
 * }</pre>
 * Run it in float64: the step {@code h = 1e-6} leaves a truncation error of order {@code h²} and a
 * rounding error of order {@code ε/h}, about 1e-10 in float64 but 1e-1 in float32.
 */
public final class FlowChecks {
    /** The central-difference step. */
    public static final double STEP = 1e-6;

    private FlowChecks() {
    }

    /**
     * {@code J[b][i][j] = ∂out_i/∂in_j} of row {@code b}, by central differences with step
     * {@value #STEP}, for a map that acts on each row of {@code x: [n, d]} separately (a flow in
     * evaluation mode). The perturbed inputs are made on {@code x}'s backend in {@code x}'s dtype.
     */
    public static double[][][] jacobian(Function<Tensor, FlowResult> fn, Tensor x) {
        if (x.shape().rank() != 2) {
            throw new IllegalArgumentException("FlowChecks.jacobian: x must be [n, d], got " + x.shape());
        }
        double[] base = x.toDoubleArray();
        int n = x.dim(0);
        int d = x.dim(1);
        double[][][] j = new double[n][d][d];
        for (int col = 0; col < d; col++) {
            double[] plus = base.clone();
            double[] minus = base.clone();
            for (int b = 0; b < n; b++) {
                plus[b * d + col] += STEP;
                minus[b * d + col] -= STEP;
            }
            double[] yp = fn.apply(x.factory().of(plus, n, d).to(x.dtype())).value().toDoubleArray();
            double[] ym = fn.apply(x.factory().of(minus, n, d).to(x.dtype())).value().toDoubleArray();
            for (int b = 0; b < n; b++) {
                for (int row = 0; row < d; row++) {
                    j[b][row][col] = (yp[b * d + row] - ym[b * d + row]) / (2 * STEP);
                }
            }
        }
        return j;
    }

    /** {@code log|det A|} of a square matrix, by LU decomposition with partial pivoting ({@code a} is not changed). */
    public static double logAbsDet(double[][] a0) {
        int n = a0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a0[i].length != n) {
                throw new IllegalArgumentException("FlowChecks.logAbsDet: the matrix is not square (row " + i + ")");
            }
            a[i] = a0[i].clone();
        }
        double ld = 0;
        for (int k = 0; k < n; k++) {
            int p = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(a[i][k]) > Math.abs(a[p][k])) {
                    p = i;
                }
            }
            double[] t = a[k];
            a[k] = a[p];
            a[p] = t;
            ld += Math.log(Math.abs(a[k][k]));
            for (int i = k + 1; i < n; i++) {
                double m = a[i][k] / a[k][k];
                for (int c = k; c < n; c++) {
                    a[i][c] -= m * a[k][c];
                }
            }
        }
        return ld;
    }
}
