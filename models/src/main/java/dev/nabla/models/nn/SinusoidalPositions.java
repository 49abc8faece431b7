package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;

/**
 * The sinusoidal position encoding of Vaswani et al. (2017), added to the input:
 * <pre>
 *   PE[pos, 2i]   = sin(pos / 10000^(2i / d_model))
 *   PE[pos, 2i+1] = cos(pos / 10000^(2i / d_model))
 *   y = x + PE[offset : offset + T]
 * </pre>
 * The table {@code [maxLength, d_model]} is a buffer named {@code pe} (in checkpoints, never trained),
 * computed in float64 and stored in the layer's dtype. Inputs {@code [T, B, d_model]}
 * ({@code [B, T, d_model]} batch-first, {@code [T, d_model]} unbatched); an input longer than
 * {@code maxLength} is a {@link dev.nabla.api.types.ShapeException} naming both lengths. No dropout and no
 * {@code √d_model} scaling of the embeddings: the model composes those.
 */
public final class SinusoidalPositions extends Block implements Layer {
    private static final String OP = "SinusoidalPositions";

    private final int maxLength;
    private final int dModel;
    private final boolean batchFirst;
    private final Tensor pe;

    /**
     * @param maxLength  the most positions an input may have
     * @param dModel     the width
     * @param batchFirst inputs {@code [B, T, d_model]} rather than {@code [T, B, d_model]}
     * @param dtype      the table's dtype, float32 or float64
     */
    public SinusoidalPositions(TensorFactory f, int maxLength, int dModel, boolean batchFirst, DType dtype) {
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
        double[] table = new double[Math.multiplyExact(maxLength, dModel)];
        for (int pos = 0; pos < maxLength; pos++) {
            for (int j = 0; j < dModel; j++) {
                int i2 = j - (j % 2);
                double angle = pos * Math.exp(-Math.log(10000.0) * i2 / dModel);
                table[pos * dModel + j] = j % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
            }
        }
        try (var ignored = dev.nabla.api.tensor.Scope.open()) {
            this.pe = buffer("pe", f.of(table, maxLength, dModel).to(dtype));
        }
    }

    /** The most positions an input may have. */
    public int maxLength() {
        return maxLength;
    }

    /** The table rows {@code [offset, offset + length)}: {@code [length, d_model]}. */
    public Tensor table(int offset, int length) {
        Positions.range(OP, offset, length, maxLength);
        return pe.slice(0, offset, offset + length);
    }

    /** {@code x + PE[0 : T]}. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, 0);
    }

    /** {@code x + PE[offset : offset + T]}: for step-wise decoding, {@code offset} is the number of earlier positions. */
    public Tensor forward(Tensor x, int offset) {
        int t = Positions.length(OP, x, dModel, batchFirst);
        return Positions.add(x, table(offset, t), batchFirst);
    }

    @Override
    public String toString() {
        return OP + "(" + maxLength + ", " + dModel + ")";
    }
}
