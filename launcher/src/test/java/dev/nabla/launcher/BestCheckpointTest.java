package dev.nabla.launcher;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run keeps {@code best.safetensors} at its lowest validation loss beside the last checkpoint, and
 * {@code eval}, {@code sample} and {@code serve} take either with {@code --checkpoint best|last}.
 */
class BestCheckpointTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    @TempDir
    Path tmp;

    private static Cli train(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "realnvp", "--dataset", "moons", "--backend",
                "reference", "--progress", "none", "--set", "blocks=2", "--set", "hidden=16", "--lr", "0.03",
                "--validate-every", "10", "--samples", "0", "--out", out.toString()));
        args.addAll(List.of(extra));
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        return r;
    }

    /** The step and loss of the lowest validation loss in metrics.csv. */
    private static double[] bestOf(Path run) throws Exception {
        double[] best = {0, Double.POSITIVE_INFINITY};
        for (String l : Files.readAllLines(run.resolve("metrics.csv")).stream().skip(1).toList()) {
            String[] c = l.split(",", -1);
            if (!c[2].isEmpty() && Double.parseDouble(c[2]) < best[1]) {
                best[0] = Long.parseLong(c[0]);
                best[1] = Double.parseDouble(c[2]);
            }
        }
        return best;
    }

    @Test
    void theBestCheckpointHoldsTheLowestValidationLossAndEvalAndSampleReadIt() throws Exception {
        Path run = tmp.resolve("run");
        Cli r = train(run, "--steps", "60");
        assertTrue(r.out().contains("best.safetensors"), r.out());
        double[] best = bestOf(run);
        try (Checkpoint ck = Checkpoint.load(run.resolve("best.safetensors"), F)) {
            assertEquals((long) best[0], ck.step(), "saved at the step of the lowest validation loss");
            assertEquals(best[1], ((Number) ck.extra().get("val_loss")).doubleValue(), 1e-6);
        }
        assertTrue(Files.exists(run.resolve("best.json")));

        Cli bestEval = Cli.run("eval", run.toString(), "--checkpoint", "best", "--split", "validation", "--backend", "reference");
        assertEquals(0, bestEval.status(), bestEval.err());
        assertTrue(bestEval.out().contains("(step " + (long) best[0] + ")"), bestEval.out());
        assertEquals(-best[1], bestEval.value("log_likelihood"), 1e-4, "the best model scores its validation loss");
        Cli lastEval = Cli.run("eval", run.toString(), "--split", "validation", "--backend", "reference");
        assertTrue(lastEval.out().contains("(step 60)"), lastEval.out());
        assertTrue(lastEval.value("log_likelihood") <= bestEval.value("log_likelihood") + 1e-6,
                "no checkpoint validates better than the best");

        Cli sample = Cli.run("sample", run.toString(), "--checkpoint", "best", "-n", "10", "--out", "-", "--backend", "reference");
        assertEquals(0, sample.status(), sample.err());
        assertEquals(11, sample.out().lines().count());

        Cli bad = Cli.run("eval", run.toString(), "--checkpoint", "first", "--backend", "reference");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("first") && bad.err().contains("best"), bad.err());
        Cli file = Cli.run("eval", run.resolve("checkpoint.safetensors").toString(), "--checkpoint", "best");
        assertEquals(2, file.status());
        assertTrue(file.err().contains("run folder"), file.err());
    }

    @Test
    void aResumedRunOnlyReplacesTheBestWithABetterOneAndAFreshRunDropsIt() throws Exception {
        Path run = tmp.resolve("run");
        train(run, "--steps", "30");
        train(run, "--steps", "60", "--resume");
        double[] best = bestOf(run);   // over both sessions: metrics.csv holds the whole history
        try (Checkpoint ck = Checkpoint.load(run.resolve("best.safetensors"), F)) {
            assertEquals((long) best[0], ck.step());
        }
        train(run, "--steps", "5", "--overwrite");
        if (Files.exists(run.resolve("best.safetensors"))) {
            try (Checkpoint ck = Checkpoint.load(run.resolve("best.safetensors"), F)) {
                assertTrue(ck.step() <= 5, "a fresh run never keeps an earlier run's best: step " + ck.step());
            }
        }
    }
}
