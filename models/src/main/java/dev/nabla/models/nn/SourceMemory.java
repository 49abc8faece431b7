package dev.nabla.models.nn;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;

/**
 * What a decoder attends over: the encoder's outputs {@code h̄_1 … h̄_S} of a padded batch, their
 * projection by the score's key-side weights (computed once per source, not once per decoder step), the
 * padding mask and each source's length.
 *
 * @param keys      the encoder outputs {@code [B, S, D]}, also the values the context averages
 * @param projected the score's key-side projection of {@code keys} ({@code [B, S, A]}), or {@code keys}
 *                  itself when the score has none
 * @param mask      bool {@code [B, S]}: true at a real source position, false on padding
 * @param lengths   each source's length, {@code 1 ≤ lengths[b] ≤ S}
 */
public record SourceMemory(Tensor keys, Tensor projected, Tensor mask, long[] lengths) {
    /**
     * Checks the shapes agree.
     *
     * @throws ShapeException naming the shapes that do not fit
     */
    public SourceMemory {
        if (keys.rank() != 3 || projected.rank() != 3 || projected.dim(0) != keys.dim(0)
                || projected.dim(1) != keys.dim(1)) {
            throw new ShapeException("SourceMemory: keys must be [B, S, D] and their projection [B, S, A], got "
                    + keys.shape() + " and " + projected.shape());
        }
        if (mask.dtype() != DType.BOOL || mask.rank() != 2 || mask.dim(0) != keys.dim(0) || mask.dim(1) != keys.dim(1)) {
            throw new ShapeException("SourceMemory: the padding mask must be bool [B, S] = [" + keys.dim(0) + ", "
                    + keys.dim(1) + "], got " + mask.describe());
        }
        if (lengths.length != keys.dim(0)) {
            throw new ShapeException("SourceMemory: " + lengths.length + " lengths for keys " + keys.shape());
        }
        lengths = lengths.clone();
    }

    /**
     * The padding mask of sources of {@code lengths} padded to {@code width}: true before each length.
     *
     * @param like a tensor on the factory to build it with
     */
    public static Tensor paddingMask(Tensor like, long[] lengths, int width) {
        boolean[] m = new boolean[lengths.length * width];
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 1 || lengths[b] > width) {
                throw new IllegalArgumentException("SourceMemory: length " + lengths[b] + " of source " + b
                        + " is outside [1, " + width + "]");
            }
            for (int s = 0; s < lengths[b]; s++) {
                m[b * width + s] = true;
            }
        }
        return like.factory().of(m, lengths.length, width);
    }

    /** The batch size {@code B}. */
    public int batch() {
        return keys.dim(0);
    }

    /** The padded source width {@code S}. */
    public int width() {
        return keys.dim(1);
    }

    /** The memory of the batch rows {@code rows} (in that order, repeats allowed), for beam search. */
    public SourceMemory select(int[] rows) {
        Tensor index = keys.factory().of(rows, rows.length);
        long[] l = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            l[i] = lengths[rows[i]];
        }
        Tensor k = keys.indexSelect(0, index);
        return new SourceMemory(k, projected == keys ? k : projected.indexSelect(0, index), mask.indexSelect(0, index), l);
    }
}
