package dev.nabla.models.image;

/**
 * "FID" in a given feature space: the {@link FrechetDistance} between the {@link FeatureStatistics} of a
 * {@link FeatureExtractor}'s features of generated images and of real ones. With the features of
 * {@code fmnist-classifier} it is "FMNIST-FID" — comparable between models scored with the same
 * classifier run and the same numbers of images, not with Inception-based FIDs.
 */
public final class Fid {
    private Fid() {
    }

    /**
     * The distance between {@code generated} and {@code real} images (row-major pixels in {@code [0, 1]}
     * of the extractor's image shape), {@code d²}.
     *
     * @throws IllegalArgumentException if either set has fewer than 2 images or does not fit the extractor
     */
    public static double between(FeatureExtractor features, float[] generated, int generatedCount, float[] real, int realCount) {
        FeatureStatistics g = FeatureStatistics.of(features.features(generated, generatedCount), generatedCount,
                features.featureDim());
        FeatureStatistics r = FeatureStatistics.of(features.features(real, realCount), realCount, features.featureDim());
        return FrechetDistance.between(g, r);
    }
}
