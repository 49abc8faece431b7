package dev.nabla.models.vae;

import dev.nabla.api.types.Shape;
import dev.nabla.models.data.ArrayDataset;
import dev.nabla.models.data.DataSplits;

/**
 * The seeded, fixed binarisation of grey images for the Bernoulli decoder: pixel {@code k} (its index in
 * its file, row-major over all images) with intensity {@code p_k ∈ [0, 1]} becomes
 * <pre>
 *   b_k = 1  if  u_k &lt; p_k,  else 0,      u_k = (mix(seed + (k + 1)·φ) ⋙ 11) · 2⁻⁵³
 * </pre>
 * where {@code mix} is SplitMix64's finaliser and {@code φ = 0x9E3779B97F4A7C15}: a counter-based draw,
 * so every pixel's bit depends only on the seed and its index, the test set is the same in every run,
 * and a NumPy script reproduces it exactly ({@code scripts/vae_torch.py}). The training file uses seed
 * {@value #TRAIN_SEED}, the test file {@value #TEST_SEED}.
 */
public final class Binarization {
    /** The seed of the training file's bits (training and validation images). */
    public static final long TRAIN_SEED = 1;
    /** The seed of the test file's bits. */
    public static final long TEST_SEED = 2;
    private static final long PHI = 0x9E3779B97F4A7C15L;

    private Binarization() {
    }

    /** {@code u_k} for {@code seed}: a uniform double in {@code [0, 1)}. */
    public static double uniform(long seed, long k) {
        long z = seed + (k + 1) * PHI;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    /** The bits of {@code pixels}, whose first pixel has index {@code offset} in its file. */
    public static float[] binarize(float[] pixels, long seed, long offset) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = uniform(seed, offset + i) < pixels[i] ? 1f : 0f;
        }
        return out;
    }

    /**
     * The splits of grey images ({@link dev.nabla.models.data.DataCatalog#fashionMnistPixels}) binarised:
     * training then validation images with {@link #TRAIN_SEED} (they are consecutive in the training file),
     * the test images with {@link #TEST_SEED}. Labels are kept.
     */
    public static DataSplits binarize(DataSplits pixels) {
        ArrayDataset train = (ArrayDataset) pixels.train();
        ArrayDataset validation = (ArrayDataset) pixels.validation();
        ArrayDataset test = (ArrayDataset) pixels.test();
        return new DataSplits(
                copy(train, binarize(train.values(), TRAIN_SEED, 0)),
                copy(validation, binarize(validation.values(), TRAIN_SEED, train.values().length)),
                copy(test, binarize(test.values(), TEST_SEED, 0)));
    }

    private static ArrayDataset copy(ArrayDataset d, float[] values) {
        return new ArrayDataset(values, d.itemShape(), d.labels());
    }
}
