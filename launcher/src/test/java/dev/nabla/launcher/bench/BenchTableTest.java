package dev.nabla.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The ratio arithmetic, the units and the printed table, on fixed numbers. */
class BenchTableTest {
    private static final double NAN = Double.NaN;

    @Test
    void ratiosAgainstTheFastestAreAtLeastOne() {
        assertArrayEquals(new double[] {2.0, 1.0, 40.0}, BenchTable.ratios(new double[] {2e-6, 1e-6, 4e-5}, -1), 1e-12);
    }

    @Test
    void ratiosAgainstABaselineMayBeBelowOne() {
        assertArrayEquals(new double[] {1.0, 0.5, 20.0}, BenchTable.ratios(new double[] {2e-6, 1e-6, 4e-5}, 0), 1e-12);
    }

    @Test
    void aFailedMeasurementHasNoRatioAndIsNeverTheFastest() {
        assertArrayEquals(new double[] {NAN, 1.0, 3.0}, BenchTable.ratios(new double[] {NAN, 0.5, 1.5}, -1), 0);
        assertArrayEquals(new double[] {NAN, 1.0, 3.0}, BenchTable.ratios(new double[] {0, 0.5, 1.5}, -1), 0);
        assertArrayEquals(new double[] {NAN, NAN}, BenchTable.ratios(new double[] {NAN, 0.5}, 0), 0);
        assertArrayEquals(new double[] {NAN, NAN}, BenchTable.ratios(new double[] {NAN, Double.POSITIVE_INFINITY}, -1), 0);
    }

    @Test
    void figuresAreShownInTheWorkloadsUnits() {
        BenchSettings s = BenchSettings.quick();                    // matmul 128: 2·128³ = 4,194,304 flop
        assertEquals(41.94304, Workload.MATMUL.figure(1e-4, s), 1e-9);
        assertEquals(0.25, Workload.ADD_GRAD.figure(2.5e-7, s), 1e-12);
        assertEquals(12.5, Workload.FLOW_STEP.figure(0.0125, s), 1e-12);
        assertTrue(Double.isNaN(Workload.ADD.figure(NAN, s)));
    }

    @Test
    void theTablePrintsFiguresAndRatiosPerBackend() {
        BenchSettings s = BenchSettings.quick();
        double[][] seconds = {
                {1e-4, 2e-3},          // matmul: 41.94 and 2.097 GFLOP/s
                {1e-6, 2.5e-7},        // add with grad: 1.000 and 0.250 µs
                {NAN, 2e-7},           // add without grad: failed on the first
                {0.004, 0.05},         // flow step: 4.00 and 50.00 ms
        };
        BenchTable t = new BenchTable(s, List.of(Workload.values()), List.of("native", "reference"), seconds, null);
        String out = print(t);
        List<String> lines = out.lines().toList();
        assertTrue(lines.getFirst().startsWith("ratio = time per call ÷ the fastest backend's"), out);
        assertEquals(List.of("workload", "unit", "native", "ratio", "reference", "ratio"),
                List.of(lines.get(2).trim().split("\\s+")), out);
        assertRow(lines, "matmul 128×128 float32", "GFLOP/s", "41.94", "1.00", "2.10", "20.0");
        assertRow(lines, "add 16 floats, recording grad", "µs/op", "1.00", "4.00", "0.250", "1.00");
        assertRow(lines, "add 16 floats, no grad", "µs/op", "failed", "-", "0.200", "1.00");
        assertRow(lines, "RealNVP step, moons batch 256", "ms/step", "4.00", "1.00", "50.00", "12.5");
    }

    @Test
    void withABaselineTheLegendAndRatiosNameIt() {
        BenchSettings s = BenchSettings.quick();
        double[][] seconds = {{1e-4, 2e-3}, {1e-6, 2.5e-7}, {3e-7, 2e-7}, {0.004, 0.05}};
        BenchTable t = new BenchTable(s, List.of(Workload.values()), List.of("native", "reference"), seconds, "reference");
        String out = print(t);
        assertTrue(out.startsWith("ratio = time per call ÷ reference's time per call"), out);
        assertRow(out.lines().toList(), "matmul 128×128 float32", "GFLOP/s", "41.94", "0.050", "2.10", "1.00");
        assertArrayEquals(new double[] {4.0, 1.0}, t.ratios(1), 1e-12);
    }

    @Test
    void aBaselineMustBeOneOfTheBackends() {
        double[][] seconds = {{1}, {1}, {1}, {1}};
        assertThrows(IllegalArgumentException.class, () -> new BenchTable(BenchSettings.quick(), List.of(Workload.values()),
                List.of("native"), seconds, "reference"));
    }

    @Test
    void numbersKeepThreeOrFourSignificantDigits() {
        assertEquals("1234", BenchTable.figure(1234.4));
        assertEquals("150.3", BenchTable.figure(150.26));
        assertEquals("12.34", BenchTable.figure(12.344));
        assertEquals("0.853", BenchTable.figure(0.8534));
        assertEquals("1.00", BenchTable.ratio(1.0));
        assertEquals("12.3", BenchTable.ratio(12.34));
        assertEquals("457", BenchTable.ratio(456.7));
        assertEquals("0.050", BenchTable.ratio(0.05));
    }

    @Test
    void medianAndCallsPerRound() {
        assertEquals(3.0, Timing.median(new double[] {5, 1, 3}));
        assertEquals(2.5, Timing.median(new double[] {4, 1, 3, 2}));
        assertEquals(200, Timing.callsPerRound(1e-3, 200_000_000L));
        assertEquals(1, Timing.callsPerRound(2.0, 200_000_000L));
        assertEquals(Timing.MAX_CALLS_PER_ROUND, Timing.callsPerRound(0, 200_000_000L));
        assertThrows(IllegalArgumentException.class, () -> Timing.median(new double[0]));
    }

    private static String print(BenchTable t) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(b, true, StandardCharsets.UTF_8)) {
            t.print(p);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static void assertRow(List<String> lines, String label, String... cells) {
        String row = lines.stream().filter(l -> l.startsWith(label + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + label + " in " + lines));
        assertEquals(List.of(cells), List.of(row.substring(label.length()).trim().split("\\s+")), row);
    }
}
