package dev.nabla.launcher;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nabla train}, {@code sample} and {@code eval} end to end in this JVM on the reference backend
 * (deterministic): the run folder's files, the loss going down, eval agreeing with train's own test
 * log-likelihood after reloading the checkpoint, samples that look like the data, and a resumed run
 * ending bit-identical to an uninterrupted one.
 */
class TrainSampleEvalTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    @TempDir
    Path tmp;

    private static Cli train(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "realnvp", "--dataset", "moons", "--backend",
                "reference", "--progress", "none", "--set", "blocks=2", "--set", "hidden=16", "--out", out.toString()));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        return r;
    }

    private static double testLogLikelihood(Cli train) {
        Matcher m = Pattern.compile("test log-likelihood (-?[0-9.]+) nats").matcher(train.out());
        assertTrue(m.find(), train.out());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aRunLeavesItsFilesAndEvalAgreesWithTrain() throws Exception {
        Path run = tmp.resolve("run");
        Cli r = train(run, "--steps", "120", "--validate-every", "40");
        for (String f : List.of("checkpoint.safetensors", "checkpoint.json", "metrics.csv", "loss.png", "samples.png")) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        BufferedImage loss = ImageIO.read(run.resolve("loss.png").toFile());
        BufferedImage samples = ImageIO.read(run.resolve("samples.png").toFile());
        assertEquals(900, loss.getWidth());
        assertEquals(600, samples.getHeight());

        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals("step,train_loss,val_loss", csv.getFirst());
        assertEquals(121, csv.size(), "one row per step");
        assertEquals(3, csv.stream().skip(1).filter(l -> !l.endsWith(",")).count(), "validations at 40, 80, 120");
        double first = Double.parseDouble(csv.get(1).split(",")[1]);
        double lastVal = Double.parseDouble(csv.getLast().split(",")[2]);
        assertTrue(lastVal < first - 0.1, "training lowers the loss: " + first + " -> " + lastVal);

        Cli eval = Cli.run("eval", run.toString(), "--backend", "reference");
        assertEquals(0, eval.status(), eval.err());
        assertEquals(testLogLikelihood(r), eval.value("log_likelihood"), 1e-4,
                "the reloaded checkpoint scores the test split as the trained model did");
        assertTrue(eval.out().contains("step 120"), eval.out());
    }

    @Test
    void samplesLookLikeTheDataAndCarryTheirLogProbabilities() {
        Path run = tmp.resolve("run");
        train(run, "--steps", "400", "--samples", "0");
        assertTrue(!Files.exists(run.resolve("samples.png")), "--samples 0 draws no picture");
        Cli s = Cli.run("sample", run.toString(), "-n", "3000", "--out", "-", "--backend", "reference", "--seed", "5");
        assertEquals(0, s.status(), s.err());
        List<String> lines = s.out().lines().toList();
        assertEquals("x1,x2,log_prob", lines.getFirst());
        assertEquals(3001, lines.size());
        double[] mean = new double[3];
        for (String l : lines.subList(1, lines.size())) {
            String[] v = l.split(",");
            for (int j = 0; j < 3; j++) {
                double x = Double.parseDouble(v[j]);
                assertTrue(Double.isFinite(x), l);
                mean[j] += x / 3000;
            }
        }
        // the data's mean, computed independently from the generator the data set uses
        float[] data = dev.nabla.models.data.ToyDatasets.splits("moons", 1).test().all(F).get("x").toFloatArray();
        double mx = 0;
        double my = 0;
        for (int i = 0; i < data.length; i += 2) {
            mx += data[i] / (data.length / 2.0);
            my += data[i + 1] / (data.length / 2.0);
        }
        assertEquals(mx, mean[0], 0.25, "x1 mean of samples vs data");
        assertEquals(my, mean[1], 0.25, "x2 mean of samples vs data");
        Cli eval = Cli.run("eval", run.toString(), "--backend", "reference");
        // the samples' own mean log-probability estimates minus the model's entropy; the test data's
        // mean log-likelihood is at most that (cross-entropy >= entropy), up to sampling noise
        assertTrue(eval.value("log_likelihood") < mean[2] + 0.1,
                String.format(Locale.ROOT, "test ll %.3f vs samples' ll %.3f", eval.value("log_likelihood"), mean[2]));

        Path csv = tmp.resolve("s.csv");
        Path png = tmp.resolve("s.png");
        Cli toFile = Cli.run("sample", run.toString(), "-n", "100", "--out", csv.toString(), "--png", png.toString(),
                "--backend", "reference");
        assertEquals(0, toFile.status(), toFile.err());
        assertTrue(Files.exists(png));
    }

    @Test
    void aResumedRunEndsBitIdenticalToAnUninterruptedOne() {
        Path whole = tmp.resolve("whole");
        Path parts = tmp.resolve("parts");
        train(whole, "--steps", "90", "--batch-size", "128", "--epochs", "2");   // 79 steps an epoch: crosses an epoch
        train(parts, "--steps", "50", "--batch-size", "128", "--epochs", "2");
        Cli again = train(parts, "--steps", "90", "--batch-size", "128", "--epochs", "2", "--resume");
        assertTrue(again.out().contains("resuming from"), again.out());
        try (Checkpoint a = Checkpoint.load(whole.resolve("checkpoint.safetensors"), F);
             Checkpoint b = Checkpoint.load(parts.resolve("checkpoint.safetensors"), F)) {
            assertEquals(90, a.step());
            assertEquals(90, b.step());
            assertEquals(a.model().keySet(), b.model().keySet());
            for (Map.Entry<String, Tensor> e : a.model().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), b.model().get(e.getKey()).toFloatArray(), e.getKey());
            }
            for (Map.Entry<String, Tensor> e : a.optimizerState().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), b.optimizerState().get(e.getKey()).toFloatArray(), e.getKey());
            }
        }
    }

    @Test
    void aSecondRunNeverOverwritesTheFirst() {
        Path run = tmp.resolve("run");
        train(run, "--steps", "5");
        Cli again = Cli.run("train", "realnvp", "--dataset", "moons", "--backend", "reference", "--steps", "5",
                "--out", run.toString());
        assertEquals(2, again.status());
        assertTrue(again.err().contains("--resume") && again.err().contains("--overwrite"), again.err());
        train(run, "--steps", "5", "--overwrite");
    }

    @Test
    void distillationNeedsATeacherAndTrainsAStudentFromIt() {
        Path teacher = tmp.resolve("teacher");
        train(teacher, "--steps", "30");
        Cli missing = Cli.run("train", "iaf", "--dataset", "moons", "--trainer", "distill", "--backend", "reference",
                "--out", tmp.resolve("student").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("--teacher"), missing.err());
        Cli r = Cli.run("train", "iaf", "--dataset", "moons", "--trainer", "distill", "--teacher", teacher.toString(),
                "--backend", "reference", "--progress", "none", "--steps", "20", "--set", "blocks=2", "--set", "hidden=16",
                "--out", tmp.resolve("student").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("distilling realnvp (step 30"), r.out());
        assertTrue(Double.isFinite(testLogLikelihood(r)), r.out());
    }
}
