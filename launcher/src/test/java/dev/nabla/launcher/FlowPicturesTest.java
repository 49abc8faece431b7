package dev.nabla.launcher;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flows' pictures beyond the loss curve: the log-density heatmap of a 2-D flow
 * ({@code density.png}), and Fashion-MNIST as a data set of {@code nabla train} whose samples are drawn
 * as a grid of 28×28 images — on a tiny stand-in of the four IDX files (always), and on the real files
 * when Debian's {@code dataset-fashion-mnist} is installed.
 */
class FlowPicturesTest {
    private static final Path SYSTEM_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path tmp;

    private static double luminance(int rgb) {
        return 0.2126 * ((rgb >> 16) & 255) + 0.7152 * ((rgb >> 8) & 255) + 0.0722 * (rgb & 255);
    }

    @Test
    void aTwoDimensionalFlowDrawsItsLogDensity() throws Exception {
        Path run = tmp.resolve("run");
        Cli r = Cli.run("train", "realnvp", "--dataset", "moons", "--backend", "reference", "--progress", "none",
                "--set", "blocks=2", "--set", "hidden=16", "--steps", "200", "--out", run.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("density.png"), r.out());
        BufferedImage img = ImageIO.read(run.resolve("density.png").toFile());
        assertEquals(600, img.getWidth());
        assertEquals(600, img.getHeight());
        // the plot is 480 px square at (70, 50): the data's middle is far likelier than the box's corners
        double centre = luminance(img.getRGB(70 + 240, 50 + 240));
        double corner = Math.max(luminance(img.getRGB(72, 52)), luminance(img.getRGB(70 + 477, 50 + 477)));
        assertTrue(centre > corner + 40, "centre " + centre + " vs corner " + corner);
        Files.copy(run.resolve("density.png"), Path.of("target", "density-moons.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);   // to look at
    }

    /** An IDX file of unsigned bytes, gzipped. */
    private static void idx(Path file, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(0x0800 | dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }

    /** Fashion-MNIST's four files with {@code train} and {@code test} images of bright squares on black. */
    private static Path standIn(Path dir, int train, int test) throws IOException {
        Path d = dir.resolve("fashion-mnist");
        Files.createDirectories(d);
        for (String part : List.of("train", "t10k")) {
            int n = part.equals("train") ? train : test;
            byte[] px = new byte[n * 784];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                int size = 6 + i % 10;
                for (int y = 14 - size / 2; y < 14 + size / 2; y++) {
                    for (int x = 14 - size / 2; x < 14 + size / 2; x++) {
                        px[i * 784 + y * 28 + x] = (byte) (200 + i % 50);
                    }
                }
                labels[i] = (byte) (i % 10);
            }
            idx(d.resolve(part + "-images-idx3-ubyte.gz"), new int[] {n, 28, 28}, px);
            idx(d.resolve(part + "-labels-idx1-ubyte.gz"), new int[] {n}, labels);
        }
        return dir;
    }

    private void trainsAndSamplesImages(Path dataDir, int limit) throws Exception {
        String old = System.getProperty("nabla.data.dir");
        if (dataDir != null) {
            System.setProperty("nabla.data.dir", dataDir.toString());
        }
        try {
            Path run = tmp.resolve("maf-fashion");
            Cli r = Cli.run("train", "maf", "--dataset", "fashion-mnist", "--backend", "reference", "--progress", "none",
                    "--set", "limit=" + limit, "--set", "blocks=1", "--set", "hidden=16", "--batch-size", "16",
                    "--steps", "3", "--samples", "16", "--out", run.toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("dim 784"), r.out());
            BufferedImage grid = ImageIO.read(run.resolve("samples.png").toFile());
            assertEquals(4 * 57 + 1, grid.getWidth(), "16 samples of 28x28 scaled to 56 px in a 4x4 grid");
            assertEquals(4 * 57 + 1, grid.getHeight());
            assertTrue(!Files.exists(run.resolve("density.png")), "no heatmap of 784 dimensions");

            Cli eval = Cli.run("eval", run.toString(), "--backend", "reference");
            assertEquals(0, eval.status(), eval.err());
            assertTrue(Double.isFinite(eval.value("log_likelihood")), eval.out());
            double bpd = eval.value("bits_per_dim");
            assertTrue(bpd > 0 && bpd < 30, "bits per dimension of 8-bit pixels after 3 steps: " + eval.out());
            Path png = tmp.resolve("more.png");
            Cli sample = Cli.run("sample", run.toString(), "-n", "9", "--out", png.toString(), "--backend", "reference");
            assertEquals(0, sample.status(), sample.err());
            assertEquals(3 * 57 + 1, ImageIO.read(png.toFile()).getWidth());

            Cli toy = Cli.run("train", "maf", "--dataset", "moons", "--backend", "reference", "--set", "limit=10",
                    "--out", tmp.resolve("toy").toString());
            assertEquals(2, toy.status());
            assertTrue(toy.err().contains("'limit'") && toy.err().contains("fashion-mnist"), toy.err());
        } finally {
            if (old == null) {
                System.clearProperty("nabla.data.dir");
            } else {
                System.setProperty("nabla.data.dir", old);
            }
        }
    }

    @Test
    void fashionMnistTrainsAFlowAndItsSamplesAreAGridOfImages() throws Exception {
        trainsAndSamplesImages(standIn(tmp.resolve("data"), 60, 20), 48);
    }

    @Test
    void theRealFashionMnistWhenInstalled() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(SYSTEM_FASHION_MNIST.resolve("train-images-idx3-ubyte.gz")),
                "Debian's dataset-fashion-mnist is not installed (no " + SYSTEM_FASHION_MNIST + "); the stand-in test covers the code");
        trainsAndSamplesImages(tmp.resolve("no-data-here"), 200);
    }
}
