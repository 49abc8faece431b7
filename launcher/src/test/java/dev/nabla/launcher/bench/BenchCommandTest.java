package dev.nabla.launcher.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.Backends;

import dev.nabla.launcher.Main;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code nabla bench} run in this JVM: the table's rows and the usage errors. No timing is asserted. */
class BenchCommandTest {
    /** Output, error and exit status of one in-process run. */
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = Main.run(o, e, Map.of(), args);
        }
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void quickRunOnTheReferencePrintsEveryWorkloadWithAFinitePositiveFigureAndRatio() {
        Run r = run("bench", "--quick", "--backend", "reference");
        assertEquals(0, r.status(), () -> r.out() + r.err());
        assertTrue(r.out().contains("ratio = time per call ÷ the fastest backend's"), r.out());
        String[] lines = r.out().split("\\R");
        String header = null;
        for (String line : lines) {
            if (line.startsWith("workload ")) {
                header = line;
            }
        }
        assertEquals(java.util.List.of("workload", "unit", "reference", "ratio"),
                java.util.List.of(header.trim().split("\\s+")), r.out());
        for (Workload w : Workload.values()) {
            String label = w.label(BenchSettings.quick());
            String row = null;
            for (String line : lines) {
                if (line.startsWith(label + " ")) {
                    row = line;
                }
            }
            assertTrue(row != null, "no row for " + label + " in\n" + r.out());
            String[] cells = row.substring(label.length()).trim().split("\\s+");
            assertEquals(3, cells.length, row);
            assertEquals(w.unit().symbol(), cells[0], row);
            double figure = Double.parseDouble(cells[1]);
            double ratio = Double.parseDouble(cells[2]);
            assertTrue(Double.isFinite(figure) && figure > 0, row);
            assertEquals(1.0, ratio, 0.0, "the only backend is the fastest: " + row);
        }
    }

    /**
     * The native backend counts the bytes its storages hold ({@code NativeBackend.liveBytes()}, read by
     * reflection: the launcher never names a provider's classes); a bench run must give back all it took.
     */
    @Test
    void aQuickRunFreesEveryTensorItAllocated() throws ReflectiveOperationException {
        assumeTrue(Backends.providers().stream().anyMatch(p -> p.name().equals("native") && p.availability().available()),
                "the native backend is not available here");
        Backend nat = Backends.get("native");
        Method liveBytes = nat.getClass().getMethod("liveBytes");
        long before = (long) liveBytes.invoke(nat);
        Run r = run("bench", "--quick", "--backend", "native");
        assertEquals(0, r.status(), () -> r.out() + r.err());
        assertEquals(before, (long) liveBytes.invoke(nat), "bytes still held after the bench");
    }

    @Test
    void anUnknownBackendExitsWithStatus2NamingTheValidOnes() {
        Run r = run("bench", "--quick", "--backend", "x");
        assertEquals(2, r.status(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("nabla bench: unknown backend 'x'; valid: "), err);
        assertTrue(err.contains("reference"), err);
        assertEquals("", r.out());
    }

    @Test
    void aBaselineThatIsNotMeasuredExitsWithStatus2() {
        Run r = run("bench", "--quick", "--backend", "reference", "--baseline", "x");
        assertEquals(2, r.status(), r.err());
        assertEquals("nabla bench: --baseline 'x' is not among the backends measured; valid: reference", r.err().strip());
    }

    @Test
    void aNonPositiveSizeOrRoundCountExitsWithStatus2() {
        Run size = run("bench", "--quick", "--backend", "reference", "--size", "0");
        assertEquals(2, size.status(), size.err());
        assertEquals("nabla bench: --size must be a positive integer, got 0", size.err().strip());
        Run rounds = run("bench", "--quick", "--backend", "reference", "--rounds", "-1");
        assertEquals(2, rounds.status(), rounds.err());
        assertEquals("nabla bench: --rounds must be a positive integer, got -1", rounds.err().strip());
    }
}
