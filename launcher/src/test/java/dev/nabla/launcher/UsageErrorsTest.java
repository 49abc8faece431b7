package dev.nabla.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every user mistake prints exactly one line on standard error that names what was wrong and the valid
 * choices, no stack trace, and exits with status 2.
 */
class UsageErrorsTest {
    @TempDir
    Path tmp;

    private static void assertUsage(Cli r, String... mustContain) {
        assertEquals(2, r.status(), "status; stderr: " + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().filter(l -> !l.startsWith("WARNING")).count(), "one line: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        for (String s : mustContain) {
            assertTrue(err.contains(s), "'" + s + "' in: " + err);
        }
    }

    @Test
    void unknownCommand() {
        assertUsage(Cli.run("trian"), "unknown command 'trian'", "train", "backends", "list", "sample", "eval");
    }

    @Test
    void unknownOption() {
        assertUsage(Cli.run("train", "realnvp", "--dataset", "moons", "--epoch", "3"), "unknown option '--epoch'",
                "--epochs", "--batch-size");
    }

    @Test
    void unknownModel() {
        assertUsage(Cli.run("train", "realnvpp", "--dataset", "moons", "--out", tmp.resolve("r").toString()),
                "unknown model 'realnvpp'", "realnvp", "maf", "iaf");
    }

    @Test
    void unknownDataset() {
        assertUsage(Cli.run("train", "realnvp", "--dataset", "moon", "--out", tmp.resolve("r").toString()),
                "unknown data set 'moon'", "moons", "checkerboard");
    }

    @Test
    void unknownBackend() {
        assertUsage(Cli.run("train", "realnvp", "--dataset", "moons", "--backend", "cuda", "--out", tmp.resolve("r").toString()),
                "unknown backend 'cuda'", "reference", "native");
    }

    @Test
    void unknownTrainer() {
        assertUsage(Cli.run("train", "realnvp", "--dataset", "moons", "--trainer", "elbow", "--out", tmp.resolve("r").toString()),
                "unknown trainer 'elbow'", "mle", "distill");
    }

    @Test
    void badModelKeyNamesTheValidKeys() {
        assertUsage(Cli.run("train", "realnvp", "--dataset", "moons", "--set", "blokcs=3", "--backend", "reference",
                "--out", tmp.resolve("r").toString()), "blokcs", "blocks", "hidden");
    }

    @Test
    void missingDatasetOption() {
        assertUsage(Cli.run("train", "realnvp"), "--dataset");
    }

    @Test
    void badNumbers() {
        assertUsage(Cli.run("train", "realnvp", "--dataset", "moons", "--epochs", "0"), "--epochs must be at least 1");
        assertUsage(Cli.run("train", "realnvp", "--dataset", "moons", "--lr", "abc"), "--lr");
    }

    @Test
    void missingCheckpoint() {
        assertUsage(Cli.run("sample", tmp.resolve("nothing").toString()), "checkpoint not found", "nothing");
        assertUsage(Cli.run("eval", tmp.toString()), "no checkpoint in " + tmp);
        assertUsage(Cli.run("train", "realnvp", "--dataset", "moons", "--resume", "--out", tmp.toString()),
                "nothing to resume");
    }

    @Test
    void aCorruptCheckpointIsRefused() throws Exception {
        Files.writeString(tmp.resolve("checkpoint.safetensors"), "not a checkpoint at all");
        assertUsage(Cli.run("eval", tmp.toString(), "--backend", "reference"), "cannot read checkpoint");
    }
}
