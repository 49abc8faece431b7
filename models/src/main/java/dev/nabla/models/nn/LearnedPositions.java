package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;

/**
 * Learned absolute positions (as in BERT and GPT): an embedding of the position index, added to the input,
 * <pre>
 *   y = x + P[offset : offset + T],   P: [maxLength, d_model] a parameter
 * </pre>
 * The table is the parameter {@code weight} (as an {@code nn.Embedding} of positions), initialised
 * {@code N(0, 1)} like {@link Embedding}. Inputs {@code [T, B, d_model]} ({@code [B, T, d_model]}
 * batch-first, {@code [T, d_model]} unbatched); an input longer than {@code maxLength} is a
 * {@link dev.nabla.api.types.ShapeException} naming both lengths.
 */
public final class LearnedPositions extends Block implements Layer {
    private static final String OP = "LearnedPositions";

    private final int maxLength;
    private final int dModel;
    private final boolean batchFirst;
    private final Tensor weight;

    /**
     * @param maxLength  the most positions an input may have
     * @param dModel     the width
     * @param batchFirst inputs {@code [B, T, d_model]} rather than {@code [T, B, d_model]}
     * @param dtype      the table's dtype, float32 or float64
     */
    public LearnedPositions(TensorFactory f, Generator random, int maxLength, int dModel, boolean batchFirst,
                            DType dtype) {
        if (maxLength < 1 || dModel < 1) {
            throw new IllegalArgumentException(OP + ": max length and d_model must be positive, got " + maxLength
                    + " and " + dModel);
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(OP + ": dtype must be float32 or float64, got " + dtype);
        }
        this.maxLength = maxLength;
        this.dModel = dModel;
        this.batchFirst = batchFirst;
        try (var ignored = dev.nabla.api.tensor.Scope.open()) {
            this.weight = parameter("weight", f.normal(random, 0, 1, Shape.of(maxLength, dModel), DType.FLOAT32)
                    .to(dtype));
        }
    }

    /** The most positions an input may have. */
    public int maxLength() {
        return maxLength;
    }

    /** The table {@code [maxLength, d_model]}. */
    public Tensor weight() {
        return weight;
    }

    /** The rows {@code [offset, offset + length)}: {@code [length, d_model]}. */
    public Tensor table(int offset, int length) {
        Positions.range(OP, offset, length, maxLength);
        return weight.slice(0, offset, offset + length);
    }

    /** {@code x + P[0 : T]}. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, 0);
    }

    /** {@code x + P[offset : offset + T]}: for step-wise decoding, {@code offset} is the number of earlier positions. */
    public Tensor forward(Tensor x, int offset) {
        int t = Positions.length(OP, x, dModel, batchFirst);
        return Positions.add(x, table(offset, t), batchFirst);
    }

    @Override
    public String toString() {
        return OP + "(" + maxLength + ", " + dModel + ")";
    }
}
