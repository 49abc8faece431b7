package dev.nabla.launcher;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.checkpoint.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18: hostile checkpoints and bad settings through the CLI. Every one is a usage error (exit 2, one
 * line, no trace) naming what was wrong, never an OutOfMemoryError, a failed native allocation or a hang.
 */
class HostileRunsTest {
    static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    @TempDir
    static Path shared;
    static Path good;   // a tiny trained run, copied by the tests that edit it

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainOnce() {
        good = shared.resolve("good");
        Cli r = train(good, "--steps", "4");
        assertEquals(0, r.status(), r.err());
    }

    static Cli train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "realnvp", "--dataset", "moons", "--backend", "reference",
                "--progress", "none", "--samples", "0", "--batch-size", "64", "--set", "blocks=2", "--set", "hidden=8",
                "--out", out.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    static Cli resume(Path run) {
        return Cli.run("train", "realnvp", "--dataset", "moons", "--backend", "reference", "--progress", "none",
                "--samples", "0", "--batch-size", "64", "--out", run.toString(), "--resume");
    }

    static void assertUsage(Cli r, String... mustContain) {
        assertEquals(2, r.status(), "status; stdout: " + r.out() + " stderr: " + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().filter(l -> !l.startsWith("WARNING")).count(), "one line: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertTrue(err.length() < 2000, "a bounded message: " + err.length() + " chars");
        for (String s : mustContain) {
            assertTrue(err.contains(s), "'" + s + "' in: " + err);
        }
    }

    /** A copy of the good run whose checkpoint was rewritten by {@code edit} (of its tensors and model_config). */
    Path edited(String name, Consumer<Map<String, Object>> configEdit, Consumer<Map<String, Tensor>> tensorEdit)
            throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Path file = dir.resolve("checkpoint.safetensors");
        try (Checkpoint c = Checkpoint.load(good.resolve("checkpoint.safetensors"), F)) {
            Map<String, Object> config = deepCopy(c.modelConfig());
            configEdit.accept(config);
            Map<String, Tensor> model = new LinkedHashMap<>(c.model());
            tensorEdit.accept(model);
            new Checkpoint(model, c.optimizers(), c.step(), c.epoch(), c.stepInEpoch(), config, c.rng(), c.extra()).save(file);
        }
        return dir;
    }

