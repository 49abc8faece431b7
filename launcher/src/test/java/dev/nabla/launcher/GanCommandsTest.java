package dev.nabla.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nabla train gan} on the ring (the {@code updates} trainer, the four metrics in {@code metrics.csv},
 * samples over D's decision surface), {@code --resume}, {@code sample --png}, {@code eval} (modes and quality),
 * and the bad inputs of the game: k below 1 and an unknown loss are one line and exit 2.
 */
class GanCommandsTest {
    @TempDir
    Path tmp;

    private static Cli train(Path run, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "gan", "--dataset", "8gaussians", "--backend",
                "native", "--progress", "none", "--epochs", "1", "--steps", "6", "--samples", "200", "--out", run.toString(),
                "--set", "hidden=8", "--set", "k=2"));
        a.addAll(List.of(more));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void trainsResumesSamplesAndEvaluatesTheToyGan() throws Exception {
        Path run = tmp.resolve("ring");
        Cli r = train(run);
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("trainer updates") && r.out().contains("test modes covered (of 8)"), r.out());
        String header = Files.readAllLines(run.resolve("metrics.csv")).getFirst();
        for (String column : List.of("d_loss", "g_loss", "d_real", "d_fake")) {
            assertTrue(header.contains(column), header);
        }
        BufferedImage samples = ImageIO.read(run.resolve("samples.png").toFile());
        // D(x) fills the plot behind the points: no white pixel in its interior
        assertTrue(samples.getRGB(80, 60) != 0xFFFFFFFF && samples.getRGB(540, 520) != 0xFFFFFFFF);
        Cli more = Cli.run("train", "gan", "--dataset", "8gaussians", "--backend", "native", "--progress", "none",
                "--epochs", "1", "--steps", "10", "--samples", "0", "--out", run.toString(), "--resume");
        assertEquals(0, more.status(), more.out() + more.err());
        assertTrue(more.out().contains("done: 10 steps (4 in this session)"), more.out());
        Path png = tmp.resolve("s.png");
        Cli s = Cli.run("sample", run.toString(), "-n", "300", "--png", png.toString(), "--out", tmp.resolve("s.csv").toString());
        assertEquals(0, s.status(), s.err());
        assertTrue(Files.isRegularFile(png) && Files.readAllLines(tmp.resolve("s.csv")).getFirst().startsWith("x1,x2"));
        Cli e = Cli.run("eval", run.toString());
        assertEquals(0, e.status(), e.err());
        double modes = e.value("modes");
        assertTrue(modes >= 0 && modes <= 8 && e.value("quality") >= 0 && e.value("quality") <= 100, e.out());
        assertTrue(e.out().contains("a mode needs 63 of 2500 samples within 3 sigma"), e.out());
    }

    @Test
    void kBelowOneAndAnUnknownLossAreOneLineAndExitTwo() {
        Cli k = train(tmp.resolve("k"), "--set", "k=0");
        assertEquals(2, k.status(), k.out());
        assertTrue(k.err().contains("k (discriminator steps per generator step) must be at least 1, got 0")
                && k.err().strip().lines().count() == 1, k.err());
        Cli loss = train(tmp.resolve("loss"), "--set", "loss=wgan");
        assertEquals(2, loss.status(), loss.out());
        assertTrue(loss.err().contains("unknown loss 'wgan'; valid: minimax, nonsaturating, hinge")
                && loss.err().strip().lines().count() == 1, loss.err());
    }
}
