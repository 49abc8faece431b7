package dev.nabla.models.data;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.Shape;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Fashion-MNIST (Xiao et al., 2017; 28×28 grey images, 60,000 training and 10,000 test) prepared for
 * density estimation as in MAF and RealNVP: each image is flattened to 784 values, dequantised and
 * logit-transformed,
 *
 * <pre>
 *   x = (pixel + u) / 256,  u ~ U[0, 1)          (dequantisation, x ∈ (0, 1))
 *   y = logit(λ + (1 − 2λ)·x),  λ = 1e-6         (what the model sees)
 * </pre>
 *
 * <p>A density {@code p_Y} on {@code y} gives a density on the dequantised pixels {@code v = 256·x ∈ [0, 256)^D}:
 *
 * <pre>
 *   log p_V(v) = log p_Y(y) + Σ_i [ log(1 − 2λ) + softplus(y_i) + softplus(−y_i) ] − D·log 256
 * </pre>
 *
 * (since {@code dy/dx = (1 − 2λ)/(s(1 − s))} with {@code s = sigmoid(y)}), and bits per dimension
 * {@code −log p_V(v) / (D·ln 2)} — the number papers report ({@link #pixelLogProb}, {@link #bitsPerDim}).
 * The last {@code validation} training images form the validation set. The noise {@code u} is drawn
 * from the seed, so the same seed gives the same data.
 */
public final class FashionMnist {
    /** Where Debian's {@code dataset-fashion-mnist} installs the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The logit transform's {@code λ}. */
    public static final double LAMBDA = 1e-6;
    /** Pixels per image. */
    public static final int DIM = 784;

    private FashionMnist() {
    }

    /**
     * Loads and transforms the data.
     *
     * @param dir        the folder with {@code {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz}
     * @param trainLimit at most this many training images (the first ones; {@code ≤ 0}: all 60,000)
     * @param validation how many of those to hold out (the last ones)
     * @param testLimit  at most this many test images ({@code ≤ 0}: all 10,000)
     * @throws IOException naming the file and what is wrong with it
     */
    public static DataSplits load(Path dir, long seed, int trainLimit, int validation, int testLimit)
            throws IOException {
        Generator g = new Generator(seed);
        float[][] train = images(dir, "train", trainLimit);
        int[] trainLabels = labels(dir, "train", train.length);
        float[][] test = images(dir, "t10k", testLimit);
        int[] testLabels = labels(dir, "t10k", test.length);
        int n = train.length;
        if (validation < 0 || validation >= n) {
            throw new IllegalArgumentException("FashionMnist: validation (" + validation + ") must be in [0, " + n + ")");
        }
        Generator gTrain = g.split();
        Generator gTest = g.split();
        float[] trainY = transform(train, gTrain);
        float[] testY = transform(test, gTest);
        int nTrain = n - validation;
        float[] tr = java.util.Arrays.copyOfRange(trainY, 0, nTrain * DIM);
        float[] va = java.util.Arrays.copyOfRange(trainY, nTrain * DIM, n * DIM);
        return new DataSplits(
                new ArrayDataset(tr, Shape.of(DIM), java.util.Arrays.copyOfRange(trainLabels, 0, nTrain)),
                new ArrayDataset(va, Shape.of(DIM), java.util.Arrays.copyOfRange(trainLabels, nTrain, n)),
                new ArrayDataset(testY, Shape.of(DIM), testLabels));
    }

    /**
     * The images as pixel intensities {@code pixel / 255 ∈ [0, 1]}, without noise or transform, with their
     * labels: what an autoencoder, a GAN or a classifier reads. Splits as {@link #load}.
     *
     * @throws IOException naming the file and what is wrong with it
     */
    public static DataSplits loadPixels(Path dir, int trainLimit, int validation, int testLimit) throws IOException {
        float[][] train = images(dir, "train", trainLimit);
        int[] trainLabels = labels(dir, "train", train.length);
        float[][] test = images(dir, "t10k", testLimit);
        int[] testLabels = labels(dir, "t10k", test.length);
        int n = train.length;
        if (validation < 0 || validation >= n) {
            throw new IllegalArgumentException("FashionMnist: validation (" + validation + ") must be in [0, " + n + ")");
        }
        int nTrain = n - validation;
        float[] all = scaled(train);
        return new DataSplits(
                new ArrayDataset(java.util.Arrays.copyOfRange(all, 0, nTrain * DIM), Shape.of(DIM),
                        java.util.Arrays.copyOfRange(trainLabels, 0, nTrain)),
                new ArrayDataset(java.util.Arrays.copyOfRange(all, nTrain * DIM, n * DIM), Shape.of(DIM),
                        java.util.Arrays.copyOfRange(trainLabels, nTrain, n)),
                new ArrayDataset(scaled(test), Shape.of(DIM), testLabels));
    }

    private static float[] scaled(float[][] pixels) {
        float[] out = new float[pixels.length * DIM];
        for (int i = 0; i < pixels.length; i++) {
            for (int j = 0; j < DIM; j++) {
                out[i * DIM + j] = pixels[i][j] / 255f;
            }
        }
        return out;
    }

    /** {@code y = logit(λ + (1 − 2λ)·(pixel + u)/256)} for every pixel, row-major. */
    static float[] transform(float[][] pixels, Generator g) {
        float[] out = new float[pixels.length * DIM];
        for (int i = 0; i < pixels.length; i++) {
            for (int j = 0; j < DIM; j++) {
                double x = (pixels[i][j] + g.nextDouble()) / 256.0;
                double s = LAMBDA + (1 - 2 * LAMBDA) * x;
                out[i * DIM + j] = (float) Math.log(s / (1 - s));
            }
        }
        return out;
    }

    private static float[][] images(Path dir, String part, int limit) throws IOException {
        Path p = dir.resolve(part + "-images-idx3-ubyte.gz");
        IdxReader.IdxArray a = IdxReader.read(p);
        if (a.dims().length != 3 || a.dims()[1] != 28 || a.dims()[2] != 28 || !a.unsigned()) {
            throw new IOException(p + ": expected unsigned-byte images [n, 28, 28], got " + a.shapeString());
        }
        int n = limit > 0 ? Math.min(limit, a.dims()[0]) : a.dims()[0];
        float[][] out = new float[n][DIM];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < DIM; j++) {
                out[i][j] = a.get(i * DIM + j);
            }
        }
        return out;
    }

    private static int[] labels(Path dir, String part, int n) throws IOException {
        Path p = dir.resolve(part + "-labels-idx1-ubyte.gz");
        IdxReader.IdxArray a = IdxReader.read(p);
        if (a.dims().length != 1 || a.dims()[0] < n) {
            throw new IOException(p + ": expected at least " + n + " labels [n], got " + a.shapeString());
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = a.get(i);
        }
        return out;
    }

    /**
     * Pixels in [0, 1] from values in the logit space the data are modelled in (the inverse of
     * {@code logit(λ + (1 − 2λ) x)}), clamped, with non-finite values drawn as 0: for showing samples.
     */
    public static float[] toPixels(float[] logits) {
        float[] px = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            double v = (1 / (1 + Math.exp(-logits[i])) - LAMBDA) / (1 - 2 * LAMBDA);
            px[i] = Double.isFinite(v) ? (float) Math.max(0, Math.min(1, v)) : 0f;
        }
        return px;
    }

    /**
     * {@code log p_V(v)} in dequantised pixel space from {@code log p_Y(y)} (shape {@code [batch]}) and the
     * logit-space batch {@code y [batch, D]} (see the class comment).
     */
    public static Tensor pixelLogProb(Tensor logProbY, Tensor y) {
        int d = y.dim(1);
        Tensor perDim = y.softplus().add(y.neg().softplus());
        return logProbY.add(perDim.sum(1, false)).add(d * (Math.log1p(-2 * LAMBDA) - Math.log(256)));
    }

    /** Bits per dimension {@code −mean(log p_V) / (D·ln 2)} from pixel-space log-probabilities. */
    public static double bitsPerDim(double meanPixelLogProb, int d) {
        return -meanPixelLogProb / (d * Math.log(2));
    }
}
