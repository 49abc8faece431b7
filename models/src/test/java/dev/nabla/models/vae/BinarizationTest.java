package dev.nabla.models.vae;

import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.DataSplits;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixed binarisation is the one {@code scripts/vae_torch.py} reproduces with NumPy: the same draws
 * (values printed by Python's integer arithmetic) and, on the installed data set, the same counts of ones.
 */
class BinarizationTest {
    @Test
    void theDrawsAreSplitMixOfTheSeedAndTheIndex() {
        assertEquals(0.5665615751722809, Binarization.uniform(1, 0), 0);
        assertEquals(0.7457817572627011, Binarization.uniform(1, 1), 0);
        assertEquals(0.17970642560375416, Binarization.uniform(1, 783), 0);
        assertEquals(0.09704625349552931, Binarization.uniform(1, 1_000_000), 0);
        assertEquals(0.5911897341980794, Binarization.uniform(2, 0), 0);
        float[] bits = Binarization.binarize(new float[] {0.57f, 0.56f, 1f, 0f}, 1, 0);
        assertEquals(1f, bits[0]);   // u_0 = 0.5666 < 0.57
        assertEquals(0f, bits[1]);   // u_1 = 0.7458 > 0.56
        assertEquals(1f, bits[2]);
        assertEquals(0f, bits[3]);
    }

    @Test
    void theInstalledFashionMnistBinarisesAsInPyTorchsTwin() {
        Path dir = DataCatalog.fashionMnistDir();
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")), "no Fashion-MNIST at " + dir);
        DataSplits d = Binarization.binarize(DataCatalog.fashionMnistPixels(dir, 0));
        long train = 0;
        for (var split : new dev.nabla.models.data.ArrayDataset[] {(dev.nabla.models.data.ArrayDataset) d.train(),
                (dev.nabla.models.data.ArrayDataset) d.validation()}) {
            for (float v : split.values()) {
                train += (long) v;
            }
        }
        long test = 0;
        for (float v : ((dev.nabla.models.data.ArrayDataset) d.test()).values()) {
            test += (long) v;
        }
        assertEquals(13_455_648L, train, "ones in the training file (scripts/vae_torch.py bits)");
        assertEquals(2_250_948L, test, "ones in the test file");
    }

    @Test
    void aMissingDataSetNamesThePathAndTheDebianPackage(@org.junit.jupiter.api.io.TempDir Path empty) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataCatalog.fashionMnistPixels(empty, 0));
        assertTrue(e.getMessage().contains("dataset-fashion-mnist") && e.getMessage().contains(empty.toString())
                && !e.getMessage().contains("\n"), e.getMessage());
    }
}
