package dev.nabla.models.image;

/**
 * A network that maps images to feature vectors for a Fréchet distance: the penultimate layer of a
 * classifier ({@code fmnist-classifier}'s 128 features give "FMNIST-FID"). A host reaches it with
 * {@code FamilyModel.unwrap(FeatureExtractor.class)}.
 */
public interface FeatureExtractor {
    /** The length of one feature vector. */
    int featureDim();

    /** The image shape it reads, {@code {height, width}}, one grey channel with values in {@code [0, 1]}. */
    int[] imageShape();

    /**
     * The features of {@code count} images (row-major {@code count × height × width} pixels in {@code [0, 1]}),
     * row-major {@code count × featureDim()}, computed in batches without recording gradients.
     *
     * @throws IllegalArgumentException if the pixels are not {@code count} images of {@link #imageShape()}
     */
    float[] features(float[] pixels, int count);
}
