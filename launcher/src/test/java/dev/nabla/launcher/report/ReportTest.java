package dev.nabla.launcher.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress lines, the metrics file and the pictures' arithmetic and pixels. */
class ReportTest {
    @TempDir
    Path tmp;

    @Test
    void linesModePrintsEveryNStepsWithTheSmoothedLossAndTheLastValidation() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] clock = {0};
        ProgressDisplay d = new ProgressDisplay(ProgressDisplay.Mode.LINES, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                10, 5, 0, () -> clock[0]);
        for (int s = 1; s <= 10; s++) {
            clock[0] += 1_000_000_000L;   // a second a step
            d.onStep(s, 2.0);
            if (s == 5) {
                d.onValidation(5, 1, 1.5);
            }
        }
        d.onEnd(new dev.nabla.api.train.TrainingReport(10, 1, java.util.Map.of()));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("step 5/10: loss 2.0000 ("), lines.get(0));
        assertTrue(lines.get(1).startsWith("step 10/10: loss 2.0000, validation loss 1.5000 ("), lines.get(1));
        assertEquals("1:15", ProgressDisplay.format(75.4));
        assertEquals("1:00:01", ProgressDisplay.format(3601));
    }

    @Test
    void metricsCsvSharesAValidationsRowWithItsStep() throws Exception {
        RunHistory h = new RunHistory();
        h.onStep(1, 3.0);
        h.onStep(2, 2.5);
        h.onValidation(2, 1, 2.75);
        h.onStep(3, 2.25);
        h.onValidation(3, 1, 2.5);
        Path csv = tmp.resolve("m.csv");
        h.writeCsv(csv);
        assertEquals(List.of("step,train_loss,val_loss", "1,3.000000,", "2,2.500000,2.750000", "3,2.250000,2.500000"),
                Files.readAllLines(csv));
    }

    @Test
    void metricsCsvAndTheProgressLinesShowTheNamedPartsOfTheLoss() throws Exception {
        RunHistory h = new RunHistory();
        h.onStep(1, 3.0, ordered("d_loss", 3.0, "d_real", 0.5));   // the loop hands the parts in order
        h.onStep(2, 2.0, ordered("d_loss", 2.0, "d_real", 0.25, "g_loss", 1.5));
        h.onValidation(2, 1, 2.75);
        Path csv = tmp.resolve("parts.csv");
        h.writeCsv(csv);
        List<String> rows = Files.readAllLines(csv);
        assertEquals("step,train_loss,val_loss,d_loss,d_real,g_loss", rows.get(0));
        assertEquals("1,3.000000,,3.000000,0.500000,", rows.get(1), "no generator step in step 1");
        assertEquals("2,2.000000,2.750000,2.000000,0.250000,1.500000", rows.get(2));
        assertEquals(List.of("d_loss", "d_real", "g_loss"), List.copyOf(h.parts().keySet()));
        Plots.lossCurve(tmp.resolve("parts.png"), "parts", "loss", h);
        assertTrue(Files.size(tmp.resolve("parts.png")) > 0);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressDisplay d = new ProgressDisplay(ProgressDisplay.Mode.LINES, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                2, 2);
        d.onStep(1, 3.0, java.util.Map.of("kl", 0.5));
        d.onStep(2, 3.0, java.util.Map.of("kl", 0.5));
        d.onEnd(new dev.nabla.api.train.TrainingReport(2, 1, java.util.Map.of()));
        String line = bytes.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        assertTrue(line.startsWith("step 2/2: loss 3.0000 kl 0.5000 ("), line);
    }

    private static java.util.Map<String, Double> ordered(Object... kv) {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return m;
    }

    @Test
    void imageSamplesAreDrawnAsAGrid() throws Exception {
        // three 2x2 images: black, white, and a left-white right-black one; scaled 28x to 56 px, 1 px white gaps
        float[] px = {0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0};
        Path png = tmp.resolve("grid.png");
        Plots.imageGrid(png, new dev.nabla.models.family.Samples.Images(px, 3, 2, 2));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(2 * 57 + 1, img.getWidth(), "two columns");
        assertEquals(2 * 57 + 1, img.getHeight(), "two rows");
        assertEquals(0, img.getRaster().getSample(1 + 10, 1 + 10, 0), "image 0 is black");
        assertEquals(255, img.getRaster().getSample(58 + 10, 1 + 10, 0), "image 1 is white");
        assertEquals(255, img.getRaster().getSample(1 + 10, 58 + 40, 0), "image 2: its left column is white");
        assertEquals(0, img.getRaster().getSample(1 + 40, 58 + 40, 0), "image 2: its right column is black");
        assertEquals(255, img.getRaster().getSample(57, 10, 0), "a white gap between images");
    }

    @Test
    void movingAverageAndBounds() {
        assertArrayEquals(new double[] {1, 1.5, 2.5, 3.5}, Plots.movingAverage(new double[] {1, 2, 3, 4}, 2), 1e-12);
        double[] b = Plots.bounds(new float[] {0, 0, 10, 20, Float.NaN, 5});
        assertArrayEquals(new double[] {-1, 11, -2, 22}, b, 1e-9);
    }

    @Test
    void theSamplesPictureShowsBothColours() throws Exception {
        Path png = tmp.resolve("s.png");
        float[] data = new float[400];
        float[] samples = new float[400];
        for (int i = 0; i < 200; i++) {
            data[2 * i] = (float) Math.cos(i * 0.1);
            data[2 * i + 1] = (float) Math.sin(i * 0.1);
            samples[2 * i] = 0.5f * data[2 * i];
            samples[2 * i + 1] = 0.5f * data[2 * i + 1];
        }
        Plots.samples(png, "test", data, samples);
        BufferedImage img = ImageIO.read(png.toFile());
        int grey = 0;
        int red = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 255;
                int g = (rgb >> 8) & 255;
                int bl = rgb & 255;
                if (r > 180 && g < 130 && bl < 110) {
                    red++;
                } else if (Math.abs(r - g) < 8 && Math.abs(g - bl) < 8 && r > 150 && r < 235) {
                    grey++;
                }
            }
        }
        assertTrue(red > 200, "sample markers drawn: " + red);
        assertTrue(grey > 200, "data markers drawn: " + grey);
    }
}
