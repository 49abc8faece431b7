package dev.nabla.models.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A reader for IDX files (the MNIST/Fashion-MNIST format), plain or gzipped. Layout: two zero bytes,
 * a type byte ({@code 0x08} unsigned byte, {@code 0x09} signed byte — the two this reader supports;
 * {@code 0x0B} short, {@code 0x0C} int, {@code 0x0D} float, {@code 0x0E} double are recognised and
 * rejected by name), a rank byte, then {@code rank} big-endian int32 dimensions and the data,
 * row-major.
 *
 * <p>Hostile or damaged input is rejected before any large allocation: the element count is computed
 * in {@code long} and checked against a limit, and the data are read without pre-allocating what the
 * header promises; a short file, trailing bytes or a broken gzip stream are reported with the file
 * name and the byte counts.
 */
public final class IdxReader {
    /** The default upper bound on the number of elements (256 Mi). */
    public static final long DEFAULT_MAX_ELEMENTS = 256L << 20;

    private IdxReader() {
    }

    /**
     * An IDX array of bytes.
     *
     * @param dims     the dimensions
     * @param data     row-major values, length {@code Π dims}
     * @param unsigned true for type {@code 0x08}
     */
    public record IdxArray(int[] dims, byte[] data, boolean unsigned) {
        /** The element at flat index {@code i} as an int ({@code 0 … 255} when unsigned). */
        public int get(int i) {
            return unsigned ? data[i] & 0xFF : data[i];
        }

        /** The dimensions as a readable string. */
        public String shapeString() {
            return Arrays.toString(dims);
        }
    }

    /** Reads {@code path}, gunzipping when it ends in {@code .gz}, with {@link #DEFAULT_MAX_ELEMENTS}. */
    public static IdxArray read(Path path) throws IOException {
        return read(path, DEFAULT_MAX_ELEMENTS);
    }

    /** Reads {@code path}, gunzipping when it ends in {@code .gz}, accepting at most {@code maxElements}. */
    public static IdxArray read(Path path, long maxElements) throws IOException {
        boolean gz = path.getFileName().toString().endsWith(".gz");
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path));
             InputStream in = gz ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return read(in, path.toString(), maxElements);
        } catch (ZipException e) {
            throw new IOException(path + ": corrupt gzip stream (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads one IDX array from {@code in}; {@code source} names it in error messages.
     *
     * @throws IOException naming the source and what is wrong (magic, type, rank, dimensions, size,
     *                     truncation, trailing bytes)
     */
    public static IdxArray read(InputStream in, String source, long maxElements) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] magic = new byte[4];
        int got = data.readNBytes(magic, 0, 4);
        if (got < 4) {
            throw new IOException(source + ": truncated IDX header: " + got + " of 4 magic bytes");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IOException(source + ": not an IDX file: magic starts with 0x"
                    + String.format("%02X%02X", magic[0] & 0xFF, magic[1] & 0xFF) + ", expected 0x0000");
        }
        int type = magic[2] & 0xFF;
        switch (type) {
            case 0x08, 0x09 -> { }
            case 0x0B, 0x0C, 0x0D, 0x0E -> throw new IOException(source + ": IDX type 0x"
                    + String.format("%02X", type) + " (" + typeName(type)
                    + ") is not supported; this reader reads 0x08 (unsigned byte) and 0x09 (signed byte)");
            default -> throw new IOException(source + ": unknown IDX type byte 0x" + String.format("%02X", type));
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > 8) {
            throw new IOException(source + ": IDX rank " + rank + " outside 1..8");
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            try {
                dims[i] = data.readInt();
            } catch (EOFException e) {
                throw new IOException(source + ": truncated IDX header: dimension " + i + " of " + rank + " missing", e);
            }
            if (dims[i] < 0) {
                throw new IOException(source + ": IDX dimension " + i + " is negative (" + dims[i] + ")");
            }
            count *= dims[i];
            if (count > maxElements) {
                throw new IOException(source + ": IDX dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + (i + 1 < rank ? "…" : "") + " exceed the limit of " + maxElements + " elements");
            }
        }
        byte[] values;
        try {
            values = data.readNBytes((int) count);
        } catch (EOFException e) {
            throw new IOException(source + ": truncated gzip stream inside the IDX data (" + e.getMessage() + ")", e);
        }
        if (values.length < count) {
            throw new IOException(source + ": truncated IDX data: header " + Arrays.toString(dims) + " promises " + count
                    + " bytes, file has " + values.length);
        }
        int extra;
        try {
            extra = data.read();
        } catch (EOFException e) {
            extra = -1;
        }
        if (extra != -1) {
            throw new IOException(source + ": corrupt IDX file: bytes after the " + count + " data bytes of "
                    + Arrays.toString(dims));
        }
        return new IdxArray(dims, values, type == 0x08);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x0B -> "int16";
            case 0x0C -> "int32";
            case 0x0D -> "float32";
            default -> "float64";
        };
    }
}
