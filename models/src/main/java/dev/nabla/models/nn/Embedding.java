package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.Shape;

/**
 * A lookup table, as PyTorch's {@code nn.Embedding}: {@code y[..., :] = W[i[...], :]} for integer
 * indices {@code i} of any shape, with {@code W: [vocab, dim]} initialised {@code N(0, 1)}. The output
 * has shape {@code i.shape + [dim]}; the gradient flows into the rows that were looked up.
 */
public class Embedding extends Block implements Layer {
    private final int vocab;
    private final int dim;
    private final Tensor weight;

    /** A {@code [vocab, dim]} table drawn from {@code N(0, 1)}. */
    public Embedding(TensorFactory f, Generator random, int vocab, int dim) {
        if (vocab < 1 || dim < 1) {
            throw new IllegalArgumentException("Embedding: vocab and dim must be positive, got " + vocab + " and " + dim);
        }
        this.vocab = vocab;
        this.dim = dim;
        this.weight = parameter("weight", f.normal(random, 0, 1, Shape.of(vocab, dim), DType.FLOAT32));
    }

    /** The table {@code [vocab, dim]}. */
    public Tensor weight() {
        return weight;
    }

    /**
     * Looks up int32 or int64 indices.
     *
     * @throws DTypeException            for a non-integer index tensor
     * @throws IndexOutOfBoundsException naming the first index outside {@code [0, vocab)}
     */
    @Override
    public Tensor forward(Tensor indices) {
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.INT32) {
            throw new DTypeException("Embedding(" + vocab + ", " + dim + "): indices must be int32 or int64, got "
                    + indices.describe());
        }
        long[] idx = indices.dtype() == DType.INT64 ? indices.toLongArray()
                : java.util.Arrays.stream(indices.toIntArray()).asLongStream().toArray();
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= vocab) {
                throw new IndexOutOfBoundsException("Embedding(" + vocab + ", " + dim + "): index " + idx[i]
                        + " at flat position " + i + " is outside [0, " + vocab + ")");
            }
        }
        return weight.indexSelect(0, indices);
    }

    @Override
    public String toString() {
        return "Embedding(" + vocab + ", " + dim + ")";
    }
}
