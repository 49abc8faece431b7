package dev.nabla.models.nn;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.ShapeException;
import java.util.List;
import java.util.Objects;

/**
 * The keys and values one attention layer has already computed, for incremental (step-by-step)
 * decoding: at step {@code t} a causal self-attention layer projects only the new position,
 * appends its key and value here, and attends from it over all {@code t + 1} cached positions:
 * <pre>
 *   K_{≤t} = [K_{&lt;t}; k_t],   V_{≤t} = [V_{&lt;t}; v_t],   o_t = softmax(q_t K_{≤t}ᵀ / √d_k) V_{≤t}
 * </pre>
 * which equals row {@code t} of the full causal attention over the prefix, at {@code O(t)} rather than
 * {@code O(t²)} work per step. A cross-attention layer caches the projected encoder memory once
 * ({@link MultiheadAttention#crossStep}).
 *
 * <p>Layout {@code [batch, heads, length, head_dim]} (already split into heads), whatever the layer's
 * {@code batchFirst}. <b>Memory:</b> the cache owns its tensors (they belong to no {@link Scope}), so a
 * decoding loop may run each step in a scope of its own; the previous tensors are released when a step
 * appends, and everything when the cache is {@link #close() closed}. <b>Gradients</b> do not flow into
 * cached keys and values (the cache holds detached copies): it is for inference — train with the whole
 * sequence and a causal mask.
 */
public final class KeyValueCache implements AutoCloseable {
    private Tensor keys;
    private Tensor values;

    /** An empty cache. */
    public KeyValueCache() {
    }

    /** An empty cache per layer: {@code n} of them. */
    public static List<KeyValueCache> perLayer(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("KeyValueCache: layer count must be >= 0, got " + n);
        }
        return java.util.stream.Stream.generate(KeyValueCache::new).limit(n).toList();
    }

    /** The number of cached positions (0 when empty). */
    public int length() {
        return keys == null ? 0 : keys.dim(2);
    }

    /** True if nothing has been appended. */
    public boolean isEmpty() {
        return keys == null;
    }

    /** The cached keys {@code [batch, heads, length, head_dim]}, or null when empty. */
    public Tensor keys() {
        return keys;
    }

    /** The cached values {@code [batch, heads, length, head_dim]}, or null when empty. */
    public Tensor values() {
        return values;
    }

    /**
     * Appends the keys and values of new positions, {@code [batch, heads, steps, head_dim]} each, after
     * the cached ones (along the length axis).
     *
     * @throws ShapeException if the shapes do not match each other or the cached batch, heads and head size
     */
    public void append(Tensor newKeys, Tensor newValues) {
        Objects.requireNonNull(newKeys, "KeyValueCache: keys");
        Objects.requireNonNull(newValues, "KeyValueCache: values");
        if (newKeys.rank() != 4 || !newKeys.shape().equals(newValues.shape())) {
            throw new ShapeException("KeyValueCache: keys " + newKeys.shape() + " and values " + newValues.shape()
                    + " must both be [batch, heads, steps, head_dim]");
        }
        if (keys != null && (keys.dim(0) != newKeys.dim(0) || keys.dim(1) != newKeys.dim(1)
                || keys.dim(3) != newKeys.dim(3) || keys.dtype() != newKeys.dtype())) {
            throw new ShapeException("KeyValueCache: new keys " + newKeys.describe() + " do not continue the cached "
                    + keys.describe() + " (batch, heads and head_dim must agree)");
        }
        Tensor k;
        Tensor v;
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            k = owned(keys == null ? newKeys : Tensor.concat(List.of(keys, newKeys), 2));
            v = owned(values == null ? newValues : Tensor.concat(List.of(values, newValues), 2));
        }
        replace(k, v);
    }

    /**
     * A new cache holding rows {@code rows} of this one's batch, in that order (rows may repeat): what
     * beam search needs when it keeps some hypotheses and drops others. This cache is unchanged.
     */
    public KeyValueCache select(int[] rows) {
        KeyValueCache out = new KeyValueCache();
        if (keys == null) {
            return out;
        }
        for (int r : rows) {
            if (r < 0 || r >= keys.dim(0)) {
                throw new IndexOutOfBoundsException("KeyValueCache: row " + r + " is outside the cached batch of "
                        + keys.dim(0));
            }
        }
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            Tensor index = keys.factory().of(java.util.Arrays.stream(rows).asLongStream().toArray(), rows.length);
            out.replace(owned(keys.indexSelect(0, index)), owned(values.indexSelect(0, index)));
        }
        return out;
    }

    private static Tensor owned(Tensor t) {
        return t.detach().toParameter().requiresGrad(false);
    }

    private void replace(Tensor k, Tensor v) {
        close();
        keys = k;
        values = v;
    }

    /** Releases the cached tensors; the cache is empty afterwards and may be filled again. */
    @Override
    public void close() {
        if (keys != null) {
            keys.close();
            values.close();
        }
        keys = null;
        values = null;
    }

    @Override
    public String toString() {
        return keys == null ? "KeyValueCache(empty)" : "KeyValueCache(" + keys.shape() + ")";
    }
}
