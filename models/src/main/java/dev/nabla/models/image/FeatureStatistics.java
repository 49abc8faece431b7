package dev.nabla.models.image;

/**
 * The mean {@code μ} and covariance {@code Σ} of {@code n ≥ 2} feature vectors of dimension {@code d}:
 * <pre>
 *   μ = (1/n) Σ_i f_i,    Σ = 1/(n − 1) Σ_i (f_i − μ)(f_i − μ)ᵀ
 * </pre>
 * accumulated in float64 (the unbiased covariance, as {@code numpy.cov} and the FID reference code compute it).
 *
 * @param mean       {@code μ}, length {@code d}
 * @param covariance {@code Σ}, row-major {@code d × d}
 * @param count      {@code n}
 */
public record FeatureStatistics(double[] mean, double[] covariance, int count) {
    /** Checks the sizes agree. */
    public FeatureStatistics {
        if (covariance.length != (long) mean.length * mean.length || count < 2) {
            throw new IllegalArgumentException("FeatureStatistics: a mean of " + mean.length + " and a covariance of "
                    + covariance.length + " values over " + count + " vectors (need d and d*d values, at least 2 vectors)");
        }
    }

    /** The dimension {@code d}. */
    public int dim() {
        return mean.length;
    }

    /**
     * The statistics of {@code n} row-major vectors of length {@code d}.
     *
     * @throws IllegalArgumentException if the rows do not fit, there are fewer than 2, or a value is not finite
     */
    public static FeatureStatistics of(float[] rows, int n, int d) {
        if (n < 2 || d < 1 || rows.length != (long) n * d) {
            throw new IllegalArgumentException("FeatureStatistics: " + rows.length + " values are not " + n + " vectors of "
                    + d + " (need at least 2 vectors)");
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                float v = rows[i * d + j];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("FeatureStatistics: value " + v + " in vector " + i + " is not finite");
                }
                mean[j] += v;
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] cov = new double[d * d];
        double[] c = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                c[j] = rows[i * d + j] - mean[j];
            }
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                int row = a * d;
                for (int b = a; b < d; b++) {
                    cov[row + b] += ca * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a * d + b] /= n - 1;
                cov[b * d + a] = cov[a * d + b];
            }
        }
        return new FeatureStatistics(mean, cov, n);
    }
}