    Path withConfig(String name, Consumer<Map<String, Object>> configEdit) throws Exception {
        return edited(name, configEdit, m -> { });
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> sub ? deepCopy((Map<String, Object>) sub) : v));
        return out;
    }

    @SuppressWarnings("unchecked")
    static Consumer<Map<String, Object>> key(String key, Object value) {
        return c -> ((Map<String, Object>) c.get("config")).put(key, value);
    }

    // ------------------------------------------------------------------ 1: model_config checked before building

    @Test
    void trainRefusesAModelThatDoesNotFitNamingItsBytes() {
        assertUsage(train(tmp.resolve("big"), "--set", "hidden=40000"), "bytes", "hidden=40000");
        assertFalse(Files.exists(tmp.resolve("big")), "no folder is left behind");
    }

    @Test
    void trainRefusesAbsurdCounts() {
        assertUsage(train(tmp.resolve("b"), "--set", "blocks=1e9"), "blocks");
        assertUsage(train(tmp.resolve("b"), "--set", "blocks=100000000"), "blocks");
    }

    @Test
    void anEditedConfigIsRefusedBeforeTheModelIsBuilt() throws Exception {
        Path hidden = withConfig("hidden", key("hidden", "40000"));
        for (String cmd : List.of("eval", "sample")) {
            assertUsage(Cli.run(cmd, hidden.toString(), "--backend", "reference"), "bytes");
        }
        assertUsage(resume(hidden), "bytes");
        assertUsage(Cli.run("eval", withConfig("blocks", key("blocks", 1e8)).toString(), "--backend", "reference"), "blocks");
        assertUsage(Cli.run("eval", withConfig("blocks9", key("blocks", "1e9")).toString(), "--backend", "reference"), "blocks");
        assertUsage(Cli.run("eval", withConfig("blocks3", key("blocks", "3")).toString(), "--backend", "reference"),
                "does not match its model_config", "bytes");
        @SuppressWarnings("unchecked")
        Path dim = withConfig("dim", c -> ((Map<String, Object>) c.get("data")).put("dim", 1e12));
        assertUsage(Cli.run("eval", dim.toString(), "--backend", "reference"), "dim");
        assertUsage(Cli.run("sample", withConfig("dim2", c -> {
            c.remove("data");
            c.put("dim", 2_000_000_000L);
        }).toString(), "--backend", "reference"), "dim");
    }

    @Test
    void aTeacherWithAnEditedConfigIsRefused() throws Exception {
        Path hidden = withConfig("teacher", key("hidden", "40000"));
        assertUsage(Cli.run("train", "realnvp", "--dataset", "moons", "--backend", "reference", "--progress", "none",
                "--trainer", "distill", "--teacher", hidden.toString(), "--steps", "2", "--set", "blocks=2", "--set",
                "hidden=8", "--out", tmp.resolve("student").toString()), "bytes");
    }

    // ------------------------------------------------------------------ 6: exit statuses

    @Test
    void badOutPathsAreUsageErrors() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertUsage(train(file), "is a file");
        assertUsage(train(file.resolve("under")), "is a file");
        assertUsage(train(Path.of("")), "empty");
        assertUsage(train(Path.of("/proc/nabla-run")), "/proc/nabla-run");
        assertUsage(Cli.run("sample", good.toString(), "--backend", "reference", "--out", "/proc/x.csv"), "/proc/x.csv");
        assertUsage(Cli.run("sample", good.toString(), "--backend", "reference", "--out", ""), "empty");
        assertUsage(Cli.run("sample", good.toString(), "--backend", "reference", "--out", file.resolve("s.csv").toString()),
                "is a file");
        assertUsage(Cli.run("sample", good.toString(), "--backend", "reference", "-n", "2000000000"), "--count", "1000000");
    }

    @Test
    void samplingOptionsAModelDoesNotTakeAreRefusedByName() throws Exception {
        // a flow draws points: a prompt or a beam width means nothing to it, and saying so beats ignoring it
        assertUsage(Cli.run("sample", good.toString(), "--backend", "reference", "--prompt", "ROMEO:"), "--prompt",
                "takes no sampling options");
        assertUsage(Cli.run("sample", good.toString(), "--backend", "reference", "--beam", "4"), "--beam");
    }

    @Test
    void tensorsThatDoNotFitTheModelAreAUsageErrorInEvalAndResume() throws Exception {
        Path run = edited("renamed", c -> { }, m -> {
            String first = m.keySet().iterator().next();
            m.put("renamed." + first, m.remove(first));
        });
        assertUsage(Cli.run("eval", run.toString(), "--backend", "reference"), "does not fit", "missing", "in all)");
        assertUsage(resume(run), "cannot resume", "missing");
    }

    @Test
    void optimizerStateThatDoesNotFitIsAUsageErrorOnResume() throws Exception {
        Path dir = tmp.resolve("opt");
        Files.createDirectories(dir);
        try (Checkpoint c = Checkpoint.load(good.resolve("checkpoint.safetensors"), F)) {
            Map<String, Checkpoint.OptimizerState> opts = new LinkedHashMap<>();
            c.optimizers().forEach((u, o) -> {
                Map<String, Tensor> st = new LinkedHashMap<>(o.state());
                String first = st.keySet().iterator().next();
                st.put("x" + first, st.remove(first));
                opts.put(u, new Checkpoint.OptimizerState(o.name(), o.hyperParameters(), o.steps(), st));
            });
            new Checkpoint(c.model(), opts, c.step(), c.epoch(), c.stepInEpoch(), c.modelConfig(), c.rng(), c.extra())
                    .save(dir.resolve("checkpoint.safetensors"));
        }
        assertUsage(resume(dir), "cannot resume", "optimizer state");
    }

    // ------------------------------------------------------------------ 5 and 9: the run folder's lock

    @Test
    void aSecondWriterIsRefusedNamingTheHolder() throws Exception {
        Path run = tmp.resolve("locked");
        try (dev.nabla.models.checkpoint.RunLock held = dev.nabla.models.checkpoint.RunLock.acquire(run, "nabla train maf --dataset moons")) {
            assertUsage(train(run), "in use by", "process " + ProcessHandle.current().pid(), "nabla train maf");
            assertUsage(train(run, "--overwrite"), "in use by");
        }
        assertEquals(0, train(run, "--steps", "2").status());
        Cli again = train(run, "--steps", "2", "--overwrite");
        assertEquals(0, again.status(), again.err());
        assertTrue(Files.exists(run.resolve(dev.nabla.models.checkpoint.RunLock.FILE)), "--overwrite keeps the lock file");
    }

    @Test
    void aRunRemovesStaleTemporariesOfItsFolder() throws Exception {
        Path run = tmp.resolve("stale");
        assertEquals(0, train(run, "--steps", "2").status());
        Path stale = Files.writeString(run.resolve(".checkpoint.safetensors.123.tmp"), "half a save");
        Cli r = train(run, "--steps", "2", "--overwrite");
        assertEquals(0, r.status(), r.err());
        assertFalse(Files.exists(stale), "the stale temporary is gone");
        assertTrue(r.out().contains("removed 1 temporary file"), r.out());
    }

    @Test
    void twoTrainingsOfTheSameFolderCannotBothSucceed() throws Exception {
        Path run = tmp.resolve("twice");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.Callable<Cli> one = () -> {
                go.await();
                return train(run, "--steps", "30");
            };
            var a = pool.submit(one);
            var b = pool.submit(one);
            go.countDown();
            List<Cli> results = List.of(a.get(), b.get());
            assertEquals(1, results.stream().filter(r -> r.status() == 0).count(), "exactly one succeeds: " + results);
            Cli refused = results.stream().filter(r -> r.status() != 0).findFirst().orElseThrow();
            assertUsage(refused);
            assertTrue(refused.err().contains("in use by") || refused.err().contains("already holds a checkpoint"),
                    refused.err());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void evalReadsAWholeCheckpointWhileATrainingHoldsTheFolder() throws Exception {
        try (dev.nabla.models.checkpoint.RunLock held = dev.nabla.models.checkpoint.RunLock.acquire(good, "nabla train")) {
            Cli r = Cli.run("eval", good.toString(), "--backend", "reference");
            assertEquals(0, r.status(), r.err());
        }
    }

    // ------------------------------------------------------------------ 7: non-finite weights

    @Test
    void nonFiniteWeightsAreRefusedNamingTheTensor() throws Exception {
        String[] name = new String[1];
        Path run = edited("nan", c -> { }, m -> {
            var e = m.entrySet().stream().filter(x -> x.getKey().endsWith("weight")).findFirst().orElseThrow();
            name[0] = e.getKey();
            double[] v = new double[(int) e.getValue().numel()];
            java.util.Arrays.fill(v, Double.POSITIVE_INFINITY);
            v[0] = Double.NaN;
            m.put(e.getKey(), F.of(v, e.getValue().shape().dims()).to(e.getValue().dtype()));
        });
        for (String cmd : List.of("eval", "sample")) {
            assertUsage(Cli.run(cmd, run.toString(), "--backend", "reference"), "non-finite", name[0]);
        }
        Cli served = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60),
                () -> Cli.run("serve", run.toString(), "--backend", "reference", "--port", "0"));
        assertUsage(served, name[0]);
        assertFalse(Files.exists(run.resolve("samples.csv")), "no NaN rows are written");
    }

    // ------------------------------------------------------------------ 4: float64 models train

    @Test
    void float64ModelsTrainFromTheCli() {
        for (String model : List.of("realnvp", "maf")) {
            Path run = tmp.resolve(model + "64");
            Cli r = Cli.run("train", model, "--dataset", "moons", "--backend", "reference", "--progress", "none",
                    "--samples", "0", "--batch-size", "64", "--steps", "3", "--set", "dtype=float64", "--set", "blocks=2",
                    "--set", "hidden=8", "--out", run.toString());
            assertEquals(0, r.status(), r.err());
            Cli e = Cli.run("eval", run.toString(), "--backend", "reference");
            assertEquals(0, e.status(), e.err());
            assertTrue(Double.isFinite(e.value("log_likelihood")), e.out());
        }
    }

    @Test
    void aFailedStartLeavesNoEmptyRunFolderButKeepsAnExistingOne() throws Exception {
        Path fresh = tmp.resolve("fresh");
        assertEquals(1, train(fresh, "--lr", "1e300").status());
        assertFalse(Files.exists(fresh), "the folder this run created is removed");
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        assertEquals(1, train(existing, "--lr", "1e300").status());
        assertTrue(Files.isDirectory(existing), "a folder that was there stays");
    }
}
