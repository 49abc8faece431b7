package dev.nabla.models.data;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loader on a small Fashion-MNIST-shaped folder written by the test, and the pixel-space correction. */
class FashionMnistTest {
    @TempDir
    Path dir;

    private void write(String part, int n, int seed) throws IOException {
        byte[] px = new byte[n * 784];
        new java.util.Random(seed).nextBytes(px);
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        IdxReaderTest.gz(dir.resolve(part + "-images-idx3-ubyte.gz"), IdxReaderTest.idx(0x08, new int[] {n, 28, 28}, px));
        IdxReaderTest.gz(dir.resolve(part + "-labels-idx1-ubyte.gz"), IdxReaderTest.idx(0x08, new int[] {n}, labels));
    }

    @Test
    void loadsDequantisesAndLogitTransformsDeterministically() throws IOException {
        write("train", 6, 1);
        write("t10k", 3, 2);
        DataSplits a = FashionMnist.load(dir, 7, 0, 2, 0);
        DataSplits b = FashionMnist.load(dir, 7, 0, 2, 0);
        assertEquals(4, a.train().size());
        assertEquals(2, a.validation().size());
        assertEquals(3, a.test().size());
        assertArrayEquals(((ArrayDataset) a.train()).values(), ((ArrayDataset) b.train()).values());
        var raw = IdxReader.read(dir.resolve("train-images-idx3-ubyte.gz"));
        float[] y = ((ArrayDataset) a.train()).values();
        for (int i = 0; i < 4 * 784; i++) {
            double s = 1 / (1 + Math.exp(-y[i]));
            double pixel = (s - FashionMnist.LAMBDA) / (1 - 2 * FashionMnist.LAMBDA) * 256;
            assertTrue(pixel >= raw.get(i) - 1e-3 && pixel < raw.get(i) + 1 + 1e-3,
                    "dequantised value " + pixel + " not in [" + raw.get(i) + ", +1)");
        }
        assertEquals(4, a.validation().batch(TensorFactory.on(Nabla.backend("reference")), new int[] {0}).get(Dataset.LABEL).toLongArray()[0]);
    }

    /** The log-det of v ↦ y, summed over dimensions, against a central difference of the transform. */
    @Test
    void pixelSpaceCorrectionIsTheLogDetOfTheTransform() {
        TensorFactory f = TensorFactory.on(Nabla.backend("reference"));
        Generator g = new Generator(3);
        int d = 6;
        double[] v = new double[d];
        double[] y = new double[d];
        double numeric = 0;
        for (int i = 0; i < d; i++) {
            v[i] = 256 * g.nextDouble();
            y[i] = logit(v[i]);
            double h = 1e-4;
            numeric += Math.log((logit(v[i] + h) - logit(v[i] - h)) / (2 * h));
        }
        Tensor yt = f.of(y, 1, d);
        Tensor lpY = f.of(new double[] {-3.0}, 1).to(DType.FLOAT64);
        double got = FashionMnist.pixelLogProb(lpY, yt).item();
        assertEquals(-3.0 + numeric, got, 1e-5);
        assertEquals(8.0, FashionMnist.bitsPerDim(-8 * 784 * Math.log(2), 784), 1e-12);
    }

    private static double logit(double v) {
        double s = FashionMnist.LAMBDA + (1 - 2 * FashionMnist.LAMBDA) * v / 256;
        return Math.log(s / (1 - s));
    }

    @Test
    void missingFilesAreNamed() {
        var e = assertThrows(IOException.class, () -> FashionMnist.load(dir.resolve("nowhere"), 1, 0, 0, 0));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }
}
