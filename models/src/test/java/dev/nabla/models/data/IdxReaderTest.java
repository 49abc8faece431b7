package dev.nabla.models.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    static byte[] idx(int type, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.write(new byte[] {0, 0, (byte) type, (byte) dims.length});
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return b.toByteArray();
    }

    static Path gz(Path p, byte[] content) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(content);
        }
        return p;
    }

    @Test
    void readsGzippedUnsignedBytes() throws IOException {
        byte[] data = new byte[2 * 3 * 4];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 11);
        }
        Path p = gz(dir.resolve("a-idx3-ubyte.gz"), idx(0x08, new int[] {2, 3, 4}, data));
        IdxReader.IdxArray a = IdxReader.read(p);
        assertArrayEquals(new int[] {2, 3, 4}, a.dims());
        assertEquals(253, a.get(23)); // 23·11 = 253, read unsigned
        Path plain = dir.resolve("b-idx1-ubyte");
        Files.write(plain, idx(0x08, new int[] {3}, new byte[] {1, 2, (byte) 200}));
        assertEquals(200, IdxReader.read(plain).get(2));
    }

    @Test
    void rejectsBadMagicTypeAndRank() throws IOException {
        byte[] good = idx(0x08, new int[] {2}, new byte[] {1, 2});
        byte[] badMagic = good.clone();
        badMagic[1] = 8;
        var e1 = assertThrows(IOException.class, () -> IdxReader.read(gz(dir.resolve("m.gz"), badMagic)));
        assertTrue(e1.getMessage().contains("not an IDX file") && e1.getMessage().contains("m.gz"), e1.getMessage());
        byte[] floats = good.clone();
        floats[2] = 0x0D;
        var e2 = assertThrows(IOException.class, () -> IdxReader.read(gz(dir.resolve("t.gz"), floats)));
        assertTrue(e2.getMessage().contains("float32") && e2.getMessage().contains("not supported"), e2.getMessage());
        byte[] rank0 = good.clone();
        rank0[3] = 0;
        var e3 = assertThrows(IOException.class, () -> IdxReader.read(gz(dir.resolve("r.gz"), rank0)));
        assertTrue(e3.getMessage().contains("rank 0"), e3.getMessage());
    }

    @Test
    void rejectsHugeDimensionsBeforeAllocating() throws IOException {
        Path p = gz(dir.resolve("huge.gz"), idx(0x08, new int[] {60000, 60000, 60000}, new byte[10]));
        var e = assertThrows(IOException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains("exceed the limit"), e.getMessage());
        Path small = gz(dir.resolve("s.gz"), idx(0x08, new int[] {10, 10}, new byte[100]));
        var e2 = assertThrows(IOException.class, () -> IdxReader.read(small, 99));
        assertTrue(e2.getMessage().contains("99 elements"), e2.getMessage());
        Path neg = gz(dir.resolve("n.gz"), idx(0x08, new int[] {-5}, new byte[0]));
        assertTrue(assertThrows(IOException.class, () -> IdxReader.read(neg)).getMessage().contains("negative"));
    }

    @Test
    void reportsTruncationAndTrailingBytes() throws IOException {
        Path shortData = gz(dir.resolve("short.gz"), idx(0x08, new int[] {4, 5}, new byte[13]));
        var e1 = assertThrows(IOException.class, () -> IdxReader.read(shortData));
        assertTrue(e1.getMessage().contains("promises 20 bytes, file has 13"), e1.getMessage());
        byte[] header = Arrays.copyOf(idx(0x08, new int[] {4, 5}, new byte[0]), 6);
        var e2 = assertThrows(IOException.class, () -> IdxReader.read(gz(dir.resolve("hdr.gz"), header)));
        assertTrue(e2.getMessage().contains("truncated IDX header"), e2.getMessage());
        Path trailing = gz(dir.resolve("trail.gz"), idx(0x08, new int[] {2}, new byte[3]));
        var e3 = assertThrows(IOException.class, () -> IdxReader.read(trailing));
        assertTrue(e3.getMessage().contains("bytes after"), e3.getMessage());
        // a gzip file cut in the middle of its compressed stream
        byte[] big = new byte[5000];
        new java.util.Random(1).nextBytes(big);
        Path whole = gz(dir.resolve("whole.gz"), idx(0x08, new int[] {5000}, big));
        byte[] cut = Arrays.copyOf(Files.readAllBytes(whole), (int) (Files.size(whole) / 2));
        Path cutFile = dir.resolve("cut.gz");
        Files.write(cutFile, cut);
        var e4 = assertThrows(IOException.class, () -> IdxReader.read(cutFile));
        assertTrue(e4.getMessage().contains("cut.gz") && e4.getMessage().contains("truncated"), e4.getMessage());
    }
}
