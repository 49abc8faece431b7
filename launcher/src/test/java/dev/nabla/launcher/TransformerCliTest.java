package dev.nabla.launcher;

import dev.nabla.models.data.DataCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Transformer family from the command line, in tiny configurations on the native backend:
 * {@code transformer} on {@code dates} (train with the noam schedule, eval agreeing with train, sample
 * {@code --input} with {@code --beam}) and {@code transformer-lm} on a small {@code tinyshakespeare.txt}
 * (train, eval, sample with {@code --prompt}); bad input — a prompt longer than the context, heads not dividing
 * the width, an input longer than the positions — as one line with exit status 2.
 */
class TransformerCliTest {
    private static String before;

    @BeforeAll
    static void writeText(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tinyshakespeare.txt"), "ROMEO:\nBut soft, what light through yonder window breaks?\n"
                .repeat(60));
        before = System.getProperty(DataCatalog.DATA_DIR_PROPERTY);
        System.setProperty(DataCatalog.DATA_DIR_PROPERTY, dir.toString());
    }

    @AfterAll
    static void restore() {
        if (before == null) {
            System.clearProperty(DataCatalog.DATA_DIR_PROPERTY);
        } else {
            System.setProperty(DataCatalog.DATA_DIR_PROPERTY, before);
        }
    }

    @TempDir
    Path tmp;

    private static Cli train(String model, String dataset, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", model, "--dataset", dataset, "--backend", "native",
                "--progress", "none", "--batch-size", "16", "--samples", "0", "--out", out.toString()));
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
    void theTranslatorTrainsEvaluatesTranslatesAndRefusesBadInput() {
        Path run = tmp.resolve("dates");
        Cli t = train("transformer", "dates", run, "--steps", "8", "--set", "examples=200", "--set", "dModel=16",
                "--set", "heads=2", "--set", "feedforward=16", "--set", "layers=1", "--set", "beam=1",
                "--set", "maxLength=11", "--set", "maxPositions=40", "--set", "warmup=4");
        assertTrue(t.out().contains("Vaswani's schedule") && t.out().contains("peak 0.125 at step 4"), t.out());
        Matcher m = Pattern.compile("test exact-match accuracy \\(greedy\\) ([0-9.]+) %").matcher(t.out());
        assertTrue(m.find(), t.out());
        Cli eval = Cli.run("eval", run.toString(), "--backend", "native");
        assertEquals(0, eval.status(), eval.err());
        assertEquals(Double.parseDouble(m.group(1)), eval.value("exact_match_greedy"), 1e-2);   // train prints 2 decimals
        assertEquals(eval.value("exact_match_greedy"), eval.value("exact_match_beam"), 0.0, "beam 1 is greedy");
        assertTrue(eval.out().contains("(2000 pairs)"), eval.out());
        Cli one = Cli.run("sample", run.toString(), "--backend", "native", "--input", "3/3/98", "--beam", "3");
        assertEquals(0, one.status(), one.err());
        assertTrue(one.out().strip().matches("[0-9-]{0,11}"), "digits and dashes only: " + one.out());
        assertUsage(Cli.run("sample", run.toString(), "--backend", "native", "--input", "Wednesday, September 23rd 1998 "
                + "and then some more words"), "55 characters", "40 source positions");
        assertUsage(Cli.run("train", "transformer", "--dataset", "dates", "--backend", "native", "--set", "dModel=10",
                "--set", "heads=4", "--out", tmp.resolve("bad").toString()), "heads=4", "dModel=10");
        assertUsage(Cli.run("train", "transformer", "--dataset", "dates", "--backend", "native", "--set", "norm=mid",
                "--out", tmp.resolve("bad2").toString()), "norm", "mid");
    }

    @Test
    void theLanguageModelTrainsEvaluatesSamplesAndRefusesALongPrompt() {
        Path run = tmp.resolve("lm");
        Cli t = train("transformer-lm", "tinyshakespeare", run, "--steps", "6", "--lr", "0.01", "--set", "dModel=16",
                "--set", "heads=2", "--set", "feedforward=16", "--set", "layers=1", "--set", "context=16");
        Matcher m = Pattern.compile("test bits per character ([0-9.]+) bits/char").matcher(t.out());
        assertTrue(m.find(), t.out());
        Cli eval = Cli.run("eval", run.toString(), "--backend", "native");
        assertEquals(0, eval.status(), eval.err());
        assertEquals(Double.parseDouble(m.group(1)), eval.value("bits_per_char"), 1e-4);   // train prints 4 decimals
        Cli s = Cli.run("sample", run.toString(), "--backend", "native", "--prompt", "ROMEO:", "--length", "40",
                "--seed", "2");
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().startsWith("ROMEO:"), s.out());
        assertUsage(Cli.run("sample", run.toString(), "--backend", "native", "--prompt", "But soft, what light through"),
                "28 characters", "context of 16");
    }
}
