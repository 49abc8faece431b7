package dev.nabla.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory family from the command line ({@code ntm} and {@code copy-lstm} on {@code copy}), tiny: listed,
 * trained, evaluated at lengths 20 and 40 (agreeing with train's test figure), the weightings drawn with
 * {@code sample --png}, and bad keys and options as one line with exit status 2.
 */
class MemoryCliTest {
    @TempDir
    Path tmp;

    private static Cli train(String model, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", model, "--dataset", "copy", "--backend", "native",
                "--progress", "none", "--batch-size", "8", "--steps", "3", "--samples", "0", "--clip-norm", "10",
                "--set", "tests=3", "--set", "length=3", "--out", out.toString()));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.out() + r.err());
        return r;
    }

    private static void assertUsage(Cli r, String... mustContain) {
        assertEquals(2, r.status(), "status; stdout: " + r.out() + " stderr: " + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().filter(l -> !l.startsWith("WARNING")).count(), "one line: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        for (String s : mustContain) {
            assertTrue(err.contains(s), "'" + s + "' in: " + err);
        }
    }

    @Test
    void theNtmTrainsEvaluatesAndDrawsItsWeightings() throws Exception {
        Cli list = Cli.run("list");
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().contains("ntm") && list.out().contains("copy-lstm"), list.out());

        Path run = tmp.resolve("ntm");
        Cli t = train("ntm", run, "--set", "memory=8", "--set", "width=4", "--set", "hidden=8");
        assertTrue(t.out().contains("test bit errors per sequence at length 20"), t.out());
        Cli eval = Cli.run("eval", run.toString(), "--backend", "native");
        assertEquals(0, eval.status(), eval.err());
        double at20 = eval.value("bit_errors_20");
        double at40 = eval.value("bit_errors_40");
        assertTrue(at20 >= 0 && at20 <= 160 && at40 >= 0 && at40 <= 320, eval.out());
        assertEquals((at20 + at40) / 2, eval.value("bit_errors"), 1e-5, "printed with 6 digits");

        Path png = tmp.resolve("weights.png");
        Cli sample = Cli.run("sample", run.toString(), "--backend", "native", "--length", "5", "--png", png.toString());
        assertEquals(0, sample.status(), sample.err());
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertTrue(img.getWidth() >= 11 * 10, "one 10-pixel column per step of 2·5 + 1: " + img.getWidth());

        assertUsage(Cli.run("sample", run.toString(), "--backend", "native", "--length", "0"), "--length");
        assertUsage(Cli.run("sample", run.toString(), "--backend", "native", "--prompt", "x"), "--prompt");
        assertUsage(Cli.run("train", "ntm", "--dataset", "copy", "--backend", "native", "--set", "memory=0",
                "--out", tmp.resolve("bad").toString()), "memory");
        assertUsage(Cli.run("train", "ntm", "--dataset", "copy", "--backend", "native", "--set", "layers=2",
                "--out", tmp.resolve("bad2").toString()), "layers");
    }

    @Test
    void theLstmBaselineTrainsAndEvaluates() {
        Path run = tmp.resolve("lstm");
        train("copy-lstm", run, "--set", "hidden=8", "--set", "layers=1");
        Cli eval = Cli.run("eval", run.toString(), "--backend", "native");
        assertEquals(0, eval.status(), eval.err());
        assertTrue(eval.value("bit_errors_40") >= 0, eval.out());
    }
}
