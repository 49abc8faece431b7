package dev.nabla.models.gan;

import java.util.Arrays;

/**
 * How many modes of a mixture of Gaussians in the plane a set of samples covers, and how good the samples
 * are (Srivastava et al. 2017, "VEEGAN"; Lin et al. 2018, "PacGAN"). Each sample is assigned to its nearest
 * centre; it is <b>high-quality</b> when it lies within {@code 3σ} of that centre. A mode is <b>covered</b>
 * when at least {@code threshold} of the samples are high-quality samples of it, with
 * <pre>
 *   threshold = max(1, ⌈{@value #SHARE} · n / K⌉)
 * </pre>
 * for {@code n} samples and {@code K} modes: a fifth of the share a mode would get from a perfect model
 * (with n = 2,500: 63 samples for the 8 Gaussians, 20 for the 25 — PacGAN's 20 of 2,500 for the 25-mode grid).
 *
 * @param modes     the number of modes {@code K}
 * @param covered   the modes covered
 * @param quality   the fraction of high-quality samples, in {@code [0, 1]}
 * @param counts    the high-quality samples of each mode
 * @param threshold the samples a mode needs to count as covered
 */
public record ModeCoverage(int modes, int covered, double quality, int[] counts, int threshold) {
    /** The fraction of a perfect model's share of samples that covers a mode. */
    public static final double SHARE = 0.2;

    /** Copies the counts. */
    public ModeCoverage {
        counts = counts.clone();
    }

    /**
     * The coverage of {@code samples} (row-major {@code [n, 2]}) of the modes at {@code centres}
     * ({@code [K][2]}), each of standard deviation {@code sigma}.
     *
     * @throws IllegalArgumentException for no centre, points that are not pairs, or a non-positive sigma
     */
    public static ModeCoverage of(float[] samples, double[][] centres, double sigma) {
        if (centres.length == 0 || samples.length % 2 != 0 || !(sigma > 0)) {
            throw new IllegalArgumentException("ModeCoverage: needs modes, [n, 2] samples and sigma > 0; got "
                    + centres.length + " modes, " + samples.length + " values, sigma " + sigma);
        }
        int n = samples.length / 2;
        int[] counts = new int[centres.length];
        int good = 0;
        double radius = 3 * sigma;
        for (int i = 0; i < n; i++) {
            double x = samples[2 * i];
            double y = samples[2 * i + 1];
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < centres.length; c++) {
                double d = Math.hypot(x - centres[c][0], y - centres[c][1]);
                if (d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
            if (bestD <= radius) {   // NaN samples fail this and count as bad
                counts[best]++;
                good++;
            }
        }
        int threshold = Math.max(1, (int) Math.ceil(SHARE * n / centres.length));
        int covered = (int) Arrays.stream(counts).filter(c -> c >= threshold).count();
        return new ModeCoverage(centres.length, covered, n == 0 ? 0 : (double) good / n, counts, threshold);
    }
}
