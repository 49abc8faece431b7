package dev.nabla.models.image;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet distance between the Gaussians {@code N(μ₁, Σ₁)} and {@code N(μ₂, Σ₂)} fitted to two sets of
 * features (Heusel et al., 2017; with Inception features it is the FID):
 * <pre>
 *   d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2})
 * </pre>
 * {@code Tr((Σ₁^{1/2} Σ₂ Σ₁^{1/2})^{1/2})} equals {@code Tr((Σ₁Σ₂)^{1/2})}, which the reference code
 * takes with {@code scipy.linalg.sqrtm}; here both square roots are of symmetric positive semi-definite
 * matrices, taken from EJML's symmetric eigendecomposition ({@code S^{1/2} = V diag(√max(λ, 0)) Vᵀ}),
 * which is stable where a general {@code sqrtm} of the non-symmetric {@code Σ₁Σ₂} can turn complex.
 * The value returned is {@code d²}, as FID reports it.
 */
public final class FrechetDistance {
    private FrechetDistance() {
    }

    /**
     * {@code d²} between the two fitted Gaussians.
     *
     * @throws IllegalArgumentException if the dimensions differ
     */
    public static double between(FeatureStatistics a, FeatureStatistics b) {
        return between(a.mean(), a.covariance(), b.mean(), b.covariance());
    }

    /**
     * {@code d²} between {@code N(mean1, cov1)} and {@code N(mean2, cov2)}, covariances row-major {@code d × d}
     * (symmetric positive semi-definite).
     *
     * @throws IllegalArgumentException if the sizes do not agree
     */
    public static double between(double[] mean1, double[] cov1, double[] mean2, double[] cov2) {
        int d = mean1.length;
        if (mean2.length != d || cov1.length != (long) d * d || cov2.length != (long) d * d) {
            throw new IllegalArgumentException("FrechetDistance: means of " + d + " and " + mean2.length
                    + " values with covariances of " + cov1.length + " and " + cov2.length);
        }
        double diff = 0;
        for (int i = 0; i < d; i++) {
            double t = mean1[i] - mean2[i];
            diff += t * t;
        }
        DMatrixRMaj s1 = new DMatrixRMaj(d, d, true, cov1);
        DMatrixRMaj s2 = new DMatrixRMaj(d, d, true, cov2);
        DMatrixRMaj root1 = sqrtSymmetric(s1);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d);
        DMatrixRMaj m = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(root1, s2, tmp);
        CommonOps_DDRM.mult(tmp, root1, m);
        symmetrize(m);
        double traceRoot = 0;
        for (double lambda : eigenvalues(m)) {
            traceRoot += Math.sqrt(Math.max(lambda, 0));
        }
        return diff + CommonOps_DDRM.trace(s1) + CommonOps_DDRM.trace(s2) - 2 * traceRoot;
    }

    /** {@code S^{1/2}} of a symmetric positive semi-definite {@code S} (negative round-off eigenvalues clamped to 0). */
    public static DMatrixRMaj sqrtSymmetric(DMatrixRMaj s) {
        int d = s.numRows;
        DMatrixRMaj copy = s.copy();
        symmetrize(copy);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(copy)) {
            throw new IllegalStateException("FrechetDistance: the eigendecomposition of a " + d + "x" + d + " matrix failed");
        }
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        for (int k = 0; k < d; k++) {
            double root = Math.sqrt(Math.max(eig.getEigenvalue(k).getReal(), 0));
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) {
                double vi = v.get(i, 0) * root;
                for (int j = 0; j < d; j++) {
                    out.add(i, j, vi * v.get(j, 0));
                }
            }
        }
        return out;
    }

    private static double[] eigenvalues(DMatrixRMaj m) {
        int d = m.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(m.copy())) {
            throw new IllegalStateException("FrechetDistance: the eigendecomposition of a " + d + "x" + d + " matrix failed");
        }
        double[] out = new double[d];
        for (int k = 0; k < d; k++) {
            out[k] = eig.getEigenvalue(k).getReal();
        }
        return out;
    }

    private static void symmetrize(DMatrixRMaj m) {
        int d = m.numRows;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double v = 0.5 * (m.get(i, j) + m.get(j, i));
                m.set(i, j, v);
                m.set(j, i, v);
            }
        }
    }
}
