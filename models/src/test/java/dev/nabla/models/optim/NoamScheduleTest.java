package dev.nabla.models.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Transformer's warm-up schedule against its closed form {@code d^-0.5·min(n^-0.5, n·w^-1.5)}. */
class NoamScheduleTest {
    private static double closedForm(int d, long w, long step) {
        double n = step + 1;
        return Math.pow(d, -0.5) * Math.min(Math.pow(n, -0.5), n * Math.pow(w, -1.5));
    }

    @Test
    void noamIsVaswanisFormulaAtEveryStep() {
        for (int d : new int[] {1, 64, 128, 512}) {
            for (long w : new long[] {1, 7, 400, 4000}) {
                LrSchedule s = LrSchedule.noam(d, w);
                for (long step : new long[] {0, 1, 2, w - 2, w - 1, w, w + 1, 3 * w, 100_000}) {
                    if (step >= 0) {
                        double want = closedForm(d, w, step);
                        assertEquals(want, s.lr(step), 1e-15 * want, "d=" + d + " w=" + w + " step=" + step);
                    }
                }
            }
        }
    }

    @Test
    void itRisesLinearlyPeaksAtTheWarmupAndThenFallsAsOneOverRootN() {
        LrSchedule s = LrSchedule.noam(512, 4000);
        assertEquals(Math.pow(512.0 * 4000, -0.5), s.lr(3999), 1e-18);          // the peak, at n = w
        assertEquals(2 * s.lr(0), s.lr(1), 1e-18);                             // linear: n = 2 is twice n = 1
        assertEquals(s.lr(3999) / 2, s.lr(4 * 4000 - 1), 1e-18);               // 1/√n: four times later, half
        for (long step = 1; step < 8000; step++) {
            assertTrue(step < 4000 ? s.lr(step) > s.lr(step - 1) : s.lr(step) <= s.lr(step - 1), "step " + step);
        }
    }

    @Test
    void inverseSqrtPeaksAtItsRate() {
        LrSchedule s = LrSchedule.inverseSqrt(2e-3, 100);
        assertEquals(2e-3 / 100, s.lr(0), 1e-18);
        assertEquals(2e-3, s.lr(99), 1e-18);
        assertEquals(1e-3, s.lr(399), 1e-18);
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LrSchedule.noam(0, 10)).getMessage().contains("d_model"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LrSchedule.noam(8, 0)).getMessage().contains("warmupSteps"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LrSchedule.inverseSqrt(-1, 10)).getMessage().contains("-1"));
    }
}
