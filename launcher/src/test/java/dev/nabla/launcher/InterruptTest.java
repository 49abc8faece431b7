package dev.nabla.launcher;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.checkpoint.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ctrl-C during {@code nabla train}: the run stops after the current step, writes its checkpoint and
 * pictures, tells how to resume, and the checkpoint continues with {@code --resume}.
 */
class InterruptTest {
    @TempDir
    Path tmp;

    @Test
    void ctrlCSavesACheckpointThatResumes() throws Exception {
        Path run = tmp.resolve("run");
        Process p = ChildJvm.start(ChildJvm.command(java.util.List.of(), "train", "realnvp", "--dataset", "moons",
                        "--backend", "reference", "--epochs", "1000", "--progress", "lines", "--set", "blocks=2",
                        "--set", "hidden=16", "--out", run.toString()), tmp, ProcessBuilder.Redirect.PIPE, null);
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean sent = false;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                // a progress line: the loop runs, so its Ctrl-C hook is in place
                if (!sent && line.startsWith("step ") && line.contains("loss")) {
                    ChildJvm.interrupt(p);
                    sent = true;
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM ends after Ctrl-C");
        assertTrue(out.toString().contains("interrupted: stopped after step"), out.toString());
        assertTrue(Files.exists(run.resolve("loss.png")) && Files.exists(run.resolve("samples.png")), out.toString());
        long step;
        try (Checkpoint ck = Checkpoint.load(run.resolve("checkpoint.safetensors"), TensorFactory.on(Nabla.backend("reference")))) {
            step = ck.step();
        }
        assertTrue(step > 0 && step < 1000L * 40, "stopped early, at step " + step);
        Cli resumed = Cli.run("train", "realnvp", "--dataset", "moons", "--backend", "reference", "--progress", "none",
                "--set", "blocks=2", "--set", "hidden=16", "--out", run.toString(), "--resume", "--steps", Long.toString(step + 10));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("done: " + (step + 10) + " steps"), resumed.out());
    }
}
