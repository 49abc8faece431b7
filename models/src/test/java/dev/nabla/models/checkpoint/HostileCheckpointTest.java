package dev.nabla.models.checkpoint;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.NablaException;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hostile files and settings of issue 18 that the reader and the writer must survive: giant
 * headers at a small heap (defect 2), out-of-range training counters (defect 3), and the permissions
 * of what is written (defect 10).
 */
class HostileCheckpointTest {
    private final TensorFactory f = TensorFactory.on(dev.nabla.api.Nabla.backend("reference"));

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ defect 2: giant headers

    /** Writes a safetensors file whose header is {@code open}, then {@code entry(i)} while it fits under the cap, then {@code close}. */
    private static Path giantHeader(Path file, long size, String open, java.util.function.IntFunction<String> entry,
                                    String close) throws IOException {
        long cap = size - 64;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(new byte[8]);   // the length, patched below
            byte[] o = open.getBytes(StandardCharsets.UTF_8);
            byte[] c = close.getBytes(StandardCharsets.UTF_8);
            out.write(o);
            long n = o.length;
            for (int i = 0; ; i++) {
                byte[] e = entry.apply(i).getBytes(StandardCharsets.UTF_8);
                if (n + e.length + 1 + c.length > cap) {
                    break;
                }
                if (i > 0) {
                    out.write(',');
                    n++;
                }
                out.write(e);
                n += e.length;
            }
            out.write(c);
            n += c.length;
            while (n % 8 != 0) {
                out.write(' ');
                n++;
            }
            out.flush();
            try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n), 0);
            }
        }
        return file;
    }

    private static void assertRefusedAtSmallHeap(Path file, String expected) throws Exception {
        try {
            ForkedJvm.Result r = ForkedJvm.run(Probes.class, List.of("-Xmx64m"), Duration.ofSeconds(60), "read",
                    file.toString());
            assertFalse(r.timedOut(), "reading " + file.getFileName() + " at -Xmx64m took over 60 s: " + r.out());
            String line = r.out().lines().filter(l -> l.startsWith(file.toString())).findFirst()
                    .orElseThrow(() -> new AssertionError("no verdict (exit " + r.status() + "):\n" + r.out()));
            String[] parts = line.substring(file.toString().length() + 1).split(" ", 4);
            assertEquals("refused", parts[0], line);
            int length = Integer.parseInt(parts[2].replace(":", ""));
            assertTrue(length < 600 + file.toString().length(), "a " + length + "-character message: " + line);
            assertTrue(line.contains(expected), line);
            assertTrue(Long.parseLong(parts[1]) < 20_000, "took " + parts[1] + " ms: " + line);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aHeaderOfMillionsOfEmptyTensorsIsRefusedQuicklyAtA64MiBHeapWithAShortMessage() throws Exception {
        // 1.77 million zero-size tensors just under the 100 MB cap, as in the issue
        Path file = giantHeader(dir.resolve("zeros.safetensors"), 100L << 20, "{",
                i -> "\"t" + i + "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}", "}");
        assertRefusedAtSmallHeap(file, "more than 100000 tensors");
    }

    @Test
    void giantNamesMetadataAndArraysAreRefusedAtA64MiBHeap() throws Exception {
        long size = 40L << 20;   // enough to be beyond a 64 MiB heap as a string
        assertRefusedAtSmallHeap(giantHeader(dir.resolve("meta.safetensors"), size, "{\"__metadata__\":{\"k\":\"",
                i -> "x".repeat(4096), "\"}}"), "longer than");
        assertRefusedAtSmallHeap(giantHeader(dir.resolve("name.safetensors"), size, "{\"",
                i -> "n".repeat(4096), "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}"), "longer than");
        assertRefusedAtSmallHeap(giantHeader(dir.resolve("keys.safetensors"), size, "{\"__metadata__\":{",
                i -> "\"k" + i + "\":\"\"", "}}"), "values");
        assertRefusedAtSmallHeap(giantHeader(dir.resolve("list.safetensors"), size, "{\"__metadata__\":{\"k\":[",
                i -> "0", "]}}"), "values");
    }

    // ------------------------------------------------------------------ defect 3: counters in the metadata

    /** A real checkpoint whose metadata JSON is then replaced by {@code edit} of it. */
    private Path withMetadata(String name, java.util.function.UnaryOperator<String> edit) {
        Path file = dir.resolve(name + ".safetensors");
        try (Linear net = new Linear(f, new Generator(1), 3, 2); Adam adam = new Adam(net.namedParameters(), 0.01)) {
            Checkpoint.of(net.state(), adam, 7, 1, 3, Map.of("model", "linear"), Map.of("shuffle", new long[] {1, 2, 3, 4}),
                    Map.of()).save(file);
        }
        try (SafeTensors.Contents c = SafeTensors.read(file, f)) {
            String json = edit.apply(c.metadata().get("nabla"));
            Map<String, Tensor> t = new LinkedHashMap<>(c.tensors());
            SafeTensors.write(file, t, Map.of("nabla", json));
        }
        return file;
    }

    private String refusal(Path file) {
        NablaException e = assertThrows(NablaException.class, () -> Checkpoint.load(file, f).close());
        assertTrue(e.getMessage().length() < 600, e.getMessage());
        return e.getMessage();
    }

    @Test
    void countersBeyondTheirBoundsAreRefusedWithTheReadersOwnException() {
        String m = refusal(withMetadata("epoch", j -> j.replace("\"epoch\":1", "\"epoch\":2147483648")));
        assertTrue(m.contains("'epoch'"), m);
        m = refusal(withMetadata("sie", j -> j.replace("\"step_in_epoch\":3", "\"step_in_epoch\":4294967296")));
        assertTrue(m.contains("'step_in_epoch'"), m);
        m = refusal(withMetadata("step", j -> j.replace("\"step\":7", "\"step\":4611686018427387904")));
        assertTrue(m.contains("'step'") && m.contains("4611686018427387904"), m);
        m = refusal(withMetadata("optsteps", j -> j.replace("\"steps\":1", "\"steps\":4611686018427387904")
                .replace("\"steps\":0", "\"steps\":4611686018427387904")));
        assertTrue(m.contains("'steps'"), m);
        m = refusal(withMetadata("sie-over-step", j -> j.replace("\"step_in_epoch\":3", "\"step_in_epoch\":8")));
        assertTrue(m.contains("'step_in_epoch' 8 exceeds 'step' 7"), m);
        m = refusal(withMetadata("zero-rng", j -> j.replace("[1,2,3,4]", "[0,0,0,0]")));
        assertTrue(m.contains("'rng.shuffle'") && m.contains("not all zero"), m);
        m = refusal(withMetadata("inf-lr", j -> j.replace("\"lr\":0.01", "\"lr\":1e999")));
        assertTrue(m.contains("beyond the range of a double"), m);
        m = refusal(withMetadata("float-step", j -> j.replace("\"step\":7", "\"step\":7.5")));
        assertTrue(m.contains("'step'"), m);
        m = refusal(withMetadata("long-value", j -> j.replace("\"model\":\"linear\"", "\"model\":\"linear\"")
                .replace("\"model_config\":{", "\"model_config\":7,\"x\":{")));
        assertTrue(m.contains("'model_config' must be a JSON object, got 7"), m);
        m = refusal(withMetadata("huge-config", j -> j.replace("\"model_config\":{\"model\":\"linear\"}",
                "\"model_config\":[" + "1,".repeat(50_000) + "1]")));
        assertTrue(m.contains("'model_config' must be a JSON object, got [1,1,"), m);
    }

    @Test
    void aCheckpointOutsideTheBoundsIsNeverWritten() {
        Path file = dir.resolve("far.safetensors");
        try (Linear net = new Linear(f, new Generator(1), 3, 2)) {
            Checkpoint far = Checkpoint.of(net.state(), (dev.nabla.models.optim.Optimizer) null, Checkpoint.MAX_STEP + 1, 0, 0, Map.of(), Map.of(), Map.of());
            NablaException e = assertThrows(NablaException.class, () -> far.save(file));
            assertTrue(e.getMessage().contains("'step' must be an integer in [0, " + Checkpoint.MAX_STEP + "]"), e.getMessage());
        }
        assertFalse(Files.exists(file));
    }

    // ------------------------------------------------------------------ defect 10: permissions

    @Test
    void writtenFilesGetTheUmasksPermissionsAndReplacedOnesKeepTheirs() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path reference = Files.createFile(dir.resolve("made-by-any-program"));
        Set<PosixFilePermission> umasked = Files.getPosixFilePermissions(reference);
        Path file = dir.resolve("out.csv");
        AtomicFiles.write(file, out -> out.write(1));
        assertEquals(PosixFilePermissions.toString(umasked), PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Scope s = Scope.open()) {
            Path st = dir.resolve("w.safetensors");
            SafeTensors.write(st, Map.of("w", f.zeros(2)), Map.of());
            assertEquals(PosixFilePermissions.toString(umasked), PosixFilePermissions.toString(Files.getPosixFilePermissions(st)));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.write(file, out -> out.write(2));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
