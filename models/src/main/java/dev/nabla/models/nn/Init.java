package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;

/**
 * Weight initializers. Each returns a fresh tensor (in the current scope, if any) drawn from
 * {@code random}, to be handed to {@link Block#parameter}. Fan-in and fan-out are those of a weight
 * {@code [in, out]} (Nabla's {@code Linear} computes {@code x·W}).
 *
 * <ul>
 *   <li>Glorot/Xavier uniform: {@code U(-a, a)}, {@code a = sqrt(6 / (fanIn + fanOut))} (gain 1).</li>
 *   <li>Glorot normal: {@code N(0, 2 / (fanIn + fanOut))} (gain 1).</li>
 *   <li>He/Kaiming normal (ReLU): {@code N(0, 2 / fanIn)}; He uniform: {@code U(-a, a)}, {@code a = sqrt(6 / fanIn)}.</li>
 *   <li>Orthogonal: the Q factor of a QR decomposition of a Gaussian matrix, sign-corrected so the
 *       distribution is uniform (Haar) on the orthogonal matrices; rows or columns orthonormal.</li>
 *   <li>Zeros and constants.</li>
 * </ul>
 */
public final class Init {
    private Init() {
    }

    /** Glorot/Xavier uniform for a {@code [fanIn, fanOut]} weight. */
    public static Tensor glorotUniform(TensorFactory f, Generator random, int fanIn, int fanOut) {
        double a = Math.sqrt(6.0 / (fanIn + fanOut));
        return f.uniform(random, -a, a, Shape.of(fanIn, fanOut), DType.FLOAT32);
    }

    /** Glorot/Xavier normal for a {@code [fanIn, fanOut]} weight. */
    public static Tensor glorotNormal(TensorFactory f, Generator random, int fanIn, int fanOut) {
        return f.normal(random, 0, Math.sqrt(2.0 / (fanIn + fanOut)), Shape.of(fanIn, fanOut), DType.FLOAT32);
    }

    /** He/Kaiming normal (for ReLU nets) for a {@code [fanIn, fanOut]} weight. */
    public static Tensor heNormal(TensorFactory f, Generator random, int fanIn, int fanOut) {
        return f.normal(random, 0, Math.sqrt(2.0 / fanIn), Shape.of(fanIn, fanOut), DType.FLOAT32);
    }

    /** He/Kaiming uniform for a {@code [fanIn, fanOut]} weight. */
    public static Tensor heUniform(TensorFactory f, Generator random, int fanIn, int fanOut) {
        double a = Math.sqrt(6.0 / fanIn);
        return f.uniform(random, -a, a, Shape.of(fanIn, fanOut), DType.FLOAT32);
    }

    /** PyTorch's default for {@code nn.Linear}: {@code U(-1/sqrt(fanIn), 1/sqrt(fanIn))} of the given shape. */
    public static Tensor lecunUniform(TensorFactory f, Generator random, int fanIn, int... dims) {
        double a = 1.0 / Math.sqrt(fanIn);
        return f.uniform(random, -a, a, Shape.of(dims), DType.FLOAT32);
    }

    /** All zeros. */
    public static Tensor zeros(TensorFactory f, int... dims) {
        return f.zeros(dims);
    }

    /** Every element {@code value}. */
    public static Tensor constant(TensorFactory f, double value, int... dims) {
        return f.full(Shape.of(dims), value, DType.FLOAT32);
    }

    /**
     * A {@code [rows, cols]} matrix with orthonormal columns (rows ≥ cols) or orthonormal rows
     * (rows &lt; cols), times {@code gain}: modified Gram–Schmidt on a Gaussian matrix in float64 with
     * the sign correction {@code Q·diag(sign(diag R))}.
     */
    public static Tensor orthogonal(TensorFactory f, Generator random, int rows, int cols, double gain) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("orthogonal: shape [" + rows + ", " + cols + "] must be positive");
        }
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows;
        int n = transpose ? rows : cols;
        double[][] a = new double[n][m]; // n column vectors of length m
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                a[j][i] = random.nextGaussian();
            }
        }
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < m; i++) {
                    dot += a[k][i] * a[j][i];
                }
                for (int i = 0; i < m; i++) {
                    a[j][i] -= dot * a[k][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += a[j][i] * a[j][i];
            }
            norm = Math.sqrt(norm); // R[j][j] > 0 by construction: the sign correction is implicit
            for (int i = 0; i < m; i++) {
                a[j][i] /= norm;
            }
        }
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = (float) (gain * (transpose ? a[r][c] : a[c][r]));
            }
        }
        return f.of(out, rows, cols);
    }
}
