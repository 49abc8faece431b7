package dev.nabla.models.checkpoint;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One writer per run folder (issue 18, defect 5), readers that see whole checkpoints while it writes,
 * and the temporaries that killed writes leave (defect 9).
 */
class RunFolderTest {
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    @TempDir
    Path dir;

    /** Starts a child running {@link Probes} and waits for its first line, which starts with {@code ready}. */
    private static Process child(Path log, String ready, String... args) throws Exception {
        Process p = ForkedJvm.start(Probes.class, List.of("-Xmx64m"), log, args);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String out = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (out.contains(ready + " ")) {
                return p;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the child ended (" + p.exitValue() + "):\n" + out);
            }
            Thread.sleep(20);
        }
        p.destroyForcibly().waitFor();
        throw new AssertionError("the child never said '" + ready + "'");
    }

    @Test
    void aSecondWriterIsRefusedNamingTheHolderAndAKilledHolderLeavesNoStaleLock() throws Exception {
        Path run = dir.resolve("run");
        Process holder = child(dir.resolve("holder.log"), "locked", "lock", run.toString(), "nabla train maf moons --out run");
        try {
            var e = assertThrows(RunLock.LockedException.class, () -> RunLock.acquire(run, "nabla train --overwrite"));
            assertTrue(e.getMessage().contains("in use by process " + holder.pid()), e.getMessage());
            assertTrue(e.getMessage().contains("(nabla train maf moons --out run)"), e.getMessage());
            assertEquals(holder.pid(), e.holder().pid());
            assertEquals(holder.pid(), RunLock.holder(run).orElseThrow().pid(), "readers can see who writes");
        } finally {
            holder.destroyForcibly();   // SIGKILL: no shutdown hook, no release by the JVM
            holder.waitFor();
        }
        assertTrue(RunLock.holder(run).isEmpty(), "the operating system released the dead holder's lock");
        try (RunLock lock = RunLock.acquire(run, "nabla train --resume")) {
            assertEquals(ProcessHandle.current().pid(), lock.holder().pid());
            // a second writer in this very process is refused too, without disturbing the lock
            var again = assertThrows(RunLock.LockedException.class, () -> RunLock.acquire(run, "again"));
            assertTrue(again.getMessage().contains("(this process)"), again.getMessage());
            assertEquals("nabla train --resume", RunLock.holder(run).orElseThrow().command());
        }
        assertTrue(RunLock.holder(run).isEmpty());
        RunLock.acquire(run, "next").close();   // released locks can be taken again
    }

    @Test
    void aRunRemovesTheTemporariesOfKilledSavesAndNeverThoseOfALiveWriter() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path ckpt = run.resolve("checkpoint.safetensors");
        // a save killed mid-write, as by kill -9
        Process killed = child(dir.resolve("killed.log"), "writing", "stuck", ckpt.toString());
        killed.destroyForcibly().waitFor();
        // a save in progress in another live process (e.g. a sample writing its CSV)
        Process live = child(dir.resolve("live.log"), "writing", "stuck", run.resolve("samples.csv").toString());
        try {
            // a temporary named as before temporaries named their writer
            Path legacy = Files.writeString(run.resolve(".checkpoint.safetensors.1234567890123.tmp"), "x");
            Path keep = Files.writeString(run.resolve("notes.tmp"), "not ours");
            List<Path> before = temporaries(run);
            assertEquals(3, before.size(), before.toString());
            // anyone may remove the dead writer's temporary; the live one and the untagged one stay
            List<Path> removed = AtomicFiles.removeStaleTemporaries(run);
            assertEquals(1, removed.size(), removed.toString());
            assertTrue(removed.getFirst().getFileName().toString().startsWith(".checkpoint.safetensors." + killed.pid() + "-"));
            assertTrue(Files.exists(legacy));
            // the run, holding the lock, also removes the untagged ones; the live writer's stays
            try (RunLock lock = RunLock.acquire(run, "nabla train")) {
                assertEquals(List.of(legacy), lock.removeStaleTemporaries());
            }
            List<Path> left = temporaries(run);
            assertEquals(1, left.size(), left.toString());
            assertTrue(left.getFirst().getFileName().toString().startsWith(".samples.csv." + live.pid() + "-"), left.toString());
            assertTrue(Files.exists(keep));
        } finally {
            live.destroyForcibly().waitFor();
        }
        assertEquals(1, AtomicFiles.removeStaleTemporaries(run).size(), "once its writer is gone, it goes too");
    }

    private static List<Path> temporaries(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".tmp"))
                    .sorted().toList();
        }
    }

    @Test
    void readersSeeWholeCheckpointsWhileTrainingWritesThem() throws Exception {
        Path file = dir.resolve("checkpoint.safetensors");
        int saves = 120;
        save(file, 0);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        List<Long> seen = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get() || reads.get() == 0) {
                    try (Checkpoint c = Checkpoint.load(file, f)) {
                        // every tensor of a checkpoint holds its step: a mixed file would show two steps
                        for (var e : c.model().entrySet()) {
                            for (float v : e.getValue().toFloatArray()) {
                                if (v != c.step()) {
                                    throw new AssertionError(e.getKey() + " holds " + v + " in the checkpoint of step " + c.step());
                                }
                            }
                        }
                        seen.add(c.step());
                        reads.incrementAndGet();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (int step = 1; step <= saves && failure.get() == null; step++) {
            save(file, step);
        }
        done.set(true);
        reader.join(60_000);
        assertFalse(reader.isAlive());
        assertNull(failure.get(), () -> "a reader saw a torn checkpoint: " + failure.get());
        assertTrue(reads.get() > 0);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "steps only go forward: " + seen);
        }
    }

    private void save(Path file, int step) {
        try (Tensor a = f.full(dev.nabla.api.types.Shape.of(64, 64), step, dev.nabla.api.types.DType.FLOAT32);
             Tensor b = f.full(dev.nabla.api.types.Shape.of(257), step, dev.nabla.api.types.DType.FLOAT32)) {
            Checkpoint.of(Map.of("a", a, "b", b), (dev.nabla.models.optim.Optimizer) null, step, 0, 0, Map.of(), Map.of(), Map.of()).save(file);
        }
    }
}
