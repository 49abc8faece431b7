package dev.nabla.models.data;

import dev.nabla.api.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One batch of examples as named tensors, each keeping its own dtype: float32 images or points
 * ({@code "x"}), int64 tokens ({@code "input"}, {@code "target"}), bool masks ({@code "source_mask"}),
 * int64 lengths and labels ({@code "label"}). Every tensor's first axis is the batch's rows. A
 * {@link Dataset} makes batches; an objective reads the tensors it needs by name:
 * <pre>{@code
 * // given: Dataset data, TensorFactory f
 * try (Scope s = Scope.open()) {
 *     Batch b = data.batch(f, new int[] {0, 5, 7});
 *     Tensor x = b.get("x");          // [3, 2] float32
 *     Tensor y = b.get("label");      // [3] int64
 * }
 * }</pre>
 * A batch drawn inside a scope is released with it; outside one, {@link #close()} releases its tensors.
 * A batch may hold no tensors at all and only a row count ({@link #rows(int)}): what a training loop
 * hands an objective that draws its own data (a sampler, a GAN's noise), so it knows how many rows to draw.
 */
public final class Batch implements AutoCloseable {
    private final Map<String, Tensor> tensors;
    private final int rows;
    private final int[] indices;

    private Batch(Map<String, Tensor> tensors, int rows, int[] indices) {
        this.tensors = tensors;
        this.rows = rows;
        this.indices = indices;
    }

    /**
     * A batch of {@code tensors} (in the map's order), whose rows are their common first dimension.
     *
     * @throws IllegalArgumentException if the map is empty, a tensor is a scalar, or two tensors
     *                                  disagree on the number of rows (naming both)
     */
    public static Batch of(Map<String, Tensor> tensors) {
        return of(tensors, null);
    }

    /**
     * A batch of {@code tensors} drawn from the examples {@code indices} of a data set (kept so that
     * objectives and tests can see which examples they got), or null when unknown.
     *
     * @throws IllegalArgumentException as {@link #of(Map)}, or if {@code indices} does not have one entry per row
     */
    public static Batch of(Map<String, Tensor> tensors, int[] indices) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("Batch: no tensors; use Batch.rows(n) for a batch without data");
        }
        int rows = -1;
        String first = null;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            if (e.getKey() == null || e.getKey().isEmpty() || t == null) {
                throw new IllegalArgumentException("Batch: every entry needs a name and a tensor, got '" + e.getKey()
                        + "' = " + t);
            }
            if (t.rank() == 0) {
                throw new IllegalArgumentException("Batch: '" + e.getKey() + "' is a scalar; every tensor needs a row axis");
            }
            if (rows < 0) {
                rows = t.dim(0);
                first = e.getKey();
            } else if (t.dim(0) != rows) {
                throw new IllegalArgumentException("Batch: '" + e.getKey() + "' " + t.shape() + " has " + t.dim(0)
                        + " rows, '" + first + "' has " + rows);
            }
        }
        if (indices != null && indices.length != rows) {
            throw new IllegalArgumentException("Batch: " + indices.length + " indices for " + rows + " rows");
        }
        return new Batch(Collections.unmodifiableMap(new LinkedHashMap<>(tensors)), rows,
                indices == null ? null : indices.clone());
    }

    /** A batch of {@code rows} rows and no tensors: for objectives that draw their own data. */
    public static Batch rows(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("Batch: rows must be >= 0, got " + rows);
        }
        return new Batch(Map.of(), rows, null);
    }

    /**
     * A batch of no tensors that only names the examples {@code indices} (for an objective that reads
     * its data itself, such as {@code Objective}s written before typed batches).
     */
    public static Batch indices(int[] indices) {
        return new Batch(Map.of(), indices.length, indices.clone());
    }

    /**
     * The tensor named {@code name}.
     *
     * @throws IllegalArgumentException naming the tensors the batch holds when it has none of that name
     */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("Batch: no tensor '" + name + "'; this batch holds "
                    + (tensors.isEmpty() ? "none (" + rows + " rows without data)" : tensors.keySet().toString()));
        }
        return t;
    }

    /** True if the batch holds a tensor named {@code name}. */
    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** The names of the tensors, in order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** The tensors by name, in order (unmodifiable). */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The number of rows (examples). */
    public int size() {
        return rows;
    }

    /** The data-set indices of the rows, or null when the batch was not drawn by index. A copy. */
    public int[] indices() {
        return indices == null ? null : indices.clone();
    }

    /** Releases every tensor of the batch (a batch drawn inside a scope is released with it anyway). */
    @Override
    public void close() {
        tensors.values().forEach(Tensor::close);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Batch(").append(rows).append(" rows");
        tensors.forEach((k, v) -> b.append(", ").append(k).append(' ').append(v.dtype()).append(v.shape()));
        return b.append(')').toString();
    }
}
