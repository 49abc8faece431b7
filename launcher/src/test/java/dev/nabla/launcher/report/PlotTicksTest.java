package dev.nabla.launcher.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The step axis of loss.png: round ticks (1, 2 or 5 × 10^k) whose labels never run together. */
class PlotTicksTest {
    @TempDir
    Path tmp;

    private static final long[][] RANGES = {{1, 1}, {1, 5}, {1, 120}, {1, 750}, {1, 2000}, {1, 2301}, {5481, 6000},
            {1, 6000}, {1, 30_000}, {1, 1_234_567}, {1, 3_000_000_000L}};

    private static boolean round(long step) {
        while (step % 10 == 0) {
            step /= 10;
        }
        return step == 1 || step == 2 || step == 5;
    }

    @Test
    void ticksAreRoundAndFitTheAxis() {
        int pixels = Plots.WIDTH - 120;
        for (long[] r : RANGES) {
            Plots.StepTicks t = Plots.StepTicks.of(r[0], r[1], pixels);
            String what = Arrays.toString(r) + " -> " + Arrays.toString(t.values());
            assertTrue(round(t.step()), what);
            assertTrue(t.from() <= r[0] && t.to() >= r[1], what);
            assertTrue(t.values().length >= 2 && t.values().length <= Plots.MAX_TICKS + 1, what);
            int widest = Arrays.stream(t.values()).mapToObj(Plots.StepTicks::label).mapToInt(String::length).max().orElseThrow();
            assertTrue(t.values().length * (widest * Plots.StepTicks.CHAR_PIXELS + Plots.StepTicks.GAP_PIXELS) <= pixels, what);
            for (long v : t.values()) {
                assertEquals(0, v % t.step(), what);
            }
        }
        assertEquals(200, Plots.StepTicks.of(1, 2000, pixels).step());
        assertEquals("0, 200, 400, 600, 800, 1,000, 1,200, 1,400, 1,600, 1,800, 2,000", String.join(", ",
                Arrays.stream(Plots.StepTicks.of(1, 2000, pixels).values()).mapToObj(Plots.StepTicks::label).toList()));
        assertEquals(List.of(5400L, 5500L, 5600L, 5700L, 5800L, 5900L, 6000L),
                Arrays.stream(Plots.StepTicks.of(5481, 6000, pixels).values()).boxed().toList());
    }

    /** The labels XChart drew on the x axis (read from its internals after drawing). */
    private static List<String> drawnLabels(XYChart chart) throws Exception {
        BitmapEncoder.getBufferedImage(chart);
        Object axis = field(field(chart, "axisPair"), "xAxis");
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) field(field(axis, "axisTickCalculator"), "tickLabels");
        return labels.stream().filter(l -> l != null && !l.isEmpty()).toList();
    }

    private static Object field(Object o, String name) throws Exception {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // a superclass has it
            }
        }
        throw new NoSuchFieldException(name);
    }

    @Test
    void theDrawnAxisShowsOnlyTheRoundTicks() throws Exception {
        for (long[] r : new long[][] {{1, 120}, {1, 2000}, {5481, 6000}, {1, 30_000}}) {
            RunHistory h = new RunHistory();
            for (long s = r[0]; s <= r[1]; s++) {
                h.onStep(s, Math.exp(-s / 500.0));
                if (s % 100 == 0) {
                    h.onValidation(s, 1, Math.exp(-s / 500.0));
                }
            }
            Plots.StepTicks t = Plots.StepTicks.of(r[0], r[1], Plots.WIDTH - 120);
            List<String> expected = Arrays.stream(t.values()).mapToObj(Plots.StepTicks::label).toList();
            List<String> drawn = drawnLabels(Plots.lossChart("t", "loss", h)).stream()   // XChart also labels a tick
                    .filter(l -> {                                                          // past each end, not drawn
                        long v = Long.parseLong(l.replace(",", ""));
                        return v >= t.from() && v <= t.to();
                    }).toList();
            assertTrue(drawn.size() >= 3, Arrays.toString(r) + ": " + drawn);
            assertTrue(expected.containsAll(drawn), Arrays.toString(r) + ": drew " + drawn + ", ticks " + expected);
            if (r[1] == 2000) {
                Plots.lossCurve(tmp.resolve("loss-2000.png"), "2000 steps", "loss", h);
                assertTrue(Files.size(tmp.resolve("loss-2000.png")) > 0);
                Files.copy(tmp.resolve("loss-2000.png"), Path.of("target", "loss-2000.png"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);   // to look at
            }
        }
    }
}
