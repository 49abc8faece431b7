package dev.nabla.models.data;

import dev.nabla.api.tensor.Generator;

import java.util.Arrays;

/**
 * Seeded shuffling and batching of example indices, on the host. The permutation is a Fisher–Yates
 * shuffle driven by a {@link Generator}, so the same generator state gives the same epoch order on
 * every backend and after a resume.
 */
public final class Batches {
    private Batches() {
    }

    /** A random permutation of {@code 0 … n-1}, advancing {@code random} by exactly {@code n - 1} draws. */
    public static int[] permutation(Generator random, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) random.nextLong(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** {@code 0 … n-1} in order. */
    public static int[] sequential(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    /** Number of batches of {@code batchSize} in {@code n} examples; the last one may be short unless {@code dropLast}. */
    public static int count(int n, int batchSize, boolean dropLast) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The {@code b}-th batch of {@code order}. */
    public static int[] batch(int[] order, int batchSize, int b) {
        int from = b * batchSize;
        if (b < 0 || from >= order.length) {
            throw new IndexOutOfBoundsException("batch " + b + " of " + order.length + " examples in batches of " + batchSize);
        }
        return Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
    }
}
