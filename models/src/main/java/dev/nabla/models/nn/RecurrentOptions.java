package dev.nabla.models.nn;

import dev.nabla.api.types.DType;

import java.util.Objects;

/**
 * The options of a recurrent sequence layer ({@link RNN}, {@link LSTM}, {@link GRU}), PyTorch's
 * keyword arguments of {@code nn.LSTM}: start from {@link #defaults()} and change what differs.
 *
 * <pre>{@code
 * RecurrentOptions o = RecurrentOptions.defaults().numLayers(2).bidirectional(true).batchFirst(true);
 * }</pre>
 *
 * @param numLayers     number of stacked layers, at least 1 (PyTorch's {@code num_layers})
 * @param bias          whether every layer has {@code bias_ih} and {@code bias_hh}
 * @param batchFirst    inputs and outputs {@code [batch, time, ·]} rather than {@code [time, batch, ·]}
 * @param dropout       probability of dropping an element of every layer's output but the last's, in
 *                      training only; in {@code [0, 1)}
 * @param bidirectional whether every layer also reads the sequence backwards (outputs {@code 2·hidden} wide)
 * @param dtype         the parameters' dtype, float32 or float64
 */
public record RecurrentOptions(int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional,
                               DType dtype) {
    /**
     * Validates the options.
     *
     * @throws IllegalArgumentException naming the bad value
     */
    public RecurrentOptions {
        if (numLayers < 1) {
            throw new IllegalArgumentException("recurrent layer: num_layers must be >= 1, got " + numLayers);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("recurrent layer: dropout must be in [0, 1), got " + dropout);
        }
        Objects.requireNonNull(dtype, "recurrent layer: dtype");
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("recurrent layer: dtype must be float32 or float64, got " + dtype);
        }
    }

    /** One unidirectional float32 layer with biases, time-first, no dropout: PyTorch's defaults. */
    public static RecurrentOptions defaults() {
        return new RecurrentOptions(1, true, false, 0.0, false, DType.FLOAT32);
    }

    /** These options with {@code numLayers} stacked layers. */
    public RecurrentOptions numLayers(int numLayers) {
        return new RecurrentOptions(numLayers, bias, batchFirst, dropout, bidirectional, dtype);
    }

    /** These options with or without biases. */
    public RecurrentOptions bias(boolean bias) {
        return new RecurrentOptions(numLayers, bias, batchFirst, dropout, bidirectional, dtype);
    }

    /** These options with batch-first ({@code true}) or time-first inputs and outputs. */
    public RecurrentOptions batchFirst(boolean batchFirst) {
        return new RecurrentOptions(numLayers, bias, batchFirst, dropout, bidirectional, dtype);
    }

    /** These options with dropout {@code p} between layers. */
    public RecurrentOptions dropout(double p) {
        return new RecurrentOptions(numLayers, bias, batchFirst, p, bidirectional, dtype);
    }

    /** These options with or without a backward direction. */
    public RecurrentOptions bidirectional(boolean bidirectional) {
        return new RecurrentOptions(numLayers, bias, batchFirst, dropout, bidirectional, dtype);
    }

    /** These options with parameters of {@code dtype}. */
    public RecurrentOptions dtype(DType dtype) {
        return new RecurrentOptions(numLayers, bias, batchFirst, dropout, bidirectional, dtype);
    }
}
