package dev.nabla.models.memory;

import dev.nabla.api.tensor.Tensor;

import java.util.Map;

/**
 * A network that reads a copy-task input sequence and emits one logit per output bit and step: the
 * Neural Turing Machine ({@link NeuralTuringMachine}) and the LSTM baseline ({@link CopyLstm}).
 */
public interface CopyNetwork extends AutoCloseable {
    /**
     * The logits of the output bits at every step.
     *
     * @param input {@code [batch, T, }{@value CopyTask#CHANNELS}{@code ]}
     * @return {@code [batch, T, }{@value CopyTask#BITS}{@code ]}
     * @throws dev.nabla.api.types.ShapeException naming the input's shape if it does not fit
     */
    Tensor logits(Tensor input);

    /** The trainable parameters by dotted name. */
    Map<String, Tensor> namedParameters();

    /** Parameters and buffers. */
    Map<String, Tensor> state();

    /** Restores {@link #state()} strictly. */
    void loadState(Map<String, Tensor> state);

    /** Releases the parameters. */
    @Override
    void close();
}
