package dev.nabla.launcher;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.data.DataCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The character-level language models from the command line, on the reference backend, on a small text
 * written as {@code tinyshakespeare.txt} into a data folder of the test's own: train (with
 * {@code --clip-norm}, whose norm lands in {@code metrics.csv}), eval agreeing with train's bits per
 * character, sampling that continues the prompt and repeats with the seed, a resumed run ending
 * bit-identical to an uninterrupted one (the carried state included), and bad input as one line with
 * exit status 2.
 */
class LanguageModelCliTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));
    private static final String[] LINES = {
        "ROMEO:\nBut soft, what light through yonder window breaks?\n",
        "JULIET:\nO Romeo, Romeo, wherefore art thou Romeo?\n",
        "MERCUTIO:\nA plague o' both your houses!\n",
        "NURSE:\nGood morrow to you, gentlemen.\n",
        "\n"};
    private static Path data;
    private static long characters;
    private static String before;

    @BeforeAll
    static void writeText(@TempDir Path dir) throws Exception {
        StringBuilder b = new StringBuilder();
        Random r = new Random(1);
        while (b.length() < 6000) {
            b.append(LINES[r.nextInt(LINES.length)]);
        }
        data = dir;
        characters = b.codePoints().distinct().count();
        Files.writeString(dir.resolve("tinyshakespeare.txt"), b.toString());
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

    private static Cli train(String model, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", model, "--dataset", "tinyshakespeare", "--backend",
                "reference", "--progress", "none", "--batch-size", "4", "--lr", "0.01", "--samples", "0",
                "--set", "embedding=8", "--set", "hidden=16", "--set", "bptt=8", "--out", out.toString()));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.out() + r.err());
        return r;
    }

    private static double testBits(Cli train) {
        Matcher m = Pattern.compile("test bits per character ([0-9.]+) bits/char").matcher(train.out());
        assertTrue(m.find(), train.out());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainsWithClippingEvaluatesAndSamples() throws Exception {
        Path run = tmp.resolve("run");
        Cli r = train("char-lstm", run, "--steps", "30", "--validate-every", "10", "--clip-norm", "0.5");
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("step,train_loss,val_loss,grad_norm", csv.getFirst(), "the norm before clipping is a column");
        assertEquals(31, csv.size());
        double first = Double.parseDouble(csv.get(1).split(",")[1]);
        double last = Double.parseDouble(csv.getLast().split(",")[1]);
        assertEquals(Math.log(characters), first, 0.3, "an untrained model is near uniform over the vocabulary");
        assertTrue(last < first - 0.5, "training lowers the loss: " + first + " -> " + last);
        for (String row : csv.subList(1, csv.size())) {
            assertTrue(Double.parseDouble(row.split(",")[3]) > 0, row);
        }
        Cli eval = Cli.run("eval", run.toString(), "--backend", "reference");
        assertEquals(0, eval.status(), eval.err());
        assertEquals(testBits(r), eval.value("bits_per_char"), 1e-4, "the reloaded checkpoint scores the test split alike");
        assertEquals(eval.value("nats_per_char") / Math.log(2), eval.value("bits_per_char"), 2e-6, "printed to 6 places");
        Cli val = Cli.run("eval", run.toString(), "--backend", "reference", "--split", "validation");
        assertEquals(0, val.status(), val.err());
        assertTrue(val.value("bits_per_char") > 0);

        Cli a = Cli.run("sample", run.toString(), "--backend", "reference", "--prompt", "ROMEO:", "--length", "60",
                "--temperature", "0.8", "--count", "1", "--seed", "3");
        assertEquals(0, a.status(), a.err());
        String text = a.out().strip().isEmpty() ? "" : a.out();
        assertTrue(text.startsWith("ROMEO:"), text);
        assertTrue(text.length() >= 66, text);
        Cli b = Cli.run("sample", run.toString(), "--backend", "reference", "--prompt", "ROMEO:", "--length", "60",
                "--temperature", "0.8", "--count", "1", "--seed", "3");
        assertEquals(a.out(), b.out(), "the same seed draws the same text");
        Cli c = Cli.run("sample", run.toString(), "--backend", "reference", "--prompt", "ROMEO:", "--length", "60",
                "--temperature", "0.8", "--count", "1", "--seed", "4");
        assertNotEquals(a.out(), c.out(), "another seed draws another text");
    }

    @Test
    void gruAndRnnTrainToo() {
        for (String m : List.of("char-gru", "char-rnn")) {
            Cli r = train(m, tmp.resolve(m), "--steps", "5");
            assertTrue(testBits(r) > 0, r.out());
        }
    }

    @Test
    void aResumedRunEndsBitIdenticalCarriedStateIncluded() {
        Path whole = tmp.resolve("whole");
        Path parts = tmp.resolve("parts");
        train("char-lstm", whole, "--steps", "24");
        train("char-lstm", parts, "--steps", "11");
        Cli again = train("char-lstm", parts, "--steps", "24", "--resume");
        assertTrue(again.out().contains("resuming from"), again.out());
        try (Checkpoint a = Checkpoint.load(whole.resolve("checkpoint.safetensors"), F);
             Checkpoint b = Checkpoint.load(parts.resolve("checkpoint.safetensors"), F)) {
            assertEquals(24, b.step());
            assertFalse(a.runState().isEmpty(), "the carried state is in the checkpoint");
            assertEquals(a.runState().keySet(), b.runState().keySet());
            for (Map.Entry<String, Tensor> e : a.runState().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), b.runState().get(e.getKey()).toFloatArray(), e.getKey());
            }
            for (Map.Entry<String, Tensor> e : a.model().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), b.model().get(e.getKey()).toFloatArray(), e.getKey());
            }
            for (Map.Entry<String, Tensor> e : a.optimizerState().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), b.optimizerState().get(e.getKey()).toFloatArray(), e.getKey());
            }
        }
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
    void badInputIsOneLineAndStatusTwo() {
        Path run = tmp.resolve("run");
        train("char-rnn", run, "--steps", "2");
        String r = run.toString();
        assertUsage(Cli.run("sample", r, "--backend", "reference", "--prompt", "ROMEO~"), "'~'", "U+007E",
                "position 5", "vocabulary");
        assertUsage(Cli.run("sample", r, "--backend", "reference", "--prompt", ""), "--prompt must not be empty");
        assertUsage(Cli.run("sample", r, "--backend", "reference", "--length", "0"), "--length", "got 0");
        assertUsage(Cli.run("sample", r, "--backend", "reference", "--temperature", "0"), "--temperature", "got 0");
        assertUsage(Cli.run("sample", r, "--backend", "reference", "--temperature", "hot"), "--temperature", "'hot'");
        assertUsage(Cli.run("sample", r, "--backend", "reference", "--beam", "3"), "--beam");
        assertUsage(Cli.run("train", "char-lstm", "--dataset", "tinyshakespeare", "--backend", "reference",
                "--set", "bptt=0", "--out", tmp.resolve("b0").toString()), "bptt", "0");
        assertUsage(Cli.run("train", "char-lstm", "--dataset", "tinyshakespeare", "--backend", "reference",
                "--set", "bptt=100000", "--batch-size", "4", "--out", tmp.resolve("b1").toString()), "100000");
        assertUsage(Cli.run("train", "char-lstm", "--dataset", "tinyshakespeare", "--backend", "reference",
                "--set", "hiden=3", "--out", tmp.resolve("b2").toString()), "unknown key 'hiden'", "hidden");
        assertUsage(Cli.run("train", "char-lstm", "--dataset", "tinyshakespeare", "--backend", "reference",
                "--clip-norm", "-1", "--out", tmp.resolve("b3").toString()), "--clip-norm", "-1");
        assertUsage(Cli.run("train", "char-lstm", "--dataset", "tinyshakespeare", "--backend", "reference",
                "--trainer-set", "shuffle=true", "--out", tmp.resolve("b4").toString()), "shuffle");
    }
}
