package dev.nabla.models.fewshot;

import dev.nabla.api.tensor.Generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * N-way K-shot episodes drawn from labelled images, as in Mishra et al. (2018): an episode is a
 * sequence of {@code T = N·K + 1} images, the {@code N·K} labelled support images (K of each of N
 * classes, in random order) followed by one query image of one of those N classes whose label the model
 * must give. The N classes are drawn without replacement from the classes present and given the
 * episode labels {@code 0 … N−1} in random order (so a label means nothing across episodes); the query
 * is another image of its class than that class's supports.
 */
public final class Episodes {
    private final float[] pixels;
    private final int dim;
    private final int[] classes;
    private final int[][] byClass;

    /**
     * The episodes of {@code labels.length} images of {@code dim} values each.
     *
     * @param pixels row-major images, {@code labels.length × dim} (not copied)
     * @param dim    values per image
     * @param labels the class of each image
     * @throws IllegalArgumentException if the sizes disagree or there are fewer than two classes
     */
    public Episodes(float[] pixels, int dim, int[] labels) {
        if (dim < 1 || pixels.length != (long) labels.length * dim) {
            throw new IllegalArgumentException("Episodes: " + pixels.length + " values are not " + labels.length
                    + " images of " + dim);
        }
        TreeMap<Integer, List<Integer>> m = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            m.computeIfAbsent(labels[i], c -> new ArrayList<>()).add(i);
        }
        if (m.size() < 2) {
            throw new IllegalArgumentException("Episodes: need images of at least 2 classes, got classes " + m.keySet());
        }
        this.pixels = pixels;
        this.dim = dim;
        this.classes = m.keySet().stream().mapToInt(Integer::intValue).toArray();
        this.byClass = m.values().stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    /** The classes present, ascending. */
    public int[] classes() {
        return classes.clone();
    }

    /** Values per image. */
    public int dim() {
        return dim;
    }

    /**
     * One episode: what the model reads, its answer, and where each image came from.
     *
     * @param ways    N
     * @param shots   K
     * @param images  {@code T × dim} values, the supports then the query ({@code T = N·K + 1})
     * @param labels  the episode label of each of the T images (the last is the query's answer, hidden
     *                from the model)
     * @param indices the image index of each of the T images in the source data
     * @param classes the source class behind each episode label {@code 0 … N−1}
     */
    public record Episode(int ways, int shots, float[] images, int[] labels, int[] indices, int[] classes) {
        /** The sequence length {@code N·K + 1}. */
        public int length() {
            return labels.length;
        }

        /** The query's episode label. */
        public int answer() {
            return labels[labels.length - 1];
        }
    }

    /**
     * Draws one episode.
     *
     * @throws IllegalArgumentException if there are fewer than {@code ways} classes or a class has fewer
     *                                  than {@code shots + 1} images
     */
    public Episode draw(int ways, int shots, Generator g) {
        if (ways < 2 || ways > classes.length) {
            throw new IllegalArgumentException("Episodes: ways must be from 2 to the " + classes.length
                    + " classes present " + Arrays.toString(classes) + ", got " + ways);
        }
        if (shots < 1) {
            throw new IllegalArgumentException("Episodes: shots must be at least 1, got " + shots);
        }
        int[] chosen = partialShuffle(classes.length, ways, g);   // positions into classes; label = order drawn
        int query = (int) g.nextLong(ways);
        int t = ways * shots + 1;
        int[] indices = new int[t];
        int[] labels = new int[t];
        int[] sourceClasses = new int[ways];
        int[] order = partialShuffle(t - 1, t - 1, g);            // where each support goes
        int k = 0;
        int queryIndex = -1;
        for (int label = 0; label < ways; label++) {
            int[] pool = byClass[chosen[label]];
            sourceClasses[label] = classes[chosen[label]];
            int need = shots + (label == query ? 1 : 0);
            if (pool.length < need) {
                throw new IllegalArgumentException("Episodes: class " + classes[chosen[label]] + " has " + pool.length
                        + " images, fewer than the " + need + " an episode of " + shots + " shots needs");
            }
            int[] pick = partialShuffle(pool.length, need, g);
            for (int s = 0; s < shots; s++) {
                indices[order[k]] = pool[pick[s]];
                labels[order[k]] = label;
                k++;
            }
            if (label == query) {
                queryIndex = pool[pick[shots]];
            }
        }
        indices[t - 1] = queryIndex;
        labels[t - 1] = query;
        float[] images = new float[t * dim];
        for (int i = 0; i < t; i++) {
            System.arraycopy(pixels, indices[i] * dim, images, i * dim, dim);
        }
        return new Episode(ways, shots, images, labels, indices, sourceClasses);
    }

    /** {@code count} episodes drawn one after another with {@code g}. */
    public List<Episode> draw(int count, int ways, int shots, Generator g) {
        List<Episode> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(draw(ways, shots, g));
        }
        return out;
    }

    /** The first {@code k} entries of a uniformly random permutation of {@code 0 … n−1} (Fisher–Yates). */
    static int[] partialShuffle(int n, int k, Generator g) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + (int) g.nextLong(n - i);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return Arrays.copyOf(a, k);
    }
}
