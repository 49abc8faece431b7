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
 * {@code nabla train vae}, {@code sample --png}, {@code eval} (ELBO, importance-weighted bound,
 * FMNIST-FID through a trained {@code fmnist-classifier}) and their bad inputs, on a tiny stand-in of
 * Fashion-MNIST's four IDX files (bright squares of ten sizes, one class per size).
 */
class VaeCommandsTest {
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

    private Cli train(Path run, String... keys) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "vae", "--dataset", "fashion-mnist", "--backend",
                "reference", "--progress", "none", "--batch-size", "16", "--steps", "4", "--out", run.toString(),
                "--set", "hidden=16", "--set", "iw=5", "--set", "limit=60"));
        for (String k : keys) {
            a.add("--set");
            a.add(k);
        }
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void trainsSamplesAndEvaluatesAVaeWithItsPictures() throws Exception {
        Path run = tmp.resolve("vae");
        Cli r = train(run, "latent=2");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("importance-weighted bound (K=5)"), r.out());
        for (String png : List.of("samples.png", "reconstructions.png", "interpolations.png", "latent.png", "loss.png")) {
            assertTrue(r.out().contains(png) && Files.isRegularFile(run.resolve(png)), png + " in " + r.out());
        }
        BufferedImage recon = ImageIO.read(run.resolve("reconstructions.png").toFile());
        assertEquals(10 * 57 + 1, recon.getWidth(), "10 columns of 28x28 images scaled to 56 px");
        assertEquals(2 * 57 + 1, recon.getHeight(), "originals above reconstructions");
        BufferedImage first = ImageIO.read(run.resolve("reconstructions.png").toFile());
        assertTrue(first.getRaster().getSample(1 + 28, 1 + 28, 0) > 150, "the first original's centre is its bright square");
        BufferedImage inter = ImageIO.read(run.resolve("interpolations.png").toFile());
        assertEquals(10 * 57 + 1, inter.getWidth());
        assertEquals(8 * 57 + 1, inter.getHeight(), "8 paths between test images");
        String header = Files.readAllLines(run.resolve("metrics.csv")).getFirst();
        assertTrue(header.contains("recon") && header.contains("kl"), header);

        Path grid = tmp.resolve("grid.png");
        Cli s = Cli.run("sample", run.toString(), "-n", "9", "--png", grid.toString(), "--backend", "reference");
        assertEquals(0, s.status(), s.err());
        assertEquals(3 * 57 + 1, ImageIO.read(grid.toFile()).getWidth(), "9 samples in a 3x3 grid");

        Cli e = Cli.run("eval", run.toString(), "--backend", "reference", "--fid-samples", "0");
        assertEquals(0, e.status(), e.err());
        double iw = e.value("iw_bound");
        double elbo = e.value("elbo");
        assertTrue(iw < 0 && elbo < 0, e.out());
        assertEquals(-iw / (784 * Math.log(2)), e.value("iw_bits_per_dim"), 1e-5, e.out());
        assertEquals(-elbo, e.value("recon") + e.value("kl"), 1e-3, "the ELBO is its two terms: " + e.out());

        Cli noClassifier = Cli.run("eval", run.toString(), "--backend", "reference");
        assertEquals(0, noClassifier.status(), noClassifier.err());
        assertTrue(noClassifier.err().contains("fmnist-classifier") && noClassifier.err().contains("--classifier RUN")
                && noClassifier.err().strip().lines().count() == 1, noClassifier.err());
        assertTrue(!noClassifier.out().contains("fmnist_fid") && noClassifier.out().contains("iw_bound="), noClassifier.out());
        Cli missing = Cli.run("eval", run.toString(), "--backend", "reference", "--classifier", tmp.resolve("none").toString());
        assertEquals(2, missing.status(), missing.out());
        assertTrue(missing.err().contains(tmp.resolve("none").toString()), missing.err());

        Path classifier = tmp.resolve("classifier");
        Cli c = Cli.run("train", "fmnist-classifier", "--dataset", "fashion-mnist", "--backend", "reference", "--progress",
                "none", "--batch-size", "16", "--steps", "3", "--set", "channels=2", "--set", "features=8", "--set", "limit=60", "--out",
                classifier.toString());
        assertEquals(0, c.status(), c.out() + c.err());
        assertTrue(c.out().contains("test accuracy"), c.out());
        assertTrue(!c.err().contains("warning"), "a model that draws nothing leaves the pictures alone: " + c.err());
        Cli fid = Cli.run("eval", run.toString(), "--backend", "reference", "--classifier", classifier.toString(),
                "--fid-samples", "30");
        assertEquals(0, fid.status(), fid.err());
        double d = fid.value("fmnist_fid");
        assertTrue(Double.isFinite(d) && d >= -1e-6, fid.out());
        assertTrue(fid.out().contains("30 samples against 30"), fid.out());

        Cli wrongClassifier = Cli.run("eval", run.toString(), "--backend", "reference", "--classifier", run.toString());
        assertEquals(2, wrongClassifier.status());
        assertTrue(wrongClassifier.err().contains("gives no image features"), wrongClassifier.err());
        Cli sampleClassifier = Cli.run("sample", classifier.toString(), "--backend", "reference");
        assertEquals(2, sampleClassifier.status());
        assertTrue(sampleClassifier.err().contains("draws no samples"), sampleClassifier.err());
    }

    @Test
    void convAndGaussianVariantsTrain() {
        Cli conv = train(tmp.resolve("conv"), "conv=true", "channels=2", "decoder=gaussian", "beta=0.5", "warmup=2");
        assertEquals(0, conv.status(), conv.out() + conv.err());
        assertTrue(!Files.exists(tmp.resolve("conv").resolve("latent.png")), "no scatter of 20 dimensions");
        Cli learned = train(tmp.resolve("learned"), "decoder=gaussian-learned");
        assertEquals(0, learned.status(), learned.out() + learned.err());
    }

    @Test
    void badKeysAndValuesAreRefusedByName() {
        Cli key = train(tmp.resolve("a"), "latnt=2");
        assertEquals(2, key.status());
        assertTrue(key.err().contains("'latnt'") && key.err().contains("latent"), key.err());
        Cli decoder = train(tmp.resolve("b"), "decoder=poisson");
        assertEquals(2, decoder.status());
        assertTrue(decoder.err().contains("'poisson'") && decoder.err().contains("bernoulli"), decoder.err());
        Cli latent = train(tmp.resolve("c"), "latent=0");
        assertEquals(2, latent.status());
        assertTrue(latent.err().contains("latent"), latent.err());
        Cli fid = Cli.run("eval", tmp.resolve("nothing").toString(), "--fid-samples", "1");
        assertEquals(2, fid.status());
        assertTrue(fid.err().contains("--fid-samples") && fid.err().contains("1"), fid.err());
        assertTrue(!Files.exists(tmp.resolve("a")), "a refused key leaves no run folder");
    }
}
