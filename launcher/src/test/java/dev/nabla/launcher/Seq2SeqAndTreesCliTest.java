package dev.nabla.launcher;

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
 * The translators ({@code seq2seq-gru}, {@code seq2seq-lstm} on {@code dates}) and the expression models
 * ({@code tree-rnn}, {@code tree-lstm}, {@code seq-lstm} on {@code expressions}) from the command line, in
 * tiny configurations on the native backend: train, eval agreeing with train's test figure, sample
 * translating {@code --input} with {@code --beam}, and bad input — an empty input, a character outside the
 * vocabulary, a beam width out of range, a tree that does not parse — as one line with exit status 2.
 */
class Seq2SeqAndTreesCliTest {
    @TempDir
    Path tmp;

    private static Cli train(String model, String dataset, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", model, "--dataset", dataset, "--backend", "native",
                "--progress", "none", "--batch-size", "32", "--lr", "0.01", "--samples", "0", "--out", out.toString()));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.out() + r.err());
        return r;
    }

    private static double headline(Cli train, String name) {
        Matcher m = Pattern.compile("test " + Pattern.quote(name) + " ([0-9.]+) %").matcher(train.out());
        assertTrue(m.find(), train.out());
        return Double.parseDouble(m.group(1));
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
    void aTranslatorTrainsEvaluatesTranslatesAndRefusesBadInput() throws Exception {
        Path run = tmp.resolve("gru");
        Cli t = train("seq2seq-gru", "dates", run, "--steps", "30", "--set", "examples=500", "--set", "hidden=16",
                "--set", "embed=8", "--set", "beam=2", "--set", "maxLength=12");
        assertTrue(Files.size(run.resolve("checkpoint.safetensors")) > 0);
        double greedy = headline(t, "exact-match accuracy (greedy)");
        Cli eval = Cli.run("eval", run.toString(), "--backend", "native");
        assertEquals(0, eval.status(), eval.err());
        assertEquals(greedy, eval.value("exact_match_greedy"), 1e-9, "eval reloads the model train evaluated");
        double beam = eval.value("exact_match_beam");
        assertTrue(beam >= 0 && beam <= 100, eval.out());
        assertTrue(eval.out().contains("with beam 2 (2000 pairs)"), eval.out());

        String r = run.toString();
        Cli one = Cli.run("sample", r, "--backend", "native", "--input", "3/3/98");
        assertEquals(0, one.status(), one.err());
        assertEquals(1, one.out().strip().lines().count(), one.out());
        assertTrue(one.out().strip().matches("[0-9-]{0,12}"), "digits and dashes only: " + one.out());
        Cli beamed = Cli.run("sample", r, "--backend", "native", "--input", "3/3/98", "--beam", "3");
        assertEquals(0, beamed.status(), beamed.err());
        Cli drawn = Cli.run("sample", r, "--backend", "native", "-n", "4", "--seed", "3");
        assertEquals(0, drawn.status(), drawn.err());
        assertEquals(4, drawn.out().strip().lines().filter(l -> l.contains(" -> ")).count(), drawn.out());

        assertUsage(Cli.run("sample", r, "--backend", "native", "--input", ""), "--input must not be empty");
        assertUsage(Cli.run("sample", r, "--backend", "native", "--input", "3/3/9§"), "'§'", "U+00A7", "position 5");
        assertUsage(Cli.run("sample", r, "--backend", "native", "--input", "3/3/98", "--beam", "0"),
                "--beam must be from 1 to 64, got 0");
        assertUsage(Cli.run("sample", r, "--backend", "native", "--input", "3/3/98", "--beam", "65"), "--beam", "65");
        assertUsage(Cli.run("sample", r, "--backend", "native", "--prompt", "x"), "does not take --prompt");
        assertUsage(Cli.run("train", "seq2seq-gru", "--dataset", "dates", "--backend", "native", "--set", "beam=0",
                "--out", tmp.resolve("bad").toString()), "beam", "0");
    }

    @Test
    void anLstmTranslatorTrainsToo() {
        Path run = tmp.resolve("lstm");
        Cli t = train("seq2seq-lstm", "dates", run, "--steps", "5", "--set", "examples=100", "--set", "hidden=8",
                "--set", "embed=4", "--set", "beam=1", "--set", "maxLength=11");
        Cli eval = Cli.run("eval", run.toString(), "--backend", "native");
        assertEquals(0, eval.status(), eval.err());
        assertEquals(headline(t, "exact-match accuracy (greedy)"), eval.value("exact_match_greedy"), 1e-9);
        assertEquals(eval.value("exact_match_greedy"), eval.value("exact_match_beam"), 0.0, "beam 1 is greedy");
    }

    @Test
    void expressionModelsTrainEvaluateOnDeeperTreesAndRefuseATreeThatDoesNotParse() {
        for (String model : List.of("tree-rnn", "tree-lstm", "seq-lstm")) {
            Path run = tmp.resolve(model);
            Cli t = train(model, "expressions", run, "--steps", "20", "--set", "examples=300", "--set", "hidden=16",
                    "--set", "embed=8", "--set", "depth=2", "--set", "testDepth=3");
            double accuracy = headline(t, "accuracy");
            Cli eval = Cli.run("eval", run.toString(), "--backend", "native");
            assertEquals(0, eval.status(), eval.err());
            assertEquals(accuracy, eval.value("accuracy"), 1e-9, model);
            assertTrue(eval.out().contains("depth up to 3"), "the test trees are the deeper ones: " + eval.out());
            Cli s = Cli.run("sample", run.toString(), "--backend", "native", "--input", "(+ 3 (* 4 5))");
            assertEquals(0, s.status(), s.err());
            assertTrue(s.out().strip().matches("\\(\\+ 3 \\(\\* 4 5\\)\\) = 3 \\(predicted [0-9]\\)"), s.out());
            if (model.equals("tree-lstm")) {
                assertUsage(Cli.run("sample", run.toString(), "--backend", "native", "--input", "(+ 3"),
                        "\"(+ 3\" does not parse", "position 4");
                assertUsage(Cli.run("sample", run.toString(), "--backend", "native", "--input", "(+ 3 x)"),
                        "found 'x'", "position 5");
                assertUsage(Cli.run("sample", run.toString(), "--backend", "native", "--input", ""),
                        "--input must not be empty");
            }
        }
        assertUsage(Cli.run("train", "tree-lstm", "--dataset", "expressions", "--backend", "native", "--set",
                "depth=5", "--set", "testDepth=4", "--out", tmp.resolve("bad").toString()), "testDepth", "4");
    }
}
