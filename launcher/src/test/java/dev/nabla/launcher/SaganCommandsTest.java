package dev.nabla.launcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * {@code nabla train sagan} (the hinge game's parts in the metrics, spectral norm's vectors in the
 * checkpoint), {@code sample --png} and {@code sample --queries} (the attention figure), and the refusals of
 * a bad query and of {@code --queries} for a model without attention, on a tiny stand-in of Fashion-MNIST.
 */
class SaganCommandsTest {
    @TempDir
    Path tmp;
    private String old;

    @BeforeEach
    void standIn() throws IOException {
        Path d = tmp.resolve("data").resolve("fashion-mnist");
        Files.createDirectories(d);
        for (String part : List.of("train", "t10k")) {
            int n = part.equals("train") ? 80 : 40;
            byte[] px = new byte[n * 784];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                int size = 6 + 2 * (i % 10);
                for (int y = 14 - size / 2; y < 14 + size / 2; y++) {
                    for (int x = 14 - size / 2; x < 14 + size / 2; x++) {
                        px[i * 784 + y * 28 + x] = (byte) (180 + i % 70);
                    }
                }
                labels[i] = (byte) (i % 10);
            }
            idx(d.resolve(part + "-images-idx3-ubyte.gz"), new int[] {n, 28, 28}, px);
            idx(d.resolve(part + "-labels-idx1-ubyte.gz"), new int[] {n}, labels);
        }
        old = System.getProperty("nabla.data.dir");
        System.setProperty("nabla.data.dir", tmp.resolve("data").toString());
    }

    @AfterEach
    void restore() {
        if (old == null) {
            System.clearProperty("nabla.data.dir");
        } else {
            System.setProperty("nabla.data.dir", old);
        }
    }

    private static void idx(Path file, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(0x0800 | dims.length);
            for (int dim : dims) {
                out.writeInt(dim);
            }
            out.write(data);
        }
    }

    @Test
    void trainsSamplesAndDrawsTheAttentionMaps() throws Exception {
        Path run = tmp.resolve("sagan");
        Cli r = Cli.run("train", "sagan", "--dataset", "fashion-mnist", "--backend", "reference", "--progress", "none",
                "--batch-size", "8", "--steps", "2", "--out", run.toString(), "--set", "channels=2", "--set", "latent=4", "--set", "limit=60");
        assertEquals(0, r.status(), r.out() + r.err());
        String header = Files.readAllLines(run.resolve("metrics.csv")).getFirst();
        assertTrue(header.contains("d_loss") && header.contains("g_loss"), header);
        String meta = Files.readString(run.resolve("checkpoint.json"));
        assertTrue(meta.contains("\"lr\":4.0E-4") && meta.contains("\"lr\":1.0E-4") && meta.contains("\"beta1\":0.0")
                && meta.contains("\"beta2\":0.9"), "two time-scale Adams, lr_d 4e-4 and lr_g 1e-4, betas (0, 0.9): " + meta);

        Path grid = tmp.resolve("grid.png");
        Cli s = Cli.run("sample", run.toString(), "-n", "4", "--png", grid.toString(), "--backend", "reference");
        assertEquals(0, s.status(), s.err());
        assertEquals(2 * 57 + 1, ImageIO.read(grid.toFile()).getWidth(), "4 samples in a 2x2 grid");

        Path fig = tmp.resolve("attention.png");
        Cli a = Cli.run("sample", run.toString(), "-n", "3", "--queries", "7,14;14,14", "--out", fig.toString(),
                "--backend", "reference");
        assertEquals(0, a.status(), a.err());
        BufferedImage img = ImageIO.read(fig.toFile());
        assertEquals(3 * 56 + 4 * 4 + 2, img.getWidth(), "the image and two query tiles (and the grid's 1-pixel frame)");
        assertEquals(3 * 56 + 4 * 4 + 2, img.getHeight(), "three rows");

        Cli bad = Cli.run("sample", run.toString(), "--queries", "30,1", "--out", fig.toString(), "--backend", "reference");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--queries") && bad.err().contains("30,1"), bad.err());
    }

    @Test
    void attentionIsRefusedForAModelWithoutIt() {
        Path run = tmp.resolve("dcgan");
        Cli r = Cli.run("train", "dcgan", "--dataset", "fashion-mnist", "--backend", "reference", "--progress", "none",
                "--batch-size", "8", "--steps", "1", "--out", run.toString(), "--set", "channels=2", "--set", "latent=4", "--set", "limit=60");
        assertEquals(0, r.status(), r.out() + r.err());
        Cli a = Cli.run("sample", run.toString(), "--queries", "7,14", "--backend", "reference");
        assertEquals(2, a.status());
        assertTrue(a.err().contains("--queries") && a.err().contains("dcgan"), a.err());
    }
}
