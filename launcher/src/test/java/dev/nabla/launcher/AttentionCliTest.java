package dev.nabla.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attention family from the command line ({@code seq2seq-bahdanau}, {@code seq2seq-luong} on {@code dates}),
 * tiny configurations on the native backend: train, eval with accuracy by source length, sample with
 * {@code --attention FILE} writing the alignment heatmap (one row per output token and the {@code <eos>}, one
 * column per source character), and refusals in one line with exit status 2 — {@code --attention} to a model
 * without attention, an unknown score or window.
 */
class AttentionCliTest {
    @TempDir
    Path tmp;

    private static void assertUsage(Cli r, String... mustContain) {
        assertEquals(2, r.status(), "status; stdout: " + r.out() + " stderr: " + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().filter(l -> !l.startsWith("WARNING")).count(), "one line: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        for (String s : mustContain) {
            assertTrue(err.contains(s), "'" + s + "' in: " + err);
        }
    }

    private static Cli train(String model, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", model, "--dataset", "dates", "--backend", "native",
                "--progress", "none", "--batch-size", "32", "--lr", "0.01", "--samples", "0", "--out", out.toString(),
                "--steps", "5", "--set", "examples=100", "--set", "hidden=8", "--set", "embed=4", "--set", "size=4",
                "--set", "beam=2", "--set", "maxLength=11"));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.out() + r.err());
        return r;
    }

    @Test
    void aBahdanauTranslatorTrainsEvaluatesByLengthAndDrawsItsAlignment() throws Exception {
        Path run = tmp.resolve("bahdanau");
        train("seq2seq-bahdanau", run);
        Cli eval = Cli.run("eval", run.toString(), "--backend", "native");
        assertEquals(0, eval.status(), eval.err());
        double greedy = eval.value("exact_match_greedy");
        assertTrue(greedy >= 0 && greedy <= 100, eval.out());
        assertTrue(eval.out().contains("exact_match_greedy_len_10_13"), "accuracy by source length: " + eval.out());

        Path png = tmp.resolve("attn.png");
        Cli s = Cli.run("sample", run.toString(), "--backend", "native", "--input", "3/3/98", "--attention", png.toString());
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().contains("wrote " + png), s.out());
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() > 6 * 36 && image.getHeight() > 36, image.getWidth() + "x" + image.getHeight());

        assertUsage(Cli.run("sample", run.toString(), "--backend", "native", "--input", "3/3/98", "--attention",
                tmp.toString()), "--attention", "is a folder");
    }

    @Test
    void luongWithLocalPAndHardAttentionTrainsAndBadKeysAreRefused() {
        Path run = tmp.resolve("luong");
        train("seq2seq-luong", run, "--set", "score=concat", "--set", "window=local-p", "--set", "D=2",
                "--set", "attention=hard");
        Cli s = Cli.run("sample", run.toString(), "--backend", "native", "--input", "1 Jan 2000", "--attention",
                tmp.resolve("a.png").toString());
        assertEquals(0, s.status(), s.err());
        assertTrue(Files.exists(tmp.resolve("a.png")));
        assertUsage(Cli.run("train", "seq2seq-luong", "--dataset", "dates", "--backend", "native", "--set", "score=cosine",
                "--out", tmp.resolve("bad").toString()), "score", "cosine");
        assertUsage(Cli.run("train", "seq2seq-luong", "--dataset", "dates", "--backend", "native", "--set", "window=local",
                "--out", tmp.resolve("bad2").toString()), "window", "local");
        Path gru = tmp.resolve("gru");
        Cli t = Cli.run("train", "seq2seq-gru", "--dataset", "dates", "--backend", "native", "--progress", "none",
                "--steps", "1", "--set", "examples=50", "--set", "hidden=4", "--set", "embed=4", "--samples", "0",
                "--out", gru.toString());
        assertEquals(0, t.status(), t.err());
        assertUsage(Cli.run("sample", gru.toString(), "--backend", "native", "--input", "3/3/98", "--attention",
                tmp.resolve("g.png").toString()), "does not take --attention");
    }
}
