package dev.nabla.models.checkpoint;

import dev.nabla.api.types.DType;
import dev.nabla.api.types.NablaException;

import java.util.Arrays;

/**
 * Sizes of tensors computed from their shapes before anything is allocated, and the refusal of what
 * does not fit: what a model builder calls with the shapes a configuration implies (e.g. after reading
 * {@code hidden} and {@code blocks}), and what {@link Checkpoint.Header#requireWithin} uses for a file,
 * so a model that cannot fit is refused with its size named instead of ending in an
 * {@link OutOfMemoryError}, a failed native allocation or a hang.
 */
public final class SizeBudget {
    private SizeBudget() {
    }

    /**
     * The bytes of a tensor of {@code dtype} and {@code shape}.
     *
     * @throws NablaException if a size is negative or the product overflows 64 bits
     */
    public static long bytes(DType dtype, long... shape) {
        long n = dtype.byteSize();
        for (long d : shape) {
            if (d < 0) {
                throw new NablaException("size: shape " + Arrays.toString(shape) + " has a negative size");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new NablaException("size: " + dtype + " " + Arrays.toString(shape) + " needs more than 2^63 bytes");
            }
        }
        return n;
    }

    /**
     * {@code a + b}, refusing overflow (sums of {@link #bytes}).
     *
     * @throws NablaException if the sum overflows 64 bits
     */
    public static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new NablaException("size: " + a + " + " + b + " bytes overflows 64 bits");
        }
    }

    /**
     * Refuses {@code bytes} above {@code budgetBytes}.
     *
     * @param what the subject of the message, e.g. {@code "model 'maf' (hidden=40000, blocks=6)"}
     * @throws NablaException "{@code what} needs N bytes (x GiB), more than the budget of M bytes (y GiB)"
     */
    public static void require(String what, long bytes, long budgetBytes) {
        if (bytes > budgetBytes) {
            throw new NablaException(what + " needs " + bytes + " bytes ("
                    + human(bytes) + "), more than the budget of " + budgetBytes + " bytes (" + human(budgetBytes) + ")");
        }
    }

    /**
     * What this JVM's heap can still take: its maximum less what is in use. The budget for tensors on a
     * backend that keeps them on the heap (the reference backend); off-heap backends need their own.
     */
    public static long heapHeadroom() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /** {@code bytes} for people: {@code 512 B}, {@code 3.2 MiB}, {@code 1.5 GiB}. */
    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
