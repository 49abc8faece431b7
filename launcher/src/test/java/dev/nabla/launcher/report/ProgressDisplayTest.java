package dev.nabla.launcher.report;

import dev.nabla.api.train.TrainingReport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bar fits the terminal with a useful width and whole values; plain lines come at a readable rate. */
class ProgressDisplayTest {
    private static final TrainingReport END = new TrainingReport(300, 300, Map.of());

    private static int barWidth(String line) {
        int a = line.indexOf('│');
        int b = line.lastIndexOf('│');
        return a >= 0 && b > a ? b - a - 1 : 0;
    }

    @Test
    void theBarFitsEightyColumnsWithAUsefulBarAndUncutValues() {
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("recon", 1.234);
        parts.put("kl", 0.5);
        for (Map<String, Double> p : List.of(Map.<String, Double>of(), parts)) {
            String line = ProgressDisplay.barLine(80, 120, 120, 30.0, 4, 2.879, 2.901, p);
            assertTrue(line.length() < 80, line.length() + ": " + line);
            assertTrue(barWidth(line) >= ProgressDisplay.MIN_BAR, line);
            assertTrue(line.endsWith("val 2.901") || line.contains("val 2.901 "), line);
            assertTrue(line.startsWith("train 100% │██████████"), line);
            assertTrue(line.contains("120/120") && line.contains("loss 2.879"), line);
        }
        String big = ProgressDisplay.barLine(80, 5_480, 60_000, 1234.5, 600, -1234.567, -1200.25, parts);
        assertTrue(big.length() < 80 && barWidth(big) >= ProgressDisplay.MIN_BAR, big);
        assertTrue(big.contains("5480/60000") && big.contains("loss -1234.567") && big.contains("val -1200.250"), big);
    }

    @Test
    void aWideTerminalShowsEverythingWithALongerBar() {
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("recon", 1.234);
        parts.put("kl", 0.5);
        String line = ProgressDisplay.barLine(200, 60, 120, 30.0, 2, 2.879, 2.901, parts);
        assertTrue(line.length() < 200, line);
        assertEquals(ProgressDisplay.MAX_BAR, barWidth(line), line);
        assertTrue(line.contains(" 60/120 30.0/s ETA 0:02 loss 2.879 val 2.901 recon 1.234 kl 0.500"), line);
        assertTrue(line.startsWith("train  50% │" + "█".repeat(25) + " ".repeat(25) + "│"), line);
        String narrow = ProgressDisplay.barLine(80, 60, 120, 30.0, 2, 2.879, 2.901, parts);
        assertTrue(barWidth(narrow) < barWidth(line), narrow);
    }

    @Test
    void theBarDrawnOnATerminalOfEightyColumnsNeverPassesTheEdge() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressDisplay d = new ProgressDisplay(ProgressDisplay.Mode.BAR, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                120, 6, 80, System::nanoTime);
        for (int s = 1; s <= 120; s++) {
            d.onStep(s, 2.879, Map.of("kl", 0.25));
            if (s % 40 == 0) {
                d.onValidation(s, s / 40, 2.901);
            }
            if (s % 30 == 0) {
                Thread.sleep(300);   // let the drawing thread draw
            }
        }
        d.onEnd(END);
        String[] drawn = bytes.toString(StandardCharsets.UTF_8).split("[\r\n]");
        List<String> lines = Arrays.stream(drawn).filter(l -> !l.isBlank()).toList();
        assertFalse(lines.isEmpty());
        for (String l : lines) {
            assertTrue(l.length() <= 80, l.length() + ": " + l);
        }
        String last = lines.getLast();
        assertTrue(last.startsWith("train 100% │") && last.contains("val 2.901"), last);
        assertTrue(barWidth(last) >= ProgressDisplay.MIN_BAR, last);
    }

    @Test
    void pipedLinesComeAtAReadableRateWhateverTheValidationCadence() {
        for (long nanosPerStep : new long[] {0, 10_000_000L, 1_000_000_000L}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            long[] clock = {0};
            ProgressDisplay d = new ProgressDisplay(ProgressDisplay.Mode.LINES,
                    new PrintStream(bytes, true, StandardCharsets.UTF_8), 300, 15, 0, () -> clock[0]);
            for (int s = 1; s <= 300; s++) {   // 300 epochs of one step, each validated
                clock[0] += nanosPerStep;
                d.onStep(s, 2.0);
                d.onValidation(s, s, 1.5);
            }
            d.onEnd(END);
            d.onEnd(END);   // the loop and the command both end it
            List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
            double seconds = 300 * nanosPerStep / 1e9;
            long most = 2 + Math.min(20, (long) (seconds / ProgressDisplay.MIN_SECONDS));
            assertTrue(lines.size() <= most, nanosPerStep + " ns a step: " + lines.size() + " lines " + lines);
            assertTrue(lines.stream().noneMatch(l -> l.contains("step 1:") || l.startsWith("step 2:")), lines.toString());
            assertTrue(lines.getLast().startsWith("step 300/300: loss 2.0000, validation loss 1.5000"), lines.toString());
            assertEquals(1, lines.stream().filter(l -> l.startsWith("step 300/300")).count(), lines.toString());
        }
    }
}
