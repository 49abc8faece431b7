package dev.nabla.models.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpoint reader against mutants of a real checkpoint ({@link CheckpointFuzz}) in a JVM with a
 * 64 MiB heap: every mutant loads or is refused with the reader's own exception — no other exception,
 * no {@link OutOfMemoryError}, no hang, no long message. A few thousand cases here; more with
 * {@code -Dnabla.fuzz.cases=N} (and {@code -Dnabla.fuzz.seed=S}), or {@code scripts/fuzz-checkpoints}.
 */
class CheckpointFuzzTest {
    @TempDir
    Path dir;

    @Test
    void mutantsOfARealCheckpointLoadOrAreRefusedWithTheReadersOwnException() throws Exception {
        long cases = Long.getLong("nabla.fuzz.cases", 3000);
        long seed = Long.getLong("nabla.fuzz.seed", 18);
        ForkedJvm.Result r = ForkedJvm.run(CheckpointFuzz.class, List.of("-Xmx64m"),
                Duration.ofSeconds(120 + cases / 20), "--seed", Long.toString(seed), "--cases", Long.toString(cases),
                "--timeout-ms", "20000", "--work", dir.toString());
        assertFalse(r.timedOut(), r.out());
        Matcher m = Pattern.compile("fuzz: seed=\\d+ first=\\d+ mutants=(\\d+) valid=(\\d+) refused=(\\d+) unexpected=(\\d+)"
                + " oom=(\\d+) hangs=(\\d+) long_messages=(\\d+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(cases, Long.parseLong(m.group(1)), r.out());
        assertEquals("0 0 0 0", m.group(4) + " " + m.group(5) + " " + m.group(6) + " " + m.group(7),
                "unexpected, oom, hangs, long messages:\n" + r.out());
        assertEquals(cases, Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)), r.out());
        assertTrue(Long.parseLong(m.group(2)) > cases / 50, "some mutants still load:\n" + r.out());
        assertTrue(Long.parseLong(m.group(3)) > cases / 2, "most are refused:\n" + r.out());
        assertEquals(0, r.status(), r.out());
    }
}
