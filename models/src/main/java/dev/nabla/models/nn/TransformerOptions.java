package dev.nabla.models.nn;

import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import java.util.Objects;

/**
 * The options of a Transformer layer ({@link TransformerEncoderLayer}, {@link TransformerDecoderLayer}) and
 * of the stacks built from them, PyTorch's keyword arguments of {@code nn.TransformerEncoderLayer}: start
 * from {@link #of(int, int)} and change what differs.
 *
 * <pre>{@code
 * TransformerOptions o = TransformerOptions.of(128, 4).dimFeedforward(512).dropout(0.1).batchFirst(true);
 * }</pre>
 *
 * @param dModel         the width {@code d_model}
 * @param nhead          the number of attention heads; must divide {@code dModel}
 * @param dimFeedforward the inner width of the feed-forward network
 * @param dropout        the dropout probability (attention weights, sublayer outputs, feed-forward), in {@code [0, 1)}
 * @param activation     the feed-forward activation, {@link Activation.Kind#RELU} or {@link Activation.Kind#GELU}
 * @param layerNormEps   the ε of every LayerNorm, positive
 * @param batchFirst     inputs and outputs {@code [B, T, d_model]} rather than {@code [T, B, d_model]}
 * @param normFirst      pre-LN ({@code x + f(LN(x))}) rather than post-LN ({@code LN(x + f(x))}, Vaswani et al.)
 * @param dtype          the parameters' dtype, float32 or float64
 */
public record TransformerOptions(int dModel, int nhead, int dimFeedforward, double dropout, Activation.Kind activation,
                                 double layerNormEps, boolean batchFirst, boolean normFirst, DType dtype) {
    /**
     * Validates the options.
     *
     * @throws ShapeException           if {@code nhead} does not divide {@code dModel}, naming both
     * @throws IllegalArgumentException naming any other bad value
     */
    public TransformerOptions {
        if (dModel < 1 || nhead < 1 || dimFeedforward < 1) {
            throw new IllegalArgumentException("Transformer layer: d_model, nhead and dim_feedforward must be positive,"
                    + " got " + dModel + ", " + nhead + " and " + dimFeedforward);
        }
        if (dModel % nhead != 0) {
            throw new ShapeException("Transformer layer: d_model " + dModel + " is not divisible by nhead " + nhead);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("Transformer layer: dropout must be in [0, 1), got " + dropout);
        }
        Objects.requireNonNull(activation, "Transformer layer: activation");
        if (activation != Activation.Kind.RELU && activation != Activation.Kind.GELU) {
            throw new IllegalArgumentException("Transformer layer: activation must be relu or gelu, got "
                    + activation.configName());
        }
        if (!(layerNormEps > 0)) {
            throw new IllegalArgumentException("Transformer layer: layer_norm_eps must be positive, got " + layerNormEps);
        }
        Objects.requireNonNull(dtype, "Transformer layer: dtype");
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("Transformer layer: dtype must be float32 or float64, got " + dtype);
        }
    }

    /**
     * PyTorch's defaults for width {@code dModel} and {@code nhead} heads: feed-forward 2048, dropout 0.1,
     * relu, ε 1e-5, time-first, post-LN, float32.
     */
    public static TransformerOptions of(int dModel, int nhead) {
        return new TransformerOptions(dModel, nhead, 2048, 0.1, Activation.Kind.RELU, 1e-5, false, false,
                DType.FLOAT32);
    }

    /** These options with feed-forward width {@code n}. */
    public TransformerOptions dimFeedforward(int n) {
        return new TransformerOptions(dModel, nhead, n, dropout, activation, layerNormEps, batchFirst, normFirst, dtype);
    }

    /** These options with dropout {@code p}. */
    public TransformerOptions dropout(double p) {
        return new TransformerOptions(dModel, nhead, dimFeedforward, p, activation, layerNormEps, batchFirst, normFirst,
                dtype);
    }

    /** These options with the feed-forward activation {@code kind} (relu or gelu). */
    public TransformerOptions activation(Activation.Kind kind) {
        return new TransformerOptions(dModel, nhead, dimFeedforward, dropout, kind, layerNormEps, batchFirst, normFirst,
                dtype);
    }

    /** These options with the activation named {@code name} ({@code "relu"} or {@code "gelu"}). */
    public TransformerOptions activation(String name) {
        return activation(Activation.Kind.parse(name));
    }

    /** These options with LayerNorm ε {@code eps}. */
    public TransformerOptions layerNormEps(double eps) {
        return new TransformerOptions(dModel, nhead, dimFeedforward, dropout, activation, eps, batchFirst, normFirst,
                dtype);
    }

    /** These options with batch-first ({@code true}) or time-first inputs and outputs. */
    public TransformerOptions batchFirst(boolean batchFirst) {
        return new TransformerOptions(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst,
                normFirst, dtype);
    }

    /** These options with pre-LN ({@code true}) or post-LN layers. */
    public TransformerOptions normFirst(boolean normFirst) {
        return new TransformerOptions(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst,
                normFirst, dtype);
    }

    /** These options with parameters of {@code dtype}. */
    public TransformerOptions dtype(DType dtype) {
        return new TransformerOptions(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst,
                normFirst, dtype);
    }
}
